"""pysbd's abbreviation pass with the same result in one scan of a line instead of hundreds.

pysbd (0.3.4) protects the full stop of an abbreviation ("Mr.", "p. ex.") by writing "∯" in
its place. For every abbreviation of the language found in a line it runs a search and, for
every occurrence, a substitution over the whole line. Here one scan finds the words written
just before a full stop, and a look-up decides which of them pysbd would protect, by its rules
to the letter, quirks included. Abbreviations holding a regular-expression character ("e.g",
"c.-à-d", "bs. as") go through pysbd's own steps, in their place in the list: its patterns
read them as regular expressions ("." stands for any character there).

Why one scan gives the same result: pysbd only ever turns "." into "∯". For an abbreviation
of plain characters, whether a full stop is protected depends on the word before it (never
changed) and on the character after it; only a "." after it can change, and only through a
pattern whose match ends in a "." (one of the abbreviations left to pysbd's steps). So the
plain abbreviations between two of those can be decided together, on the line as it stands.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pysbd.abbreviation_replacer import AbbreviationReplacer
from pysbd.lang.common import Common
from pysbd.lang.deutsch import Deutsch

from bot.reading.prompts.ignorecase import EXTRA_CASES

_REGEX_CHARACTERS = frozenset(".^$*+?{}[]\\|()")
# A word written right before a full stop, from a space or the start of the line.
_BEFORE_STOP = re.compile(r"(?<!\S)[^\s.]+(?=\.)")
# What may follow a protected full stop (pysbd's lookaheads, matched just after the stop).
_AFTER_ABBREVIATION = re.compile(r"[.:\-?,]|\s(?:[a-z]|I\s|I'm|I'll|\d|\()")
_AFTER_PREPOSITIVE = re.compile(r"\s|:\d+")
_AFTER_NUMBER_ABBREVIATION = re.compile(r"\s\d|\s+\(")
_AFTER_GERMAN = re.compile(r"\s")
# re.IGNORECASE compares simple lower cases, and takes a few more letters as the same ("s"
# and "ſ", "µ" and "μ"): one letter of each such class stands for all of them.
_SAME_LETTER = {lower: chr(min(lower, *others)) for lower, others in EXTRA_CASES.items()}
_MARK = "∯"


def fold(word: str) -> str:
    """The form two words share when re.IGNORECASE matches one against the other."""
    return word.replace("İ", "i").lower().translate(_SAME_LETTER)


@dataclass(frozen=True)
class _Plan:
    """A language's abbreviations, in list order (the order pysbd works through them)."""

    plain: dict[str, tuple[tuple[int, str], ...]]  # folded form → (position, abbreviation)
    special: tuple[tuple[int, str], ...]  # those holding a regular-expression character
    prepositive: frozenset[str]
    number: frozenset[str]
    german: bool  # Deutsch's rule: any stop after the match, when a space follows
    size: int

    @classmethod
    def of(cls, language: type[Common], german: bool) -> _Plan:
        plain: dict[str, list[tuple[int, str]]] = {}
        special = []
        for index, entry in enumerate(language.Abbreviation.ABBREVIATIONS):
            abbreviation = entry.strip()
            if any(c in _REGEX_CHARACTERS or c.isspace() for c in abbreviation):
                special.append((index, abbreviation))
            else:
                plain.setdefault(fold(abbreviation), []).append((index, abbreviation))
        return cls(
            {key: tuple(entries) for key, entries in plain.items()},
            tuple(special),
            frozenset(language.Abbreviation.PREPOSITIVE_ABBREVIATIONS),
            frozenset(language.Abbreviation.NUMBER_ABBREVIATIONS),
            german,
            len(language.Abbreviation.ABBREVIATIONS),
        )


class _OneScan:
    """Replaces pysbd's `search_for_abbreviations_in_string`; the rest of its replacer stays."""

    _plan: _Plan
    # pysbd's own, from the replacer this class is mixed into (`with_one_scan`)
    scan_for_replacements: Callable[[str, str, int, list[str]], str]

    def search_for_abbreviations_in_string(self, text: str) -> str:
        """`text` with "∯" for every full stop pysbd protects after an abbreviation."""
        lowered = text.lower()
        plan = self._plan
        present = [(i, a) for i, a in plan.special if a in lowered]
        low = -1
        for index, abbreviation in present:
            text = self._mark_plain(text, lowered, low, index)
            text = self._mark_special(text, abbreviation)
            low = index
        return self._mark_plain(text, lowered, low, plan.size)

    def _mark_special(self, text: str, abbreviation: str) -> str:
        """pysbd's own steps for one abbreviation."""
        found = re.findall(rf"(?:^|\s|\r|\n){abbreviation}", text, flags=re.IGNORECASE)
        if not found:
            return text
        following = re.findall(r"(?<={" + re.escape(abbreviation) + "} ).{1}", text)
        for index, match in enumerate(found):
            text = self.scan_for_replacements(text, match, index, following)
        return text

    def _mark_plain(self, text: str, lowered: str, low: int, high: int) -> str:
        """Protect the stops pysbd protects for the plain abbreviations listed between
        positions `low` and `high` (both excluded)."""
        stops = []
        for match in _BEFORE_STOP.finditer(text):
            word = match.group()
            first = self._first(word, text, lowered)
            if first is not None and low < first < high and self._follows(word, text, match.end()):
                stops.append(match.end())
        if self._plan.german:
            stops += self._after_opening(text, lowered, low, high)
        return _marked(text, stops)

    def _first(self, word: str, text: str, lowered: str) -> int | None:
        """The list position at which pysbd protects a stop after `word`: the first
        abbreviation it matches that is in the line and not vetoed."""
        for index, abbreviation in self._plan.plain.get(fold(word), ()):
            if abbreviation in lowered and not self._vetoed(word, abbreviation, text):
                return index
        return None

    def _vetoed(self, word: str, abbreviation: str, text: str) -> bool:
        """pysbd skips an occurrence when the character after the n-th "{abbreviation} "
        (braces and all) is upper case; a word is left alone when every occurrence is."""
        if self._plan.german or "{" + abbreviation + "} " not in text:
            return False
        if word.lower() in self._plan.prepositive:
            return False
        following = re.findall(r"(?<={" + re.escape(abbreviation) + "} ).{1}", text)
        found = re.findall(rf"(?:^|\s|\r|\n){abbreviation}", text, flags=re.IGNORECASE)
        for index, match in enumerate(found):
            capital = index < len(following) and following[index].isupper()
            if match.strip() == word and not capital:
                return False
        return True

    def _follows(self, word: str, text: str, stop: int) -> bool:
        """Whether what comes after the stop lets pysbd protect it."""
        if self._plan.german:
            after = _AFTER_GERMAN
        elif (key := word.lower()) in self._plan.prepositive:
            after = _AFTER_PREPOSITIVE
        elif key in self._plan.number:
            after = _AFTER_NUMBER_ABBREVIATION
        else:
            after = _AFTER_ABBREVIATION
        return after.match(text, stop + 1) is not None

    def _after_opening(self, text: str, lowered: str, low: int, high: int) -> list[int]:
        """German's rule looks behind for the match itself: when an abbreviation opens the
        line ("Ca. 5 …", "Art …"), every stop after those letters is protected, inside
        another word too, when a space follows."""
        stops = []
        opening = re.match(r"[^\s.]*", text)
        assert opening is not None
        for length in range(1, opening.end() + 1):
            first = self._first(text[:length], text, lowered)
            if first is not None and low < first < high:
                after = re.finditer("(?<=" + re.escape(text[:length]) + r")\.(?=\s)", text)
                stops += [m.start() for m in after]
        return stops


def _marked(text: str, stops: list[int]) -> str:
    if not stops:
        return text
    pieces = []
    start = 0
    for stop in sorted(set(stops)):
        pieces.append(text[start:stop])
        pieces.append(_MARK)
        start = stop + 1
    pieces.append(text[start:])
    return "".join(pieces)


def _style(replacer: type[AbbreviationReplacer]) -> bool | None:
    """Whether the language follows German's rule (True) or the common one (False); None
    for a language whose replacer changes other steps, which keeps pysbd's."""
    base = AbbreviationReplacer
    if (
        replacer.search_for_abbreviations_in_string is not base.search_for_abbreviations_in_string
        or replacer.replace_period_of_abbr is not base.replace_period_of_abbr
    ):
        return None
    if replacer.scan_for_replacements is base.scan_for_replacements:
        return False
    if replacer.scan_for_replacements is Deutsch.AbbreviationReplacer.scan_for_replacements:
        return True
    return None


def with_one_scan(language: type[Common]) -> type[Common]:
    """`language` (a pysbd language class) with the one-scan abbreviation pass."""
    replacer = getattr(language, "AbbreviationReplacer", AbbreviationReplacer)
    german = _style(replacer)
    if german is None:
        return language
    plan = _Plan.of(language, german)
    one_scan = type("AbbreviationReplacer", (_OneScan, replacer), {"_plan": plan})
    return type(language.__name__, (language,), {"AbbreviationReplacer": one_scan})
