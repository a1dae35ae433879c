"""A story's quote whose point comes just after it: its sentence turns after a semicolon or a
dash ("…; pero ninguno de ellos había molido", "… -- quando uma carroça …"), the next paragraph
answers it with a short exclamation ("Que luz! que paz!"), or the quote keeps a quarter
of its sentence or less. Such a quote ranks below one that holds its point; so do the
narrator's words to a figure as "tu", cut from the apostrophe that names it, and a quote
naming its thing as "the aforementioned" one. A Spanish quote opening on a link to what came
before ("De cualquier modo, …") leans on it."""

from __future__ import annotations

import pytest

from bot.reading.prompts.engine import (
    Candidate,
    SectionWords,
    is_spoken_to,
    leaves_out_clause,
    names_as_aforementioned,
    point_follows,
    section_candidates,
    section_words,
)
from bot.reading.prompts.kinds import TextKind
from bot.reading.prompts.lexicon import Lexicon, lexicon_for
from bot.reading.prompts.sentences import ParsedSection, parse_section

_OPENING = "O João desceu do barco com o irmão e olhou devagar para a vila deserta."


def _section(
    text: str, language: str
) -> tuple[list[Candidate], ParsedSection, SectionWords, Lexicon]:
    lexicon = lexicon_for(language)
    parsed = parse_section(text, lexicon)
    words = section_words(lexicon, parsed, TextKind.STORY)
    return section_candidates(parsed, lexicon, words, None, TextKind.STORY), parsed, words, lexicon


def _on(text: str, opening: str, language: str) -> tuple[Candidate, ParsedSection, SectionWords]:
    """The first candidate quoting the sentence that opens with `opening`."""
    candidates, parsed, words, _ = _section(text, language)
    found = [c for c in candidates if c.sentence and c.sentence.text.startswith(opening)]
    assert found
    return found[0], parsed, words


def _quoted(candidate: Candidate, words: SectionWords) -> str:
    assert candidate.sentence is not None
    span = candidate.quote_span(25, words)
    assert span is not None
    return candidate.sentence.text[span[0] : span[1]]


def test_a_quote_stopping_at_a_semicolon_before_its_turn_stops_before_its_point() -> None:
    text = (
        "Juan bajó al pueblo con su hermano y miró despacio las calles vacías.\n\n"
        "El río que cruzamos aquella tarde, ancho y lento entre los chopos, llevaba agua "
        "bastante para mover tres molinos; pero ninguno de ellos había molido trigo en años."
    )
    candidate, parsed, words = _on(text, "El río", "es")
    assert _quoted(candidate, words).endswith("tres molinos")
    assert point_follows(candidate, parsed, words, lexicon_for("es"))


def test_a_quote_stopping_at_a_dash_before_when_stops_before_its_point() -> None:
    text = (
        f"{_OPENING}\n\n"
        "A chuva tinha parado e a estrada secava devagar ao sol da tarde -- quando uma "
        "carroça de lenha, que descia da serra sem pressa nenhuma, parou ao nosso lado."
    )
    candidate, parsed, words = _on(text, "A chuva", "pt")
    assert _quoted(candidate, words).endswith("sol da tarde")
    assert point_follows(candidate, parsed, words, lexicon_for("pt"))


def test_a_quote_stopping_at_a_semicolon_before_more_of_a_series_keeps_its_point() -> None:
    text = (
        f"{_OPENING}\n\n"
        "O velho barqueiro remava devagar contra a corrente forte do rio largo e escuro; "
        "a mulher dele cosia as redes ao sol, e o filho mais novo dormia à proa do barco."
    )
    candidate, parsed, words = _on(text, "O velho", "pt")
    assert _quoted(candidate, words).endswith("escuro")
    assert not point_follows(candidate, parsed, words, lexicon_for("pt"))


def test_a_line_answered_by_an_exclamation_in_the_next_paragraph_stops_before_it() -> None:
    text = (
        f"{_OPENING}\n\n"
        "Subimos ao fim do dia ao adro da igreja, de onde se vê o vale inteiro.\n\n"
        "Que luz! que silêncio! que paz!"
    )
    candidate, parsed, words = _on(text, "Subimos", "pt")
    assert point_follows(candidate, parsed, words, lexicon_for("pt"))


def test_a_line_followed_by_a_plain_paragraph_or_more_of_its_own_keeps_its_point() -> None:
    plain = (
        f"{_OPENING}\n\n"
        "Subimos ao fim do dia ao adro da igreja, de onde se vê o vale inteiro.\n\n"
        "O sacristão fechou a porta da igreja atrás de nós."
    )
    candidate, parsed, words = _on(plain, "Subimos", "pt")
    assert not point_follows(candidate, parsed, words, lexicon_for("pt"))
    going_on = (
        f"{_OPENING}\n\n"
        "Subimos ao fim do dia ao adro da igreja, de onde se vê o vale inteiro. "
        "O sacristão fechou a porta da igreja atrás de nós.\n\n"
        "Que luz! que silêncio! que paz!"
    )
    candidate, parsed, words = _on(going_on, "Subimos", "pt")
    assert not point_follows(candidate, parsed, words, lexicon_for("pt"))


def test_a_quote_keeping_a_quarter_of_a_long_sentence_leaves_out_its_point() -> None:
    # Over forty words: a clause of it left out may make a point of its own, but not when the
    # quote keeps a quarter of it or less.
    sentence = (
        "The clerk was alarmed when he opened the ledger, which he had locked away the night "
        "before with every column checked twice and every total underlined in red ink, and "
        "found that the sums on its last page now matched none of the figures above them."
    )
    text = f"The clerk came early to the counting house and lit the lamp.\n\n{sentence}"
    candidate, _, words = _on(text, "The clerk was", "en")
    quoted = _quoted(candidate, words)
    assert len(sentence.split()) > 40
    assert len(sentence.split()) - len(quoted.split()) >= 3 * len(quoted.split())
    assert leaves_out_clause(candidate, words)


def test_the_narrator_speaking_to_a_figure_as_tu_is_cut_from_his_apostrophe() -> None:
    text = (
        f"{_OPENING}\n\n"
        "Ai, velho moinho, já ninguém te escuta! Pararam as tuas mós, e a tua roda apodrece "
        "devagar na água."
    )
    candidates, *_ = _section(text, "pt")
    pararam = [c for c in candidates if c.sentence and c.sentence.text.startswith("Pararam")]
    assert pararam
    assert all(is_spoken_to(c) for c in pararam)
    opening = [c for c in candidates if c.sentence and c.sentence.text.startswith("O João")]
    assert opening
    assert not any(is_spoken_to(c) for c in opening)


def test_a_character_saying_tu_is_no_apostrophe_of_the_narrator() -> None:
    text = (
        "Juan bajó al pueblo con su hermano y miró despacio las calles vacías.\n\n"
        "—Tú no conoces a tu padre —dijo Juan con una sonrisa triste y cansada."
    )
    candidates, *_ = _section(text, "es")
    spoken = [c for c in candidates if c.sentence and "conoces" in c.sentence.text]
    assert spoken
    assert not any(is_spoken_to(c) for c in spoken)


def test_a_quote_naming_the_aforementioned_thing_leans_a_little() -> None:
    text = (
        "Juan bajó al pueblo con su hermano y miró despacio las calles vacías.\n\n"
        "El mencionado cuaderno, copiado a mano, dice lo que sigue."
    )
    _, _, words, _ = _section(text, "es")
    assert names_as_aforementioned("El mencionado cuaderno, copiado a mano", words)
    assert not names_as_aforementioned("El cuaderno, copiado a mano", words)
    assert not names_as_aforementioned("He mencionado el cuaderno", words)


@pytest.mark.parametrize(
    ("text", "leans"),
    [
        ("De cualquier modo, el viaje valió la pena.", True),
        ("Sin embargo, el alcalde del pueblo no quiso firmar nunca aquella carta.", True),
        ("Sea como fuere, el alcalde del pueblo no quiso firmar nunca aquella carta.", True),
        ("El alcalde del pueblo no quiso firmar nunca aquella carta vieja.", False),
    ],
)
def test_a_spanish_quote_opening_on_a_link_leans_on_what_came_before(
    text: str, leans: bool
) -> None:
    # With a sentence standing on its own beside it, one that leans is not quoted at all.
    story = f"Juan bajó al pueblo con su hermano y miró despacio las calles vacías.\n\n{text}"
    candidates, _, _, _ = _section(story, "es")
    quoted = {c.sentence.text for c in candidates if c.sentence}
    assert (text not in quoted) is leans
