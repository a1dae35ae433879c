"""A story's likeness that carries on one drawn earlier in its paragraph ("…, como restos de
carga maltratados por las olas" after "Parecía el casco de un barco … roto por las olas")
ranks below it: its words stand for what the earlier likeness set up. A Spanish "parecía el
…" draws a likeness as "parecía un …" does, and a quote naming its thing as the one met
before ("el canto que había oído antes") leans on the words before it as "el mencionado …"
does."""

from __future__ import annotations

from bot.reading.prompts.engine import (
    _Candidate,
    _candidates,
    _continues_image,
    _met_before,
    _Words,
    _words,
)
from bot.reading.prompts.lexicon import Lexicon, lexicon_for
from bot.reading.prompts.sentences import ParsedSection, parse_section

_OPENING = "Juan bajó al pueblo con su hermano y miró despacio las calles vacías."
_WRECK = (
    "Parecía el casco de un barco viejo, varado en la arena, que las olas hubieran partido en dos."
)
_CARGO = "En el fondo brillaban charcos de agua, como restos de espuma dejados por las olas."


def _section(text: str) -> tuple[list[_Candidate], ParsedSection, _Words, Lexicon]:
    lexicon = lexicon_for("es")
    parsed = parse_section(text, lexicon)
    words = _words(lexicon, parsed, "story")
    return _candidates(parsed, lexicon, words, None, "story"), parsed, words, lexicon


def _on(candidates: list[_Candidate], opening: str, move: str | None = None) -> _Candidate:
    found = [
        c
        for c in candidates
        if c.sentence and c.sentence.text.startswith(opening) and move in (None, c.move)
    ]
    assert found
    return found[0]


def test_a_likeness_carrying_on_one_drawn_before_in_its_paragraph_continues_it() -> None:
    text = f"{_OPENING}\n\nLa cueva era honda y fría. {_WRECK} {_CARGO}"
    candidates, parsed, words, lexicon = _section(text)
    cargo = _on(candidates, "En el fondo", "image")
    assert _continues_image(cargo, parsed, lexicon, words)
    wreck = _on(candidates, "Parecía", "image")
    assert not _continues_image(wreck, parsed, lexicon, words)
    assert wreck.strength > cargo.strength


def test_a_likeness_of_its_own_after_another_does_not_continue_it() -> None:
    other = "En el fondo brillaban charcos de agua, como trozos de cielo caídos entre las piedras."
    text = f"{_OPENING}\n\nLa cueva era honda y fría. {_WRECK} {other}"
    candidates, parsed, words, lexicon = _section(text)
    assert not _continues_image(_on(candidates, "En el fondo", "image"), parsed, lexicon, words)


def test_a_likeness_in_another_paragraph_does_not_continue_it() -> None:
    text = f"{_OPENING}\n\nLa cueva era honda y fría. {_WRECK}\n\nEl perro ladró. {_CARGO}"
    candidates, parsed, words, lexicon = _section(text)
    assert not _continues_image(_on(candidates, "En el fondo", "image"), parsed, lexicon, words)


def test_parecia_with_the_article_draws_a_likeness_but_not_before_mas() -> None:
    text = (
        f"{_OPENING}\n\nLa cueva era honda y fría. {_WRECK}\n\n"
        "El viejo parecía el más feliz de los hombres de aquel pueblo tan triste y tan pobre."
    )
    candidates, _, _, _ = _section(text)
    assert any(c.move == "image" for c in candidates if c.sentence and "barco" in c.sentence.text)
    assert not any(
        c.move == "image" for c in candidates if c.sentence and "feliz" in c.sentence.text
    )


def test_a_thing_named_as_the_one_met_before_leans_on_the_words_before() -> None:
    text = (
        f"{_OPENING}\n\n"
        "Al salir de la cueva, lo primero que oyó el médico fue el canto triste que había "
        "oído antes.\n\n"
        "Al salir de la cueva, el médico comió el pan que había comprado antes de entrar."
    )
    candidates, _, words, lexicon = _section(text)
    sung, bought = (c for c in candidates if c.sentence and c.sentence.text.startswith("Al"))
    assert _met_before(sung, lexicon, words)
    assert not _met_before(bought, lexicon, words)
