"""pysbd's list pass, skipped where it can change nothing; its sentences found again in the
text without a pattern compiled for each.

pysbd (0.3.4) opens its work on a text by looking for lists: lettered items ("a.", "(b)"),
roman ones ("iv."), numbered ones ("1.", "2)"), each kind with regular expressions scanned
over the whole text, seven scans in all, and most texts hold no list. Every change the pass
makes starts from a match of one of four of its patterns, or from its marks "♨" and "☝"
already in the text; where none of those can match, the pass gives back the text as it
came. One scan for what every such match needs tells the two apart:

- a lettered item with a full stop, `(?<=^|\\s)[a-z](?=\\.)`, needs a full stop after a
  lower-case letter that follows a space or opens the text;
- a lettered or roman item with a parenthesis, `(?<=^|\\s|\\()[a-z]+(?=\\))`, changes
  something only when the letters are one of pysbd's items ("b", "iv"), right before ")";
- a numbered item, `\\s\\d{1,2}(?=\\.\\s)` and the like, needs one or two digits after a
  space, a dash or the text's start, then a full stop and a space or ")";
- a numbered item with a parenthesis, `\\d{1,2}(?=\\)\\s)`, a digit, ")" and a space.

The scan opens on "." or ")" (or a mark), so the engine skips ahead to those characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from pysbd import Segmenter
from pysbd.lang.common import Common
from pysbd.lists_item_replacer import ListItemReplacer
from pysbd.processor import Processor
from pysbd.utils import Text, TextSpan

_ITEMS = sorted(set(ListItemReplacer.LATIN_NUMERALS) | set(ListItemReplacer.ROMAN_NUMERALS))
_MAY_HOLD_LIST = re.compile(
    r"\.(?:(?<=\s[a-z]\.)|(?<=^[a-z]\.)"
    r"|(?:(?<=[\s\-⁃]\d\.)|(?<=[\s\-⁃]\d\d\.)|(?<=^\d\.)|(?<=^\d\d\.))[\s)])"
    r"|\)(?:(?<=\d\))\s|"
    + "|".join(rf"(?<=[\s(]{item}\))|(?<=^{item}\))" for item in _ITEMS)
    + r")|[♨☝]"
)


def may_hold_list(text: str) -> bool:
    """False when pysbd's list pass gives back `text` unchanged."""
    return _MAY_HOLD_LIST.search(text) is not None


class _ListGate(Processor):
    """pysbd's `Processor.process`, step for step, with the list pass only where a list
    may be."""

    text: str  # pysbd's: the text, as each step leaves it

    def process(self) -> list[str] | str:
        if not self.text:
            return self.text  # an empty text as it came, as pysbd gives it back
        self.text = self.text.replace("\n", "\r")
        if may_hold_list(self.text):
            self.text = ListItemReplacer(self.text).add_line_break()
        self.replace_abbreviations()
        self.replace_numbers()
        self.replace_continuous_punctuation()
        self.replace_periods_before_numeric_references()
        self.text = Text(self.text).apply(
            self.lang.Abbreviation.WithMultiplePeriodsAndEmailRule,
            self.lang.GeoLocationRule,
            self.lang.FileFormatRule,
        )
        return self.split_into_segments()

    def split_into_segments(self) -> list[str]:
        """pysbd's, step for step, but for its symbols put back only where a sentence holds
        them (`_apply_present`): most sentences hold none of the seventeen."""
        self.check_for_parens_between_quotes()
        sents = self.text.split("\r")
        sents = self.rm_none_flatten(sents)
        sents = [
            Text(s).apply(self.lang.SingleNewLineRule, *self.lang.EllipsisRules.All) for s in sents
        ]
        sents = [self.check_for_punctuation(s) for s in sents]
        sents = self.rm_none_flatten(sents)
        postprocessed_sents: list[str] = []
        for sent in sents:
            sent = _apply_present(sent, self.lang.SubSymbolsRules.All)
            post_process_sent = self.post_process_segments(sent)
            if post_process_sent and isinstance(post_process_sent, str):
                postprocessed_sents.append(post_process_sent)
            elif isinstance(post_process_sent, list):
                for pps in post_process_sent:
                    postprocessed_sents.append(pps)
        return [Text(ns).apply(self.lang.SubSingleQuoteRule) for ns in postprocessed_sents]


_PATTERN_CHARACTERS = frozenset("\\.^$*+?{}[]|()")


@cache
def _plain(pattern: str) -> bool:
    """Whether a pattern matches only its own text, character for character."""
    return _PATTERN_CHARACTERS.isdisjoint(pattern)


def _apply_present(text: str, rules: Iterable[Any]) -> str:
    """`Text(text).apply(*rules)`, passing over each rule whose pattern is plain text that
    `text` does not hold: its substitution would change nothing."""
    out = str(text)
    for rule in rules:
        if _plain(rule.pattern) and rule.pattern not in out:
            continue
        out = re.sub(rule.pattern, rule.replacement, out)
    return out


def with_list_gate(language: type[Common]) -> type[Common]:
    """`language` (a pysbd language class) whose processor skips the list pass where it
    would change nothing; a language whose processor has its own `process` keeps it."""
    processor = getattr(language, "Processor", Processor)
    if processor.process is not Processor.process:
        return language
    gated = type("Processor", (_ListGate, processor), {})
    return type(language.__name__, (language,), {"Processor": gated})


_SPACES = re.compile(r"\s*")


class FindingSegmenter(Segmenter):
    """pysbd's segmenter, finding each sentence again in the text with `str.find` where pysbd
    compiles and runs a pattern for it (`re.escape(sentence) + "\\s*"`): the same spans."""

    def sentences_with_char_spans(self, sentences: Iterable[str]) -> list[TextSpan]:
        spans = []
        prior_end = 0
        for sentence in sentences:
            span = _span(self.original_text, sentence, prior_end)
            if span is not None:
                spans.append(span)
                prior_end = span.end
        return spans


def _span(text: str, sentence: str, prior_end: int) -> TextSpan | None:
    """The first occurrence of `sentence`, with the spaces after it, that ends after
    `prior_end`, taking occurrences as `re.finditer` does: each search goes on from the end
    of the one before."""
    if not sentence:  # the pattern is then "\\s*" alone, matching everywhere: pysbd's way
        found = (m for m in re.finditer(r"\s*", text) if m.end() > prior_end)
        return next((TextSpan(m.group(), m.start(), m.end()) for m in found), None)
    at = text.find(sentence)
    while at >= 0:
        spaces = _SPACES.match(text, at + len(sentence))
        assert spaces is not None  # `_SPACES` matches anywhere, if only the empty string
        end = spaces.end()
        if end > prior_end:
            return TextSpan(text[at:end], at, end)
        at = text.find(sentence, end)
    return None
