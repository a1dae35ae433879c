"""A language model's prompts, read and checked against the section before anyone sees them.

A model's answer is trusted for nothing. Each prompt it returns must name one of the three
Shared Inquiry kinds, ask a question of the usual length that ends with a question mark,
be written in the reading's language, and quote 3–25 words of the section verbatim (after
whitespace and quote marks are normalised); words it puts in quote marks in the question must
be the section's too, and no prompt may repeat another. What fails is dropped, with its
reason. `merge` then fills the engine's plan with what passed, keeping the engine's own
prompt wherever the model's is missing, so a section always has its three kinds.

Pure: no I/O, no logging. Reasons name the rule broken, never the text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from bot.reading.prompts import quotes
from bot.reading.prompts.lexicon import base_language
from bot.reading.prompts.model import (
    MAX_CHARS,
    MIN_CHARS,
    STAGE_LABELS,
    Prompt,
    PromptKind,
    PromptSet,
    prompt_kind,
)
from bot.reading.prompts.sentences import count_quote_words

MODEL_TEMPLATE = "model"  # the `template` (and `move`) of a prompt the model wrote
MAX_PROMPTS = 5
_QUESTION_MARKS = ("?", "？", "؟")
_DOUBLE_QUOTES = "“”„‟«»〝〞＂"
_SINGLE_QUOTES = "‘’‚‛‹›"
_QUOTE_MAP = str.maketrans(dict.fromkeys(_DOUBLE_QUOTES, '"') | dict.fromkeys(_SINGLE_QUOTES, "'"))
# Words the question itself puts in double quote marks (once they are made plain).
_QUOTED = re.compile(r'"([^"]+)"')
_LINE_MARK = " / "  # between two lines of verse quoted together
_LETTERS_TO_JUDGE = 12  # fewer letters than this outside quotes: too little to tell a language
_LANGUAGE_MARGIN = 0.05  # a close second (a sister language) still counts as a match


class AnswerError(ValueError):
    """The answer as a whole cannot be read as prompts; the message says why, without it."""


@dataclass(frozen=True)
class Drop:
    """A prompt of the model's answer that did not pass, by its 1-based place in the answer."""

    number: int
    reason: str


@dataclass(frozen=True)
class CheckedAnswer:
    """What passed (in the answer's order) and what was dropped, with reasons."""

    accepted: tuple[Prompt, ...]
    dropped: tuple[Drop, ...]
    offered: int  # how many prompts the answer held


def normalise(text: str) -> str:
    """Quote marks made plain and whitespace runs made single spaces, as quotes are compared."""
    return " ".join(text.translate(_QUOTE_MAP).split())


class _Located:
    """The section normalised as quotes are, with each character's place in the original."""

    def __init__(self, text: str) -> None:
        self.text = text
        chars: list[str] = []
        origin: list[int] = []
        # Where a space of the flat text stands for whitespace holding a line break.
        self.breaks: set[int] = set()
        pending_space: int | None = None
        for index, char in enumerate(text.translate(_QUOTE_MAP)):
            if char.isspace():
                if chars and pending_space is None:
                    pending_space = index
                if chars and char == "\n":
                    self.breaks.add(len(chars))
                continue
            if pending_space is not None:
                chars.append(" ")
                origin.append(pending_space)
                pending_space = None
            chars.append(char)
            origin.append(index)
        self.flat = "".join(chars)
        self.folded = self.flat.casefold() if len(self.flat.casefold()) == len(self.flat) else None
        self.origin = origin

    def find(self, quote: str, *, ignore_case: bool = False) -> tuple[int, int] | None:
        """The original span of `quote` (normalised), whole words only; None when absent.
        Lines of verse may be quoted apart by " / " where the section breaks the line."""
        needle = normalise(quote)
        found = self._search(needle, [], ignore_case)
        # Each " / " of a quote of verse may stand for a line break of the section.
        slashes = []
        while found is None and _LINE_MARK in needle:
            at = needle.index(_LINE_MARK)
            slashes.append(at)
            needle = needle[:at] + " " + needle[at + len(_LINE_MARK) :]
        return found or (self._search(needle, slashes, ignore_case) if slashes else None)

    def _search(self, needle: str, breaks: list[int], ignore_case: bool) -> tuple[int, int] | None:
        """The span of `needle` in the flat text, whole words only, with a line break of the
        section at each of `breaks` (offsets in the needle)."""
        haystack = self.flat
        if ignore_case and self.folded is not None:
            needle, haystack = needle.casefold(), self.folded
        if not needle:
            return None
        start = haystack.find(needle)
        while start != -1:
            end = start + len(needle)
            lines_kept = all(start + at in self.breaks for at in breaks)
            if _whole_words(haystack, start, end) and lines_kept:
                return self.origin[start], self.origin[end - 1] + 1
            start = haystack.find(needle, start + 1)
        return None

    def paragraph(self, offset: int) -> int:
        """The 1-based block (blocks are separated by blank lines) holding `offset`."""
        return self.text.count("\n\n", 0, offset) + 1


def _whole_words(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    cut_start = text[start].isalnum() and before.isalnum()
    cut_end = text[end - 1].isalnum() and after.isalnum()
    return not cut_start and not cut_end


def parse_answer(content: str) -> list[dict[str, Any]]:
    """The prompts in a model's answer: `{"prompts": [...]}` or a bare list, found even when
    wrapped in a code fence or in words. Raises AnswerError when there are none to read."""
    decoder = json.JSONDecoder()
    found: Any = None
    for match in re.finditer(r"[\[{]", content):
        try:
            found, _ = decoder.raw_decode(content, match.start())
        except json.JSONDecodeError:
            continue
        if isinstance(found, dict | list):
            break
    if found is None:
        raise AnswerError("the answer holds no JSON")
    items = found.get("prompts", found.get("questions")) if isinstance(found, dict) else found
    if not isinstance(items, list) or not items:
        raise AnswerError("the answer's JSON holds no list of prompts")
    return [item if isinstance(item, dict) else {} for item in items]


def _field(item: dict[str, Any], *names: str) -> str:
    for name in names:
        value = item.get(name)
        if isinstance(value, str):
            return value
    return ""


def language_matches(text: str, language: str) -> bool:
    """Whether `text` reads as `language`. Quoted words are left out (they are the section's,
    in its language whatever the question's); text too short to judge passes."""
    own_words = _QUOTED.sub(" ", text.translate(_QUOTE_MAP))
    if sum(ch.isalpha() for ch in own_words) < _LETTERS_TO_JUDGE:
        return True
    expected = base_language(language)
    import py3langid  # with numpy, a twelfth of a second: only a model's prompts need it

    ranked: list[tuple[str, float]] = py3langid.rank(own_words)
    best_code, best_score = ranked[0]
    if best_code == expected:
        return True
    scores = dict(ranked)
    if expected not in scores:
        return False
    # Scores are log-probabilities (negative): a sister language may edge ahead by a little.
    return scores[expected] >= best_score * (1 + _LANGUAGE_MARGIN)


def _bare_quote(quote: str) -> str:
    """The quote without the marks and ellipses a model may wrap around it."""
    bare = quote.strip().strip("\"'“”‘’«»„").strip()
    bare = re.sub(r"^(?:\.\.\.|…)\s*|\s*(?:\.\.\.|…)$", "", bare)
    return bare.strip("\"'“”‘’«»„").strip()


def _kind(item: dict[str, Any]) -> PromptKind | None:
    value = _field(item, "kind", "type").strip().lower()
    # A model may name the stage ("opening") where the kind ("factual") was asked for.
    by_stage = {stage.lower(): kind for kind, stage in STAGE_LABELS.items()}
    return by_stage.get(value) or prompt_kind(value)


def _check_one(
    item: dict[str, Any], section: _Located, language: str, seen: set[str]
) -> Prompt | str:
    """A checked prompt, or the reason it fails."""
    kind = _kind(item)
    if kind is None:
        return "its kind is not factual, interpretive or evaluative"
    text = " ".join(_field(item, "text", "question", "prompt").split())
    if not MIN_CHARS <= len(text) <= MAX_CHARS:
        return f"its question is not {MIN_CHARS}–{MAX_CHARS} characters long"
    if not text.endswith(_QUESTION_MARKS):
        return "its question does not end with a question mark"
    quote = _bare_quote(_field(item, "quote"))
    words = count_quote_words(quote)
    if not quotes.MIN_WORDS <= words <= quotes.MAX_WORDS:
        return f"its quote is not {quotes.MIN_WORDS}–{quotes.MAX_WORDS} words long"
    span = section.find(quote)
    if span is None:
        return "its quote is not in the section word for word"
    original = section.text[span[0] : span[1]]
    if "\n\n" in original:
        return "its quote runs across paragraphs"
    for match in _QUOTED.finditer(text.translate(_QUOTE_MAP)):
        if section.find(match[1], ignore_case=True) is None:
            return "its question quotes words that are not in the section"
    if not language_matches(text, language):
        return "its question is not in the reading's language"
    key = re.sub(r"\W+", " ", text.casefold()).strip()
    if key in seen:
        return "it repeats another prompt"
    seen.add(key)
    return Prompt(
        kind=kind,
        text=text,
        quote=original,
        paragraph=section.paragraph(span[0]),
        key_phrase=None,
        template=MODEL_TEMPLATE,
        move=MODEL_TEMPLATE,
    )


def check_prompts(
    items: Sequence[dict[str, Any]], section_text: str, language: str
) -> CheckedAnswer:
    """Check each of a model's prompts against the section; the first five that pass count."""
    section = _Located(section_text)
    accepted: list[Prompt] = []
    dropped: list[Drop] = []
    seen: set[str] = set()
    for number, item in enumerate(items, 1):
        outcome = _check_one(item, section, language, seen)
        if isinstance(outcome, str):
            dropped.append(Drop(number, outcome))
        elif len(accepted) == MAX_PROMPTS:
            dropped.append(Drop(number, f"the answer has more than {MAX_PROMPTS} good prompts"))
        else:
            accepted.append(outcome)
    return CheckedAnswer(tuple(accepted), tuple(dropped), len(items))


def check_answer(content: str, section_text: str, language: str) -> CheckedAnswer:
    """Parse a model's answer and check its prompts. Raises AnswerError when it cannot be read."""
    return check_prompts(parse_answer(content), section_text, language)


def is_model_written(prompt: Prompt) -> bool:
    return prompt.template == MODEL_TEMPLATE


def merge(engine: PromptSet, accepted: Sequence[Prompt]) -> PromptSet:
    """The engine's plan (one opening, one to three core, one closing question) filled with
    the model's prompts of each kind in order, the engine's own where the model has none.

    A model's extra core questions are added up to five prompts in all. When the engine had
    nothing to ask (a section of scraps), the model's prompts stand only if all three kinds
    are among them.
    """
    by_kind: dict[PromptKind, list[Prompt]] = {kind: [] for kind in PromptKind}
    for prompt in accepted:
        by_kind[prompt.kind].append(prompt)
    if not engine.prompts:
        if all(by_kind[kind] for kind in PromptKind):
            chosen = [
                by_kind[PromptKind.FACTUAL][0],
                *by_kind[PromptKind.INTERPRETIVE][:3],
                by_kind[PromptKind.EVALUATIVE][0],
            ]
            return replace(engine, prompts=tuple(chosen))
        return engine
    out: list[Prompt] = []
    for prompt in engine.prompts:
        mine = by_kind[prompt.kind]
        out.append(mine.pop(0) if mine else prompt)
    spare = by_kind[PromptKind.INTERPRETIVE]
    while spare and len(out) < MAX_PROMPTS:
        last_core = max(i for i, p in enumerate(out) if p.kind != PromptKind.EVALUATIVE)
        out.insert(last_core + 1, spare.pop(0))
    return replace(engine, prompts=tuple(out))
