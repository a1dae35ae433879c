"""A quote never stops before the clause that completes its sentence: the "but never" of a
contrast, the second member of an enumeration, the rest of a series, or the main clause after
a colon. Small texts written for the rules."""

from __future__ import annotations

from dataclasses import replace

from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.quotes import QuoteWords, choose_quote
from tests.reading.prompts.test_prompt_quotes import words_of as quotes_words_of


def words_of(language: str) -> QuoteWords:
    """The quoting words with the turning words and articles the engine gives them."""
    lexicon = lexicon_for(language)
    return replace(quotes_words_of(language), turning=lexicon.turning, articles=lexicon.articles)


def quote_of(text: str, language: str, max_words: int = 25) -> str | None:
    span = choose_quote(text, (0, len(text)), words_of(language), max_words=max_words)
    return text[span[0] : span[1]] if span else None


CONTRAST_FR = (
    "Les marins craignaient toujours le vent, la pluie, les récifs, -- souvent les pirates, "
    "-- quelquefois le capitaine, -- mais jamais la mer elle-même."
)


def test_a_quote_does_not_stop_before_the_contrast_that_ends_its_sentence() -> None:
    assert quote_of(CONTRAST_FR, "fr", max_words=12) is None
    assert quote_of(CONTRAST_FR, "fr") == CONTRAST_FR.rstrip(".")


def test_a_contrast_in_english_is_kept_with_its_enumeration() -> None:
    text = (
        "The villagers feared the wolves, the floods and the tax collector, often the "
        "soldiers, sometimes the priest, but never the old miller and his sons."
    )
    quote = quote_of(text, "en", max_words=16)
    assert quote is None or "but never" in quote


def test_a_first_member_is_not_quoted_without_the_second() -> None:
    text = (
        "Man darf nämlich fragen, erstens, ob es solche Gegensätze giebt, und zweitens, ob "
        "jene alten Schätzungen der Gelehrten nicht bloss vorläufige Meinungen sind."
    )
    quote = quote_of(text, "de", max_words=12)
    assert quote is None or "zweitens" in quote


def test_reasons_announced_before_a_colon_are_quoted_with_both_reasons() -> None:
    text = (
        "Vous devez être prudent pour deux raisons: la première, c'est que la route est "
        "longue, et la seconde, c'est que votre cheval est vieux."
    )
    assert quote_of(text, "fr", max_words=14) is None
    assert quote_of(text, "fr") == text.rstrip(".")


def test_a_series_of_clauses_ending_alike_is_not_cut_after_its_first() -> None:
    text = (
        "Le meunier tomba dans la rivière le lundi, trois fois; le mardi, quand le vent "
        "soufflait du nord, quatre fois; et le mercredi, dix fois peut-être!"
    )
    quote = quote_of(text, "fr", max_words=14)
    assert quote is None or "dix fois" in quote


def test_a_sentence_closing_on_its_opening_word_is_no_series() -> None:
    text = (
        "Then came the night, in whose dark lap the last sounds of the sleepy valley died "
        "slowly away, and the traveller walked on and on, quicker as it grew darker and "
        "colder with the night."
    )
    assert quote_of(text, "en") == (
        "Then came the night, in whose dark lap the last sounds of the sleepy valley died "
        "slowly away"
    )


def test_a_phrase_and_its_relative_are_not_quoted_without_the_clause_after_the_colon() -> None:
    text = (
        "Bei aller Liebe, die dem Freunde, dem Bruder, dem Nachbarn zukommen mag: es wäre "
        "möglich, dass dem Fremden eine höhere und grundsätzlichere Liebe gebührt, als wir "
        "bisher zu glauben wagten."
    )
    quote = quote_of(text, "de")
    assert quote is None or not quote.endswith("zukommen mag")
