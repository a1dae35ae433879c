"""The word lists the quote rules read, built from a language's lexicon, and the quote they
choose in a sentence, for the tests of where a quote may start and stop."""

from __future__ import annotations

from dataclasses import replace

from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.quotes import QuotableText, QuoteWords, choose_quote_in


def plain_quote_words(language: str, *, verse: bool = False) -> QuoteWords:
    """The lexicon's stop words, clause words, abbreviations, dangling words and
    subordinators, without the turning words, articles, demonstratives and opening turns."""
    lexicon = lexicon_for(language)
    return QuoteWords(
        lexicon.stopwords,
        lexicon.clause_words,
        lexicon.abbreviations,
        lexicon.dangling,
        lexicon.subordinators,
        verse=verse,
    )


def engine_quote_words(language: str, *, verse: bool = False) -> QuoteWords:
    """The plain quoting words with the turning words, articles, demonstratives and opening
    turns the engine gives them."""
    lexicon = lexicon_for(language)
    return replace(
        plain_quote_words(language, verse=verse),
        turning=lexicon.turning,
        articles=lexicon.articles,
        demonstratives=lexicon.demonstratives,
        opening_turns=lexicon.opening_turns,
    )


def engine_quote_of(text: str, language: str, *, verse: bool = False) -> str | None:
    """The quote chosen in `text` with `engine_quote_words`, or None where none stands."""
    span = choose_quote_in(
        QuotableText(text, engine_quote_words(language, verse=verse)), (0, len(text))
    )
    return text[span[0] : span[1]] if span else None
