"""Verse keeps its lines, printed flush left too; a play's speakers stay with their speeches."""

from __future__ import annotations

import textwrap

from bot.reading.importer import parse_reading
from bot.reading.text import normalise

_PROSE = textwrap.fill(
    "The family walked to the old house in the evening, and the children ran ahead to see the "
    "garden. Nobody had lived there for years, but the rooms were clean and bright. " * 3,
    70,
)
_ALBATROS = """Souvent, pour s'amuser, les hommes d'équipage
Prennent des albatros, vastes oiseaux des mers,
Qui suivent, indolents compagnons de voyage,
Le navire glissant sur les gouffres amers.

A peine les ont-ils déposés sur les planches,
Que ces rois de l'azur, maladroits et honteux,
Laissent piteusement leurs grandes ailes blanches
Comme des avirons traîner à côté d'eux."""


def test_a_flush_left_poem_inside_wrapped_prose_keeps_its_lines() -> None:
    text = normalise("\n\n".join([_PROSE, _PROSE, _ALBATROS, _PROSE, _PROSE]))
    assert _ALBATROS in text  # every line, the long ones too
    assert "ran ahead to see the garden." in text  # the prose is still joined


def test_a_book_of_flush_left_poems_keeps_its_lines() -> None:
    poems = "\n\n".join(f"{title}\n\n{_ALBATROS}" for title in ("L'ALBATROS", "LE CHAT", "LA MUSE"))
    reading = parse_reading(f"LES FLEURS DU MAL\n\n{poems}".encode(), "fleurs.txt")
    assert all(_ALBATROS in s.text for s in reading.sections)


def test_a_poem_s_dedication_under_its_title_is_part_of_its_heading_not_a_stanza() -> None:
    poems = "\n\n".join(
        [
            f"L'ALBATROS\n\n{_ALBATROS}",
            f"LE MASQUE\n\nSTATUE ALLÉGORIQUE\n\nA ERNEST CHRISTOPHE\nSTATUAIRE\n\n{_ALBATROS}",
            f"LA MUSE\n\n{_ALBATROS}",
        ]
    )
    reading = parse_reading(f"LES FLEURS DU MAL\n\n{poems}".encode(), "fleurs.txt")
    headings = [h for s in reading.sections for h in s.headings]
    assert "A Ernest Christophe Statuaire" in headings
    assert headings.index("A Ernest Christophe Statuaire") == headings.index("Le Masque") + 2
    quoted = [p.quote for prompt_set in reading.prompts for p in prompt_set.prompts]
    assert quoted
    assert not [q for q in quoted if "ERNEST" in q.upper() or "STATUAIRE" in q.upper()]


def test_a_stanza_in_capitals_after_verse_is_not_a_dedication() -> None:
    shouted = "ET LE VENT SE LÈVE\nET LA MER SE TAIT"
    reading = parse_reading(
        f"L'ALBATROS\n\n{_ALBATROS}\n\n{shouted}\n\n{_ALBATROS}".encode(), "poeme.txt"
    )
    assert not [h for s in reading.sections for h in s.headings if "Vent" in h]
    assert shouted in reading.sections[0].text


def test_wrapped_prose_whose_lines_start_with_capitals_is_still_joined() -> None:
    german = textwrap.fill(
        "Als Gregor Samsa eines Morgens aus unruhigen Träumen erwachte, fand er sich in seinem "
        "Bett zu einem ungeheueren Ungeziefer verwandelt. Er lag auf seinem panzerartig harten "
        "Rücken und sah, wenn er den Kopf ein wenig hob, seinen gewölbten, braunen Bauch. " * 4,
        70,
    )
    text = normalise("\n\n".join([german] * 4))
    assert "\n" not in text.split("\n\n")[0]


def test_speaker_names_printed_apart_stay_with_their_speeches() -> None:
    scene = (
        "ALGERNON.\n\nDid you hear what I was playing, Lane?\n\n"
        "LANE.\n\nI didn't think it polite to listen, sir.\n\n"
        "ALGERNON.\n\n[Enter Lane.]\n\nI'm sorry for that, for your sake.\n\n"
        "LANE\n\nYes, sir."
    )
    blocks = normalise(f"FIRST ACT\n\n{scene}").split("\n\n")
    assert blocks == [
        "FIRST ACT",
        "ALGERNON.\nDid you hear what I was playing, Lane?",
        "LANE.\nI didn't think it polite to listen, sir.",
        "ALGERNON.\n[Enter Lane.]\nI'm sorry for that, for your sake.",
        "LANE\nYes, sir.",
    ]


def test_a_speaker_on_the_speechs_own_line_stays_as_printed() -> None:
    line = "MIRANDOLINA. M'inchino a questi cavalieri. Che cosa comandano?"
    assert normalise(f"Scena prima\n\n{line}\n\n{line}") == f"Scena prima\n\n{line}\n\n{line}"


def test_a_title_page_in_capitals_is_not_taken_for_a_cast() -> None:
    page = "THE OLD HOUSE\n\nby\n\nA. WRITER\n\nLONDON\n\n1906"
    assert normalise(f"{page}\n\n{_PROSE}").split("\n\n")[:5] == page.split("\n\n")
