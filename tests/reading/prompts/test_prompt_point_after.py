"""A story's quote whose point comes just after it: its sentence turns after a semicolon or a
dash ("…; pero más pequeña que el patio", "… -- quando um vizinho …"), the next paragraph
answers it with a short exclamation ("Valha-me Deus! que escuro!"), or the quote keeps a quarter
of its sentence or less. Such a quote ranks below one that holds its point; so do the
narrator's words to a figure as "tu", cut from the apostrophe that names it, and a quote
naming its thing as "the aforementioned" one. A Spanish quote opening on a link to what came
before ("De cualquier modo, …") leans on it."""

from __future__ import annotations

import pytest

from bot.reading.prompts.engine import (
    _Candidate,
    _candidates,
    _leaves_out_clause,
    _names_as_aforementioned,
    _point_follows,
    _spoken_to,
    _Words,
    _words,
)
from bot.reading.prompts.lexicon import Lexicon, lexicon_for
from bot.reading.prompts.sentences import ParsedSection, parse_section

_OPENING = "O João desceu do barco com o irmão e olhou devagar para a vila deserta."


def _section(text: str, language: str) -> tuple[list[_Candidate], ParsedSection, _Words, Lexicon]:
    lexicon = lexicon_for(language)
    parsed = parse_section(text, lexicon)
    words = _words(lexicon, parsed, "story")
    return _candidates(parsed, lexicon, words, None, "story"), parsed, words, lexicon


def _on(text: str, opening: str, language: str) -> tuple[_Candidate, ParsedSection, _Words]:
    """The first candidate quoting the sentence that opens with `opening`."""
    candidates, parsed, words, _ = _section(text, language)
    found = [c for c in candidates if c.sentence and c.sentence.text.startswith(opening)]
    assert found
    return found[0], parsed, words


def _quoted(candidate: _Candidate, words: _Words) -> str:
    assert candidate.sentence is not None
    span = candidate.quote_span(25, words)
    assert span is not None
    return candidate.sentence.text[span[0] : span[1]]


def test_a_quote_stopping_at_a_semicolon_before_its_turn_stops_before_its_point() -> None:
    text = (
        "Juan bajó al pueblo con su hermano y miró despacio las calles vacías.\n\n"
        "La huerta de mi abuela, que de niño me parecía inmensa, es sin duda una huerta "
        "grande de aldea; pero más pequeña que el patio del colegio donde jugué tantos años."
    )
    candidate, parsed, words = _on(text, "La huerta", "es")
    assert _quoted(candidate, words).endswith("grande de aldea")
    assert _point_follows(candidate, parsed, words)


def test_a_quote_stopping_at_a_dash_before_when_stops_before_its_point() -> None:
    text = (
        f"{_OPENING}\n\n"
        "Discutiam em mim o cansaço das pernas e a curiosidade dos olhos -- quando um vizinho, "
        "que aparece sempre nas horas mais difíceis, me ofereceu um lugar no seu barco."
    )
    candidate, parsed, words = _on(text, "Discutiam", "pt")
    assert _quoted(candidate, words).endswith("dos olhos")
    assert _point_follows(candidate, parsed, words)


def test_a_quote_stopping_at_a_semicolon_before_more_of_a_series_keeps_its_point() -> None:
    text = (
        f"{_OPENING}\n\n"
        "O velho barqueiro remava devagar contra a corrente forte do rio largo e escuro; "
        "a mulher dele cosia as redes ao sol, e o filho mais novo dormia à proa do barco."
    )
    candidate, parsed, words = _on(text, "O velho", "pt")
    assert _quoted(candidate, words).endswith("escuro")
    assert not _point_follows(candidate, parsed, words)


def test_a_line_answered_by_an_exclamation_in_the_next_paragraph_stops_before_it() -> None:
    text = (
        f"{_OPENING}\n\n"
        "Fomos logo descansar na pequena estalagem da praça, que é também mercearia.\n\n"
        "Valha-me Deus! que cheiro à entrada! que escuro lá dentro!"
    )
    candidate, parsed, words = _on(text, "Fomos", "pt")
    assert _point_follows(candidate, parsed, words)


def test_a_line_followed_by_a_plain_paragraph_or_more_of_its_own_keeps_its_point() -> None:
    plain = (
        f"{_OPENING}\n\n"
        "Fomos logo descansar na pequena estalagem da praça, que é também mercearia.\n\n"
        "A dona veio receber-nos à porta com um avental branco."
    )
    candidate, parsed, words = _on(plain, "Fomos", "pt")
    assert not _point_follows(candidate, parsed, words)
    going_on = (
        f"{_OPENING}\n\n"
        "Fomos logo descansar na pequena estalagem da praça, que é também mercearia. "
        "A dona veio receber-nos à porta com um avental branco.\n\n"
        "Valha-me Deus! que cheiro à entrada! que escuro lá dentro!"
    )
    candidate, parsed, words = _on(going_on, "Fomos", "pt")
    assert not _point_follows(candidate, parsed, words)


def test_a_quote_keeping_a_quarter_of_a_long_sentence_leaves_out_its_point() -> None:
    # Over forty words: a clause of it left out may make a point of its own, but not when the
    # quote keeps a quarter of it or less.
    sentence = (
        "The clerk was puzzled when he opened the morning ledger, which looked just as he had "
        "left it, but among whose long columns there hid, as if on purpose, a small and "
        "stubborn error that spoiled the totals on every page and then vanished so well among "
        "the figures that nobody could say where it began."
    )
    text = f"The clerk came early to the counting house and lit the lamp.\n\n{sentence}"
    candidate, _, words = _on(text, "The clerk was", "en")
    quoted = _quoted(candidate, words)
    assert len(sentence.split()) > 40
    assert len(sentence.split()) - len(quoted.split()) >= 3 * len(quoted.split())
    assert _leaves_out_clause(candidate, words)


def test_the_narrator_speaking_to_a_figure_as_tu_is_cut_from_his_apostrophe() -> None:
    text = (
        f"{_OPENING}\n\n"
        "Oh! Rosa, Rosa, nem tu voltarás à aldeia! Caiu a velha ponte do teu pai, "
        "caminho e às vezes refúgio."
    )
    candidates, *_ = _section(text, "pt")
    caiu = [c for c in candidates if c.sentence and c.sentence.text.startswith("Caiu")]
    assert caiu
    assert all(_spoken_to(c) for c in caiu)
    opening = [c for c in candidates if c.sentence and c.sentence.text.startswith("O João")]
    assert opening
    assert not any(_spoken_to(c) for c in opening)


def test_a_character_saying_tu_is_no_apostrophe_of_the_narrator() -> None:
    text = (
        "Juan bajó al pueblo con su hermano y miró despacio las calles vacías.\n\n"
        "—Tú no conoces a tu padre —dijo Juan con una sonrisa triste y cansada."
    )
    candidates, *_ = _section(text, "es")
    spoken = [c for c in candidates if c.sentence and "conoces" in c.sentence.text]
    assert spoken
    assert not any(_spoken_to(c) for c in spoken)


def test_a_quote_naming_the_aforementioned_thing_leans_a_little() -> None:
    text = (
        "Juan bajó al pueblo con su hermano y miró despacio las calles vacías.\n\n"
        "El mencionado cuaderno, copiado a mano, dice lo que sigue."
    )
    _, _, words, _ = _section(text, "es")
    assert _names_as_aforementioned("El mencionado cuaderno, copiado a mano", words)
    assert not _names_as_aforementioned("El cuaderno, copiado a mano", words)
    assert not _names_as_aforementioned("He mencionado el cuaderno", words)


@pytest.mark.parametrize(
    ("text", "leans"),
    [
        ("De cualquier modo, admito que el viaje me ha cansado mucho.", True),
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
