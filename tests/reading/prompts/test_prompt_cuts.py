"""A quote never stops before the clause that completes its sentence: the "but never" of a
contrast, the second member of an enumeration, the rest of a series, or the main clause after
a colon. Small texts written for the rules."""

from __future__ import annotations

from dataclasses import replace

from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.quotes import QuotableText, QuoteWords, choose_quote_in
from tests.reading.prompts.quote_words import plain_quote_words


def words_of(language: str) -> QuoteWords:
    """The quoting words with the turning words and articles the engine gives them."""
    lexicon = lexicon_for(language)
    return replace(plain_quote_words(language), turning=lexicon.turning, articles=lexicon.articles)


def quote_of(text: str, language: str, max_words: int = 25) -> str | None:
    span = choose_quote_in(
        QuotableText(text, words_of(language)), (0, len(text)), max_words=max_words
    )
    return text[span[0] : span[1]] if span else None


CONTRAST_FR = (
    "Le jardinier arrosait toujours les roses, les tulipes, les lys, -- souvent les haricots, "
    "-- quelquefois les choux, -- mais jamais les orties du fond."
)


def test_a_quote_does_not_stop_before_the_contrast_that_ends_its_sentence() -> None:
    assert quote_of(CONTRAST_FR, "fr", max_words=12) is None
    assert quote_of(CONTRAST_FR, "fr") == CONTRAST_FR.rstrip(".")


def test_a_contrast_in_english_is_kept_with_its_enumeration() -> None:
    text = (
        "The cook salted the soup, the stew and the gravy, often the bread, sometimes the "
        "pudding, but never the porridge of the old master and his wife."
    )
    quote = quote_of(text, "en", max_words=16)
    assert quote is None or "but never" in quote


def test_a_first_member_is_not_quoted_without_the_second() -> None:
    text = (
        "Der Bauer muss nämlich prüfen, erstens, ob der Boden feucht genug ist, und zweitens, "
        "ob die Saat der Nachbarn nicht schon von den Mäusen angefressen wurde."
    )
    quote = quote_of(text, "de", max_words=12)
    assert quote is None or "zweitens" in quote


def test_reasons_announced_before_a_colon_are_quoted_with_both_reasons() -> None:
    text = (
        "Nous partirons avant l'aube pour deux motifs: le premier, c'est que la marée "
        "descend tôt, et le second, c'est que le vent tourne à midi."
    )
    assert quote_of(text, "fr", max_words=14) is None
    assert quote_of(text, "fr") == text.rstrip(".")


def test_a_series_of_clauses_ending_alike_is_not_cut_after_its_first() -> None:
    text = (
        "Le chat renversa le lait le jeudi, deux fois; le vendredi, pendant que la cuisinière "
        "dormait, cinq fois; et le samedi, vingt fois au moins!"
    )
    quote = quote_of(text, "fr", max_words=14)
    assert quote is None or "vingt fois" in quote


def test_a_sentence_closing_on_its_opening_word_is_no_series() -> None:
    text = (
        "Then came the frost, under whose white weight the last flowers of the quiet garden "
        "bent slowly down, and the gardener worked on and on, faster as it grew whiter and "
        "harder with the frost."
    )
    assert quote_of(text, "en") == (
        "Then came the frost, under whose white weight the last flowers of the quiet garden "
        "bent slowly down"
    )


def test_a_phrase_and_its_relative_are_not_quoted_without_the_clause_after_the_colon() -> None:
    text = (
        "Bei aller Mühe, die der Umzug, das Packen und die lange Fahrt gekostet haben mag: "
        "am Ende blieb uns ein Garten, in dem die Kinder bis zum Abend spielen konnten."
    )
    quote = quote_of(text, "de")
    # Ending at the colon would score best: the clause after it is quoted with the phrase.
    assert quote is not None
    assert not quote.endswith("gekostet haben mag"), quote
