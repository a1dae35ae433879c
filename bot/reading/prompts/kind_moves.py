"""Moves that belong to a kind of text: who speaks in a play or a story, the text's own
questions, a story's turns and choices, an image in verse or prose, an objection raised."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.reading.prompts.kinds import TextKind, speaker_of
from bot.reading.prompts.lexicon import Lexicon, fold
from bot.reading.prompts.moves import Move
from bot.reading.prompts.sentences import WORD, ParsedSection, Sentence

STRENGTH = {
    "speech": 0.85,
    "question": 0.9,
    "turn": 0.95,
    "choice": 1.0,
    "image": 0.9,
    "objection": 1.0,
}
# The moves each kind of text is asked about; "central" and "keyphrase" come from the engine.
MOVES_OF: dict[TextKind, frozenset[str]] = {
    "argument": frozenset(
        {"definition", "contrast", "enumeration", "claim", "cause", "example", "objection"}
        | {"question"}
    ),
    "dialogue": frozenset(
        {"definition", "contrast", "claim", "cause", "example", "objection", "question", "speech"}
    ),
    "story": frozenset({"speech", "turn", "choice", "image", "question"}),
    "drama": frozenset({"speech", "question", "choice"}),
    "verse": frozenset({"image", "question"}),
}
_MIN_QUESTION_WORDS = 5
_MIN_SPEECH_WORDS = 5
_OPEN_QUOTES = '“"«»„‘'
_CLOSE_QUOTES = {"“": "”", '"': '"', "«": "»", "»": "«", "„": "“", "‘": "’"}


@dataclass(frozen=True)
class Speaker:
    name: str  # as a question names them: "the Rat", "il Marchese", "Mirandolina"
    listener: str | None = None  # who answers next, in a play


def is_question(text: str) -> bool:
    return text.rstrip().rstrip("\"'”’»)").endswith("?")


def _display(label: str, text: str, lexicon: Lexicon) -> str:
    """A speaker's label as a question names them: "MARCHESE" → "il Marchese" when the text
    itself writes the article, "MIRANDOLINA" → "Mirandolina"."""
    name = " ".join(w[:1] + w[1:].lower() if w.isupper() else w for w in label.split())
    articles = "|".join(re.escape(a) for a in sorted(lexicon.name_articles) if a.isalpha())
    if articles:
        pattern = rf"(?<!\w)({articles})\s+{re.escape(name)}(?!\w)"
        found = re.findall(pattern, text, re.IGNORECASE)
        if found:
            return f"{found[0].lower()} {name}"
    return name


def play_speakers(parsed: ParsedSection, lexicon: Lexicon) -> dict[int, Speaker]:
    """Block number → who speaks it, for the speeches of a play or dialogue."""
    labels: dict[int, str] = {}
    for number, block in enumerate(parsed.blocks, 1):
        found = speaker_of(block)
        if found:
            labels[number] = found[0]
    names = {label: _display(label, parsed.text, lexicon) for label in set(labels.values())}
    out: dict[int, Speaker] = {}
    numbers = sorted(labels)
    for i, number in enumerate(numbers):
        label = labels[number]
        listener = next((labels[n] for n in numbers[i + 1 :] if labels[n] != label), None)
        out[number] = Speaker(names[label], names[listener] if listener else None)
    return out


def _tagged_speaker(after: str, before: str, lexicon: Lexicon) -> str | None:
    """The name in a speech tag: "said the Rat", "dijo Golfín", "Mr. Otis answered"."""
    verbs = "|".join(sorted((re.escape(v) for v in lexicon.speech_verbs), key=len, reverse=True))
    if not verbs:
        return None
    titles = "|".join(re.escape(t) for t in lexicon.person_titles)
    articles = "|".join(re.escape(a) for a in lexicon.name_articles if a.isalpha())
    name = rf"(?:(?:{titles})\.?\s+)?[A-ZÀ-ÖØ-Þ][\w’'\-]+(?:\s+[A-ZÀ-ÖØ-Þ][\w’'\-]+)?"
    lead = rf"(?:(?:{articles})\s+)?" if articles else ""
    follows = re.match(
        rf"^[\s,.!?;:—–\-]*(?:{verbs})\s+(?:(?:sich|se)\s+)?({lead}{name})", after, re.IGNORECASE
    )
    if (follows and follows.group(1)[:1].isupper()) or (follows and " " in follows.group(1)):
        shown = follows.group(1)
        first = shown.split()[0]
        if first.lower() in lexicon.name_articles:
            shown = f"{first.lower()} {' '.join(shown.split()[1:])}"
        article = shown.split()[:1] if first.lower() in lexicon.name_articles else []
        named = shown.split()[len(article) :]
        # The name is its capitalised words: "the Rat", not "the disappointed Rat";
        # "Golfín", not "Golfín con".
        kept: list[str] = []
        for word in named:
            if not (word[:1].isupper() or word.lower().rstrip(".") in lexicon.person_titles):
                break
            kept.append(word)
        if kept and (len(kept) == len(named) or not article):
            return " ".join(article + kept)
    precedes = re.search(rf"({name})\s+(?:{verbs})[\s,.:]*$", before)
    if precedes:
        return precedes.group(1)
    return None


def story_speeches(
    parsed: ParsedSection, lexicon: Lexicon
) -> Iterator[tuple[Sentence, str, tuple[int, int]]]:
    """Sentences holding a character's words and a tag naming the speaker, with the span of
    the words spoken."""
    for sentence in parsed.sentences:
        text = sentence.text
        for match in re.finditer(r"[“\"«»„‘]", text):
            opening = match.group(0)
            close = text.find(_CLOSE_QUOTES[opening], match.end())
            if close < 0:
                continue
            inner = (match.end(), close)
            if len(WORD.findall(text[inner[0] : inner[1]])) < 3:
                continue
            speaker = _tagged_speaker(text[close + 1 : close + 60], text[: match.start()], lexicon)
            if speaker:
                yield sentence, speaker, inner
            break
    # Spanish and Portuguese dialogue: "-¿Ciego de nacimiento? -dijo Golfín".
    for sentence in parsed.sentences:
        text = sentence.text
        dash = re.match(r"^[—–\-]\s*(.+?)\s+[—–\-]\s*(?=\w)", text)
        if not dash:
            continue
        speaker = _tagged_speaker(text[dash.end() :], "", lexicon)
        if speaker and len(WORD.findall(dash.group(1))) >= 3:
            yield sentence, speaker, (dash.start(1), dash.end(1))


def _untagged_question(text: str, lexicon: Lexicon) -> tuple[int, int] | None:
    """The question in a dash-opened line whose tag sits in the middle: "-Quién sabe...
    -manifestó Teodoro- ¿pero qué es esto?" → the span of "¿pero qué es esto?", so that the
    quote does not carry the tag."""
    if not text.lstrip().startswith(("—", "–", "-")):
        return None
    verbs = "|".join(sorted((re.escape(v) for v in lexicon.speech_verbs), key=len, reverse=True))
    if not verbs:
        return None
    tag = re.search(rf"\s[—–\-]\s*(?:{verbs})\b[^—–\-]*[—–\-][\s.,]*", text, re.IGNORECASE)
    if not tag:
        return None
    rest = text[tag.end() :].rstrip()
    if not is_question(rest) or len(WORD.findall(rest)) < _MIN_QUESTION_WORDS:
        return None
    return (tag.end(), tag.end() + len(rest))


def _speaker_slots(speaker: Speaker | None) -> tuple[frozenset[str], dict[str, str]]:
    """The features and slots a move gets from who speaks its sentence (and to whom)."""
    if speaker is None:
        return frozenset(), {}
    if speaker.listener:
        return frozenset({"speaker", "listener"}), {
            "speaker": speaker.name,
            "listener": speaker.listener,
        }
    return frozenset({"speaker"}), {"speaker": speaker.name}


def _cued_move(
    sentence: Sentence,
    lexicon: Lexicon,
    wanted: frozenset[str],
    features: frozenset[str],
    slots: dict[str, str],
) -> Move | None:
    """The first of a turn, a choice, an image or an objection the sentence's words cue."""
    folded = None
    for move in ("turn", "choice", "image", "objection"):
        cues = lexicon.cues.get(move) if move in wanted else None
        if cues is None:
            continue
        if folded is None:
            folded = fold(sentence.text)  # once for every move's cue gate
        if match := cues.first_match(sentence.text, folded):
            return Move(move, sentence, match.span(), STRENGTH[move], features, dict(slots))
    return None


def detect_kind_moves(
    parsed: ParsedSection, lexicon: Lexicon, kind: TextKind, speakers: dict[int, Speaker]
) -> list[Move]:
    """The kind-specific moves of a section, in reading order."""
    wanted = MOVES_OF[kind]
    moves: list[Move] = []
    # In a story, who asks a question the text tags ("asked the Mole", "dijo Golfín"): the
    # question is then put as theirs, by name.
    speeches = list(story_speeches(parsed, lexicon)) if not speakers and kind == "story" else []
    tagged = {s.index: name for s, name, _ in speeches}
    for sentence in parsed.sentences:
        if sentence.kind != "sentence":
            continue
        text = sentence.text
        words = len(sentence.words)
        speaker = speakers.get(sentence.block)
        if speaker is None and sentence.index in tagged and is_question(text):
            speaker = Speaker(tagged[sentence.index])
        features, slots = _speaker_slots(speaker)
        if "question" in wanted and is_question(text) and words >= _MIN_QUESTION_WORDS:
            inner = _untagged_question(text, lexicon) if kind == "story" else None
            moves.append(
                Move(
                    "question",
                    sentence,
                    inner or (0, len(text)),
                    STRENGTH["question"],
                    features,
                    slots,
                    within=inner is not None,
                )
            )
            continue
        cued = _cued_move(sentence, lexicon, wanted, features, slots)
        if cued is not None:
            moves.append(cued)
        if "speech" in wanted and speaker and words >= _MIN_SPEECH_WORDS:
            moves.append(
                Move("speech", sentence, (0, len(text)), STRENGTH["speech"], features, slots)
            )
    if "speech" in wanted and not speakers:
        if kind != "story":
            speeches = list(story_speeches(parsed, lexicon))
        for sentence, name, span in speeches:
            if len(WORD.findall(sentence.text[span[0] : span[1]])) < _MIN_SPEECH_WORDS:
                continue
            moves.append(
                Move(
                    "speech",
                    sentence,
                    span,
                    STRENGTH["speech"],
                    frozenset({"speaker"}),
                    {"speaker": name},
                    within=True,
                )
            )
    moves.sort(key=lambda m: (m.sentence.index, m.move))
    return moves
