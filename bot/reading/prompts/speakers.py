"""Who speaks a story's quoted words: the name in the speech tag of the same sentence ("said
Mrs. Hale", "— dit Lemaire", "-murmuró Ramiro") or of the sentence just before it
("Mrs. Hale asking all at once:"). A pronoun ("he said") names nobody."""

from __future__ import annotations

import re
from functools import cache

from bot.reading.prompts.lexicon import Lexicon
from bot.reading.prompts.sentences import ParsedSection, Sentence
from bot.reading.text import WORD

# Quoted words: “…”, "…", «…», »…«, „…“ and ‘…’.
_SPOKEN = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»|»[^«]*«|„[^“]*“|‘[^’]*’")
# A speech opened by a dash, as Spanish, Portuguese and French dialogue write it.
_DASHED = re.compile(r"^[—–\-]\s*(?P<speech>.+?)(?:\s+[—–\-]\s*(?=\w)|$)", re.DOTALL)
_CAPITAL = "A-ZÀ-ÖØ-Þ"
_MIN_SPOKEN_WORDS = 4
# The marks of speech an aside between a name and its speech verb holds none of, and its
# length: a name and its verb stay in one tag.
_MARKS = '“”"«»„‘’'
_ASIDE_CHARS = 60
# "M. Lemaire père": the word after a name that tells a father from his son.
_KIN = re.compile(r"\s+(?:père|fils|padre|hijo|pai|filho|figlio|senior|junior)\b")


def _tag_patterns(lexicon: Lexicon) -> tuple[re.Pattern[str], ...] | None:
    if not lexicon.speech_verbs:
        return None
    leads = tuple(p.pattern for p in lexicon.cues.get("speech_lead", ()))
    return _compiled(lexicon.speech_verbs, lexicon.person_titles, lexicon.name_articles, leads)


@cache
def _compiled(
    speech_verbs: frozenset[str],
    person_titles: frozenset[str],
    name_articles: frozenset[str],
    leads: tuple[str, ...] = (),
) -> tuple[re.Pattern[str], ...]:
    """A name after a speech verb ("said the Heron"), one before it ("Mrs. Hale answered",
    "Doctor Marsh, tired of the argument, said"), and one before a verb leading up to speech
    ("the Badger dared to ask")."""
    verbs = "|".join(sorted((re.escape(v) for v in speech_verbs), key=len, reverse=True))
    titles = "|".join(re.escape(t) for t in sorted(person_titles))
    articles = "|".join(re.escape(a) for a in sorted(name_articles) if a.isalpha())
    title = rf"(?:(?i:{titles})\.?\s+)?" if titles else ""
    article = rf"(?:(?i:{articles})\s+)?" if articles else ""
    particle = r"(?:(?:d['’]|de\s+|di\s+|von\s+|van\s+))?"
    name = rf"{title}{particle}[{_CAPITAL}][\w’'\-]+(?:\s+[{_CAPITAL}][\w’'\-]+)?"
    after = re.compile(rf"(?i:{verbs})\s+(?P<name>{article}{name})")
    # "Doctor Marsh, tired of the argument, said": a short aside between the two.
    aside = rf"(?:,\s+[^,.;:!?{_MARKS}]{{1,{_ASIDE_CHARS}}},)?"
    before = re.compile(rf"(?P<name>{article}{name}){aside}\s+(?:\w+\s+)?(?i:{verbs})\b")
    if not leads:
        return after, before
    led = re.compile(rf"(?P<name>{article}{name})\s+(?i:{'|'.join(leads)})")
    return after, before, led


def _tag_text(text: str) -> str:
    """The sentence with its quoted words blanked out: what is left holds the tag."""
    blank = _SPOKEN.sub(lambda m: " " * len(m.group(0)), text)
    dashed = _DASHED.match(blank)
    if dashed and dashed.end("speech") < len(blank):
        start, end = dashed.span("speech")
        blank = blank[:start] + " " * (end - start) + blank[end:]
    return blank


def _name_in_tag(text: str, lexicon: Lexicon) -> str | None:
    patterns = _tag_patterns(lexicon)
    if patterns is None:
        return None
    tag = _tag_text(text)
    for pattern in patterns:
        for match in pattern.finditer(tag):
            words = match.group("name").rstrip("-–—’'").split()
            first = words[0].lower()
            if first in lexicon.name_articles and len(words) > 1:
                return " ".join([first, *words[1:]])
            if first in lexicon.pronouns or first in lexicon.stopwords:
                continue
            return " ".join(words)
    return None


def name_in_tag(text: str, lexicon: Lexicon) -> str | None:
    """The name in the sentence's speech tag ("said Mr. Utterson"), if it has one."""
    return _name_in_tag(text, lexicon)


def spoken(text: str) -> bool:
    """Whether the sentence holds a character's words: quoted, or opened by a dash."""
    if _DASHED.match(text) and len(WORD.findall(text)) >= _MIN_SPOKEN_WORDS:
        return True
    return any(len(WORD.findall(m.group(0))) >= 1 for m in _SPOKEN.finditer(text))


def named_speaker(parsed: ParsedSection, sentence: Sentence, lexicon: Lexicon) -> str | None:
    """The name of who speaks the sentence's quoted words, from the tag in it or in the
    sentence before it in the same paragraph; None when no tag names them."""
    if not spoken(sentence.text):
        return None
    name = _name_in_tag(sentence.text, lexicon)
    if name is None and sentence.preceded:
        previous = parsed.sentences[sentence.index - 1]
        if (
            previous.text.rstrip().endswith(":")
            or not spoken(previous.text)
            or _all_spoken(sentence.text)
        ):
            # "“But won’t it rain?” the Badger dared to ask. “All day on the hill?”": a
            # speech carried on in the same paragraph, with no tag of its own, is the
            # speaker's of the line before.
            name = _name_in_tag(previous.text, lexicon)
    return name


def speaker_in_open_speech(
    parsed: ParsedSection, sentence: Sentence, lexicon: Lexicon
) -> str | None:
    """Who speaks a sentence with no marks of its own, inside a speech opened earlier in its
    paragraph: the name in the nearest tag since the speech opened ("«Ma fille, …, reprit M.
    Lemaire, … Je n'ai, ma fille, …"), or else in the tag that opened it ("Doctor Marsh …
    said, “It is no use. Would they …?"). None outside a speech or with no named tag."""
    if not 0 < sentence.block <= len(parsed.blocks):
        return None
    block = parsed.blocks[sentence.block - 1]
    before = block[: sentence.start]
    opening = max(before.rfind("«"), before.rfind("“"))
    if opening < 0 or any(mark in before[opening:] for mark in "»”"):
        return None  # no speech open where the sentence starts
    patterns = _tag_patterns(lexicon)
    if patterns is None:
        return None
    stretch = before[opening:]
    found: list[tuple[int, str]] = []
    for pattern in patterns:
        for match in pattern.finditer(stretch):
            words = match.group("name").rstrip("-–—’'").split()
            if words[0].lower() in lexicon.pronouns or words[0].lower() in lexicon.stopwords:
                continue
            name = " ".join(words)
            kin = _KIN.match(stretch, match.end())
            found.append((match.start(), name + kin.group(0) if kin else name))
    if found:
        return max(found)[1]
    return _tag_before(before[:opening], patterns, lexicon)


# What may stand between a tag's speech verb and the speech it opens: "said, “…", "said: «…".
_TAG_END = re.compile(r"[\s,:;—–-]*$")


def _tag_before(lead: str, patterns: tuple[re.Pattern[str], ...], lexicon: Lexicon) -> str | None:
    """The name in a tag that ends just where a speech opens ("Doctor Marsh, tired of the
    argument, said, “…"): its speech verb or name is the last word before the mark."""
    for pattern in patterns:
        for match in pattern.finditer(lead):
            verb_end = re.match(r"\w*", lead[match.end() :])
            rest = lead[match.end() + (verb_end.end() if verb_end else 0) :]
            words = match.group("name").rstrip("-–—’'").split()
            if words[0].lower() in lexicon.pronouns or words[0].lower() in lexicon.stopwords:
                continue
            if _TAG_END.fullmatch(rest):
                return " ".join(words)
    return None


def _all_spoken(text: str) -> bool:
    """Whether a sentence is quoted words only, with no tag around them."""
    stripped = text.strip()
    match = _SPOKEN.match(stripped)
    return match is not None and match.end() == len(stripped)


def spoken_words(text: str) -> tuple[int, int] | None:
    """The span of the longest quoted stretch of a sentence, if it has four words or more."""
    best = max(_SPOKEN.finditer(text), key=lambda m: len(m.group(0)), default=None)
    if best is None or len(WORD.findall(best.group(0))) < _MIN_SPOKEN_WORDS:
        return None
    return best.start() + 1, best.end() - 1
