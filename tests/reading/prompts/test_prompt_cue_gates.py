"""The cue gate, matching case-sensitively in folded text, lets through every sentence a cue
pattern matches with re.IGNORECASE, so the first cue found is the one the patterns find."""

from __future__ import annotations

import random
import re
import sys

import pytest

from bot.reading.prompts.lexicon import (
    Cues,
    Folded,
    fold,
    folded_pattern,
    lexicon_for,
    whole_words,
)

LANGUAGES = ["en", "it", "es", "fr", "de", "pt"]
EVERYTHING = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)

# Sentences a reader might meet, in odd cases and spellings too: capitals, "ſ" for "s", the
# Kelvin sign for "K", a dotted capital I, curly apostrophes, a line break inside a cue.
SENTENCES = {
    "en": [
        "THE STATE MUST WITHER AWAY, AND THUS FAR IT HAS NOT.",
        "The State muſt wither away; it is neceſſary that it does.",
        "İt is not power, but habit, that rules us; and thus the\nmatter ends.",
        "We need to act, since the need to wait has passed; therefore we go.",
        "Self-management is the practice of free people, not a gift of the State.",
        "What we call direct action is the belief that acting beats asking.",
        "Unlike the others, she suddenly decided to leave, as if nothing held her.",
    ],
    "it": [
        "L'autogestione è la pratica di chi non ha padroni, e perciò deve crescere.",
        "Non solo il lavoro, ma anche la vita; dall’altro lato, però, tutto restò com'era.",
        "All’improvviso decise di partire: è necessario che tutti sappiano perché.",
    ],
    "es": [
        "La libertad no es un regalo sino una conquista, y por lo tanto se defiende.",
        "Se llama autogestión a la práctica de los que deciden por sí mismos.",
        "DE REPENTE decidió marcharse, como si nada lo retuviera.",
    ],
    "fr": [
        "Ce n’est pas la même chose, et c’est pourquoi il faut choisir.",
        "L'autogestion est l’idée selon laquelle chacun décide; d’autre part, rien ne change.",
        "Tout d’un coup, j’ai décidé de partir, comme si rien ne me retenait.",
    ],
    "de": [
        "Die Freiheit ist nicht ein Geschenk, sondern eine Eroberung; deshalb muss man sie wahren.",
        "DAS HEISST, WIR MÜSSEN HANDELN, WEIL DIE ZEIT DRÄNGT.",
        "Plötzlich beschloss er zu gehen, als ob ihn nichts hielte.",
    ],
    "pt": [
        "A liberdade não é um presente, mas sim uma conquista, e por isso é necessária.",
        "Chama-se autogestão à prática de quem decide por si, como se fosse natural.",
        "De repente decidiu partir; é essencial que todos saibam porquê.",
    ],
}


def _cue_letters() -> set[str]:
    return {
        char
        for language in LANGUAGES
        for cues in lexicon_for(language).cues.values()
        for pattern in cues
        for char in pattern.pattern
    }


def _plain_first_match(cues: Cues, text: str) -> re.Match[str] | None:
    return next((m for pattern in cues if (m := pattern.search(text))), None)


def test_folding_keeps_each_character_one_character_of_the_same_class() -> None:
    folded = fold(EVERYTHING)
    assert len(folded) == len(EVERYTHING)
    assert folded == "".join(fold(c) for c in EVERYTHING)
    assert fold("ΟΔΥΣΣΕΥΣ") == "".join(fold(c) for c in "ΟΔΥΣΣΕΥΣ")  # no final sigma rule
    for escape in (r"\w", r"\s", r"\d", r"\n"):
        found = [m.start() for m in re.finditer(escape, EVERYTHING)]
        assert found == [m.start() for m in re.finditer(escape, folded)], escape


def test_fold_matches_what_ignorecase_takes_for_every_character_of_a_cue() -> None:
    letters = _cue_letters()
    wanted = {fold(c) for c in letters}
    by_fold: dict[str, set[str]] = {}
    for c in EVERYTHING:
        if (key := fold(c)) in wanted:
            by_fold.setdefault(key, set()).add(c)
    for letter in letters:
        matched = set(re.findall(re.escape(letter), EVERYTHING, flags=re.IGNORECASE))
        assert matched == by_fold[fold(letter)], letter


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_cue_of_the_lexicons_is_rewritten_for_the_gate(language: str) -> None:
    for name, cues in lexicon_for(language).cues.items():
        assert cues.rest is None, name
        for pattern in cues:
            assert folded_pattern(pattern.pattern) is not None, pattern.pattern


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_gate_finds_the_cue_the_patterns_find(language: str) -> None:
    lexicon = lexicon_for(language)
    patterns = [p for cues in lexicon.cues.values() for p in cues]
    words = sorted({w for p in patterns for w in _words(p.pattern)})
    rng = random.Random(f"cue gate {language}")
    texts = list(SENTENCES[language])
    for _ in range(800):
        # Some of a cue's words in its order, between words of other cues.
        chosen = [w for w in _words(rng.choice(patterns).pattern) if rng.random() < 0.5]
        for _ in range(rng.randint(0, 3)):
            chosen.insert(rng.randint(0, len(chosen)), rng.choice(words))
        texts.append("".join(_respelt(w, rng) + rng.choice(_GAPS) for w in chosen))
    matched: set[str] = set()
    for text in texts:
        for cues in lexicon.cues.values():
            expected = _plain_first_match(cues, text)
            match = cues.first_match(text)
            assert (match and match.span()) == (expected and expected.span()), text
            assert cues.may_match(text) or expected is None, text
            matched.update(p.pattern for p in cues if p.search(text))
    assert len(matched) > len(patterns) // 3  # the texts do hold cues, of many kinds


_GAPS = [" ", " ", " ", ", ", "\n", "’", "'", "-", "  "]


def _words(pattern: str) -> list[str]:
    """The runs of letters a pattern spells out, escapes left aside."""
    return re.findall(r"[^\W\d_]+", re.sub(r"\\.", " ", pattern))


def _respelt(word: str, rng: random.Random) -> str:
    """The word in a case, and with letters, that re.IGNORECASE takes for the same."""
    form = rng.choice([word, word.upper(), word.title(), word.lower()])
    return form.replace("s", rng.choice("sſ")).replace("k", rng.choice("kK")).replace("I", "İ")


def test_lookarounds_are_left_out_and_letters_folded() -> None:
    assert folded_pattern(r"(?<!\bthe\s)\b(?:Need|NEEDS)\s+to\b(?!\s+go)") == (
        r"\b(?:need|needs)\s+to\b"
    )
    assert folded_pattern(r"\bd[’']Une\s+part[^.;]{1,9}?") == r"\bd[’']une\s+part[^\.;]{1,9}?"


@pytest.mark.parametrize(
    "pattern",
    [r"(?-i:must)", r"\Amust", r"[a-z]+ment", r"must++", r"(?P<m>must)", r"\x6dust", r"(?>must)"],
)
def test_a_pattern_the_gate_cannot_rewrite_is_tried_as_it_is(pattern: str) -> None:
    assert folded_pattern(pattern) is None
    cues = Cues([pattern, r"\bshall\b"])
    assert cues.rest is not None
    for text in ["We must go.", "MUST we?", "Developments abound.", "You shall see."]:
        expected = _plain_first_match(cues, text)
        match = cues.first_match(text)
        assert (match and match.span()) == (expected and expected.span()), (pattern, text)


def test_a_group_of_alternatives_before_a_cue_is_left_out_of_the_gate_only() -> None:
    cues = Cues([r"(?:^|[,;:]\s*|\band\s+)since\b"])
    assert cues.gate is not None
    assert cues.gate.pattern == r"(?:since\b)"
    assert cues.first_match("Since you ask, yes.") is not None
    assert cues.first_match("I left, since it was late.") is not None
    assert cues.first_match("I have lived here since May.") is None


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (r"\b(?:is|are)\s+(?:best\s+)?defined\s+as\b", {"defined"}),
        (r"\b(?:refers|refer)\s+to\b", {"refer", "refers"}),
        (r"\bexamples?\b", {"example", "examples"}),
        (r"\bcosiddett[oa]\s+", {"cosiddetto", "cosiddetta"}),
        (r"(?:^|[,;:]\s*|\band\s+)since\b", {"since"}),
        (r"o[’']clock\b", {"clock"}),
        (r"\bresembl\w*\b", None),  # a word begun, not a whole one
        (r"since\b", None),  # what comes before is not known
        (r"\bnot\b[^\.;]{1,9}?\s+but", {"not"}),
        (r"\b(?:a|an)?\s+\w+\b", None),
    ],
)
def test_the_word_every_match_of_a_pattern_holds_whole(
    pattern: str, words: set[str] | None
) -> None:
    assert whole_words(pattern) == (None if words is None else frozenset(words))


# Pieces of patterns, each with strings it matches and some it does not.
_BEFORE = {
    "": [""], r"\b": [""], r"\s+": [" ", "  ", ""], ",": [",", ""], "(?:^|,)": [",", ""],
    r"(?:,\s*)?": [", ", ",", ""], r"(?:\bx\s+)?": ["x ", ""], r"\w*": ["", "x", "é"],
    r"\s*": ["", " "], "^": [""],
}  # fmt: skip
_WORD = {
    "is": ["is"], "(?:is|are)": ["is", "are"], "a(?:b)?": ["a", "ab"], "[oa]b": ["ab", "ob"],
    "abs?": ["ab", "abs"], "(?:ab|a b)": ["ab", "a b"], "x": ["x"],
}  # fmt: skip
_AFTER = {
    "": [""], r"\b": [""], r"\s+": [" ", ""], ",": [","], r"\s*": ["", " "], "$": [""],
    r"\w*": ["", "s", "_"], "[,;]": [",", ";"], r"(?:\s+x)?": [" x", ""],
    r"[^\.;]{1,3}?": [" x", ".", "ab"],
}  # fmt: skip
_AROUND = ["", "", " ", "x", "ab", ",", ".", "é", "_", "is"]


def test_every_match_of_a_pattern_holds_its_word_whole() -> None:
    rng = random.Random("whole words")
    matched = 0
    found = {True: 0, False: 0}
    for _ in range(2000):
        parts = [rng.choice(list(pieces.items())) for pieces in (_BEFORE, _WORD, _AFTER)]
        if rng.random() < 0.5:
            parts += [rng.choice(list(pieces.items())) for pieces in (_WORD, _AFTER)]
        pattern = "".join(piece for piece, _ in parts)
        words = whole_words(pattern)
        found[words is not None] += 1
        if words is None:
            continue
        compiled = re.compile(pattern)
        for _ in range(20):
            spelt = "".join(rng.choice(samples) for _, samples in parts)
            text = rng.choice(_AROUND) + spelt + rng.choice(_AROUND)
            if compiled.search(text):
                matched += 1
                assert not words.isdisjoint(re.findall(r"\w+", text)), (pattern, text)
    assert matched > 3000  # the patterns do match
    assert min(found.values()) > 300  # patterns with a whole word and without


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_sentence_without_any_cues_word_is_passed_over_only_when_no_cue_matches(
    language: str,
) -> None:
    lexicon = lexicon_for(language)
    rng = random.Random(f"cue words {language}")
    patterns = [p for cues in lexicon.cues.values() for p in cues]
    words = sorted({w for p in patterns for w in _words(p.pattern)})
    passed_over = 0
    for _ in range(600):
        chosen = [rng.choice(words) for _ in range(rng.randint(1, 8))]
        text = "".join(_respelt(w, rng) + rng.choice(_GAPS) for w in chosen)
        ready = Folded.of(text)
        for cues in lexicon.cues.values():
            if cues.words is not None and cues.words.isdisjoint(ready.words):
                passed_over += 1
                assert not any(p.search(text) for p in cues), text
    assert passed_over > 1000
    assert sum(cues.words is not None for cues in lexicon.cues.values()) >= 6
