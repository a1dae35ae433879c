"""A key phrase is taken for a person named by a title when a title comes before it wherever
it occurs; the words before it are found by going back from each occurrence, and are those
one scan of the whole text for "a word, then the phrase" finds."""

from __future__ import annotations

import random
import re

from bot.reading.prompts.engine import is_titled, words_before

TITLES = frozenset({"il", "signor", "don"})


def _findall_words_before(phrase: str, text: str) -> list[str]:
    pattern = r"(?<!\w)(\w+)\.?\s+" + r"\s+".join(map(re.escape, phrase.split())) + r"(?!\w)"
    return re.findall(pattern, text, re.IGNORECASE)


def test_a_name_after_a_title_wherever_it_occurs_is_titled() -> None:
    text = "Venne il Marchese. Poi il  Marchese parlò, e il\nmarchese tacque."
    assert is_titled("Marchese", text, TITLES)


def test_a_name_once_without_its_title_is_not_titled() -> None:
    text = "Venne il Marchese. Marchese parlò; poi disse Marchese addio."
    assert not is_titled("Marchese", text, TITLES)


def test_a_title_closed_by_a_full_stop_still_comes_before_the_name() -> None:
    text = "Signor. Rossi arrivò, e don Rossi partì."
    assert words_before("Rossi", text) == ["Signor", "don"]
    assert is_titled("Rossi", text, TITLES)


def test_occurrences_sharing_a_word_are_counted_as_one_scan_counts_them() -> None:
    # "ha ha ha": the second "ha ha" opens inside the first, as a scan would not go back.
    for phrase, text in [
        ("ha ha", "disse ha ha ha ha."),
        ("a", "x a a a"),
        ("Rossi", "-Rossi _Rossi 1 Rossi é Rossi.Rossi"),
        ("a b", "a b b a b"),
    ]:
        assert words_before(phrase, text) == _findall_words_before(phrase, text)


def test_the_words_before_match_a_scan_of_the_whole_text_on_random_texts() -> None:
    rng = random.Random(16)
    pieces = ["a", "b", "A", "ab", "É", "é", "1", "_", ".", ",", "-", " ", "  ", "\n", "\u00a0"]
    phrases = ["a", "ab", "a b", "A a", "a a", "é", "a-b", "_a", "1 a"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 24)))
        phrase = rng.choice(phrases)
        assert words_before(phrase, text) == _findall_words_before(phrase, text), (phrase, text)
