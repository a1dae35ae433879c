"""Verse keeps its lines, printed flush left too; a play's speakers stay with their speeches."""

from __future__ import annotations

import textwrap

from bot.parsing import parse_reading
from bot.reading.text import normalise

_PROSE = textwrap.fill(
    "The family walked to the old house in the evening, and the children ran ahead to see the "
    "garden. Nobody had lived there for years, but the rooms were clean and bright. " * 3,
    70,
)
_POEM = """Le soir, quand les pêcheurs reviennent vers la rive,
Ils tirent sur le sable un long filet mouillé,
Où brillent, prisonniers de la vague fugitive,
Des poissons argentés au ventre ensoleillé.

Plus tard, sous la lanterne accrochée à la porte,
Les femmes du hameau les rangent dans les paniers,
Tandis que le vent tourne et que la nuit apporte
Le bruit sourd et lointain des derniers voiliers."""


def test_a_flush_left_poem_inside_wrapped_prose_keeps_its_lines() -> None:
    text = normalise("\n\n".join([_PROSE, _PROSE, _POEM, _PROSE, _PROSE]))
    assert _POEM in text  # every line, the long ones too
    assert "ran ahead to see the garden." in text  # the prose is still joined


def test_a_book_of_flush_left_poems_keeps_its_lines() -> None:
    poems = "\n\n".join(f"{title}\n\n{_POEM}" for title in ("LE HÉRON", "LE PHARE", "LA LAMPE"))
    reading = parse_reading(f"LES JARDINS D'HIVER\n\n{poems}".encode(), "jardins.txt")
    assert all(_POEM in s.text for s in reading.sections)


def test_a_poem_s_dedication_under_its_title_is_part_of_its_heading_not_a_stanza() -> None:
    poems = "\n\n".join(
        [
            f"LE HÉRON\n\n{_POEM}",
            f"LA FONTAINE\n\nCHANSON RUSTIQUE\n\nA JULES FERRAND\nGRAVEUR\n\n{_POEM}",
            f"LA LAMPE\n\n{_POEM}",
        ]
    )
    reading = parse_reading(f"LES JARDINS D'HIVER\n\n{poems}".encode(), "jardins.txt")
    headings = [h for s in reading.sections for h in s.headings]
    assert "A Jules Ferrand Graveur" in headings
    assert headings.index("A Jules Ferrand Graveur") == headings.index("La Fontaine") + 2
    quoted = [
        p.quote for prompt_set in reading.prompts for p in prompt_set.prompts if p.quote is not None
    ]
    assert quoted
    assert not [q for q in quoted if "FERRAND" in q.upper() or "GRAVEUR" in q.upper()]


def test_a_stanza_in_capitals_after_verse_is_not_a_dedication() -> None:
    shouted = "ET LE VENT SE LÈVE\nET LA MER SE TAIT"
    reading = parse_reading(f"LE HÉRON\n\n{_POEM}\n\n{shouted}\n\n{_POEM}".encode(), "poeme.txt")
    assert not [h for s in reading.sections for h in s.headings if "Vent" in h]
    assert shouted in reading.sections[0].text


def test_wrapped_prose_whose_lines_start_with_capitals_is_still_joined() -> None:
    german = textwrap.fill(
        "Als der Förster an einem nebligen Morgen aus dem Wald zurückkehrte, fand er vor seiner "
        "Hütte einen fremden Hund. Er lag auf der steinernen Schwelle und hob, wenn der Wind "
        "durch die Tannen fuhr, seinen schweren, grauen Kopf. Niemand im Dorf kannte ihn. " * 4,
        70,
    )
    text = normalise("\n\n".join([german] * 4))
    assert "\n" not in text.split("\n\n")[0]


def test_speaker_names_printed_apart_stay_with_their_speeches() -> None:
    scene = (
        "HAROLD.\n\nDid you see who was at the gate, Biggs?\n\n"
        "BIGGS.\n\nI didn't think it my place to look, sir.\n\n"
        "HAROLD.\n\n[Crosses to the window.]\n\nThen I'll go and see for myself.\n\n"
        "BIGGS\n\nVery good, sir."
    )
    blocks = normalise(f"FIRST ACT\n\n{scene}").split("\n\n")
    assert blocks == [
        "FIRST ACT",
        "HAROLD.\nDid you see who was at the gate, Biggs?",
        "BIGGS.\nI didn't think it my place to look, sir.",
        "HAROLD.\n[Crosses to the window.]\nThen I'll go and see for myself.",
        "BIGGS\nVery good, sir.",
    ]


def test_a_speaker_on_the_speechs_own_line_stays_as_printed() -> None:
    line = "ROSAURA. Mi scusino i signori. Che cosa desiderano?"
    assert normalise(f"Scena prima\n\n{line}\n\n{line}") == f"Scena prima\n\n{line}\n\n{line}"


def test_a_title_page_in_capitals_is_not_taken_for_a_cast() -> None:
    page = "THE OLD HOUSE\n\nby\n\nA. WRITER\n\nLONDON\n\n1906"
    assert normalise(f"{page}\n\n{_PROSE}").split("\n\n")[:5] == page.split("\n\n")
