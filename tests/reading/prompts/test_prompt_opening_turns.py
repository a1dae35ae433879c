"""A sentence that opens on a turn against the one before ("Pourtant, …", "Yet, …", "Sin
embargo, …") is not quoted from after the turn's clause when a quote from its start will do:
the quote would drop what it turns on. Small texts written for the rule."""

from __future__ import annotations

from dataclasses import replace

from bot.reading.prompts.quotes import (
    QuotableText,
    choose_quote_in,
    quote_tokens,
    windows_keeping_turn,
)
from tests.reading.prompts.quote_words import engine_quote_of, engine_quote_words

# 37 words: too long to quote whole.
TURN_VERSE_FR = (
    "Pourtant, quand vient le soir sur la colline rousse,\n"
    "Le Meunier las s'assied au bord de son canal,\n"
    "Écoute l'eau qui court sur le gravier, la mousse,\n"
    "Et tire de sa poche un vieux sifflet de métal."
)
TURN_PROSE_EN = (
    "Yet, for all the doctor had said of rest and quiet — Hallam went back to the mill on "
    "the Monday and worked there until dark, and was seen at the gate long after the lamps "
    "were lit in the lane."
)
PLAIN_PROSE_ES = (
    "A pesar de la lluvia y del frío de aquella noche tan larga, el viejo molinero salió "
    "al camino con su farol encendido y esperó a su hijo hasta que amaneció sobre los "
    "campos y el río."
)


def test_a_verse_quote_keeps_the_turn_that_opens_its_sentence() -> None:
    quote = engine_quote_of(TURN_VERSE_FR, "fr", verse=True)
    assert quote is not None
    assert quote.startswith("Pourtant, quand vient le soir")
    assert "Le Meunier las" in quote


def test_a_prose_quote_keeps_the_turn_before_a_dash() -> None:
    quote = engine_quote_of(TURN_PROSE_EN, "en")
    assert quote is not None
    assert quote.startswith("Yet, for all the doctor had said"), quote
    words = replace(engine_quote_words("en"), opening_turns=frozenset())
    span = choose_quote_in(QuotableText(TURN_PROSE_EN, words), (0, len(TURN_PROSE_EN)))
    assert span is not None
    assert TURN_PROSE_EN[span[0] :].startswith("Hallam")


def test_a_turn_of_two_words_is_read_as_one() -> None:
    turns = engine_quote_words("es").opening_turns
    text = "Sin embargo, bajo la lluvia — El viejo esperó a su hijo."
    tokens = quote_tokens(text, frozenset())
    windows = [(1.0, 0, 5), (2.0, 6, 10)]  # from the start; from "El" after the dash
    assert windows_keeping_turn(tokens, windows, turns) == [(1.0, 0, 5)]
    assert windows_keeping_turn(tokens, windows, frozenset({"embargo"})) == windows


def test_a_sentence_without_a_turn_is_quoted_as_before() -> None:
    without = engine_quote_words("es")
    plain = choose_quote_in(QuotableText(PLAIN_PROSE_ES, without), (0, len(PLAIN_PROSE_ES)))
    no_turns = choose_quote_in(
        QuotableText(PLAIN_PROSE_ES, replace(without, opening_turns=frozenset())),
        (0, len(PLAIN_PROSE_ES)),
    )
    assert plain == no_turns
