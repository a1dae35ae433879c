"""Moves that belong to a kind of text: who speaks in a play or a story, the text's own
questions, a story's turns and choices, an image in verse or prose, an objection raised."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.reading.prompts.kinds import TextKind, speaker_of
from bot.reading.prompts.lexicon import Lexicon
from bot.reading.prompts.model import MoveKind
from bot.reading.prompts.moves import Move
from bot.reading.prompts.sentence_kinds import SPOKEN, is_question, question_class
from bot.reading.prompts.sentences import ParsedSection, Sentence
from bot.reading.text import WORD

STRENGTH: dict[MoveKind, float] = {
    MoveKind.SPEECH: 0.85,
    MoveKind.QUESTION: 0.9,
    MoveKind.TURN: 0.95,
    MoveKind.CHOICE: 1.0,
    MoveKind.IMAGE: 0.9,
    MoveKind.OBJECTION: 1.0,
}
# What an argument and a dialogue alike are asked about.
_ARGUED = frozenset(
    {MoveKind.DEFINITION, MoveKind.CONTRAST, MoveKind.CLAIM, MoveKind.CAUSE, MoveKind.EXAMPLE}
    | {MoveKind.OBJECTION, MoveKind.QUESTION}
)
# The moves each kind of text is asked about; CENTRAL and KEYPHRASE come from the engine.
MOVES_OF: dict[TextKind, frozenset[MoveKind]] = {
    TextKind.ARGUMENT: _ARGUED | {MoveKind.ENUMERATION},
    TextKind.DIALOGUE: _ARGUED | {MoveKind.SPEECH},
    TextKind.STORY: frozenset(
        {MoveKind.SPEECH, MoveKind.TURN, MoveKind.CHOICE, MoveKind.IMAGE, MoveKind.QUESTION}
    ),
    TextKind.DRAMA: frozenset({MoveKind.SPEECH, MoveKind.QUESTION, MoveKind.CHOICE}),
    TextKind.VERSE: frozenset({MoveKind.IMAGE, MoveKind.QUESTION}),
}
_MIN_QUESTION_WORDS = 5
_MIN_SPEECH_WORDS = 5
_HEADING_WORDS = 4  # "Scena nona", "Acte I, scène 2"
_LEAD_IN_WORDS = 3  # an answer that takes up the question does so in its first words
_JEST_REACH = 1  # a tag that marks a joke sits in the question's sentence or the one before
_CLOSE_QUOTES = {"“": "”", '"': '"', "«": "»", "»": "«", "„": "“", "‘": "’"}


@dataclass(frozen=True)
class Speaker:
    name: str  # as a question names them: "the Rat", "il Marchese", "Mirandolina"
    listener: str | None = None  # who answers next, in a play
    others: int | None = None  # how many others speak in the same scene; None: not counted
    replied: bool = False  # whether the listener's next speech opens on more than a question


def is_lead_in(sentence: Sentence, parsed: ParsedSection) -> bool:
    """Whether a question is answered at once by the next sentence of its paragraph, which
    takes up its last word: "¿Sabe usted lo que le digo? Le digo que …", "Do you know
    what I think? I think …". A lead-in to what follows, not a question to discuss."""
    following = sentence.index + 1
    if following >= len(parsed.sentences):
        return False
    after = parsed.sentences[following]
    if after.block != sentence.block or is_question(after.text):
        return False
    asked = [w.lower() for w in WORD.findall(sentence.text)]
    opening = [w.lower() for w in WORD.findall(after.text)][:_LEAD_IN_WORDS]
    return bool(asked) and asked[-1] in opening


def asks_a_fact(words: str, lexicon: Lexicon) -> bool:
    """Whether a question asks where, when or how many ("¿En dónde estamos?"), or whether
    something is so ("¿Es el tren que llega?"): asked by a character, the story answers
    it, and nobody's own answer to it is worth discussing."""
    if not is_question(words):
        return False
    asked = [w.lower() for w in WORD.findall(words)]
    if asked[:1] and asked[0] in ("y", "e", "ed", "and"):
        asked = asked[1:]  # "¿Y dónde está …?"
    return bool(asked) and (
        asked[0] in lexicon.fact_openers or any(w in lexicon.fact_askers for w in asked)
    )


def _ends_a_line(sentence: Sentence, parsed: ParsedSection) -> bool:
    """Whether a character's question ends their line: put to someone else, who answers it
    in the next one ("¿Es el tren que llega?"), not to themselves ("¿Adónde vas, pobre
    Ramiro? Esto no tiene salida.")."""
    if SPOKEN not in question_class(sentence, parsed):
        return False
    following = sentence.index + 1
    return following >= len(parsed.sentences) or (
        parsed.sentences[following].block != sentence.block
    )


def asked_in_jest(sentence: Sentence, parsed: ParsedSection, lexicon: Lexicon) -> bool:
    """Whether the narration tags a question as a joke ("-interrogó el doctor festivamente-",
    "chiese ridendo"): from where its paragraph opens to where it ends."""
    if not lexicon.jest_words:
        return False
    told = " ".join(
        s.text
        for s in parsed.sentences[: sentence.index + 1]
        if s.block == sentence.block and s.index >= sentence.index - _JEST_REACH
    )
    return any(w.lower() in lexicon.jest_words for w in WORD.findall(told))


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
    """Block number → who speaks it, for the speeches of a play or dialogue. The listener is
    the next other speaker of the same scene."""
    labels: dict[int, str] = {}
    speeches: dict[int, str] = {}
    scenes: dict[int, int] = {}
    scene = 0
    for number, block in enumerate(parsed.blocks, 1):
        found = speaker_of(block)
        if found:
            labels[number] = found[0]
            speeches[number] = block[found[1] :]
        elif _scene_heading(block, lexicon):
            scene += 1
        scenes[number] = scene
    names = {label: _display(label, parsed.text, lexicon) for label in set(labels.values())}
    on_stage: dict[int, set[str]] = {}
    for number, label in labels.items():
        on_stage.setdefault(scenes[number], set()).add(label)
    out: dict[int, Speaker] = {}
    numbers = sorted(labels)
    for i, number in enumerate(numbers):
        label = labels[number]
        reply = next(
            (n for n in numbers[i + 1 :] if labels[n] != label and scenes[n] == scenes[number]),
            None,
        )
        listener = labels[reply] if reply is not None else None
        out[number] = Speaker(
            names[label],
            names[listener] if listener else None,
            others=len(on_stage[scenes[number]]) - 1,
            replied=reply is not None and _replies(speeches[reply]),
        )
    return out


def _scene_heading(block: str, lexicon: Lexicon) -> bool:
    """Whether a block heads a scene or an act: "Scena nona", "Scene II", "Acte premier"."""
    words = WORD.findall(block)
    return 0 < len(words) <= _HEADING_WORDS and words[0].lower() in lexicon.scene_words


def _replies(speech: str) -> bool:
    """Whether a speech answers the one before it with more than a question back: "Che
    vorreste dire?" leaves the question where it was."""
    first = re.match(r"[^.!?…]*[.!?…]+", speech.strip())
    return first is not None and not first.group(0).rstrip(".…").endswith("?")


def _tagged_speaker(after: str, before: str, lexicon: Lexicon) -> str | None:
    """The name in a speech tag: "said the Heron", "dijo Ramiro", "Mrs. Hale answered"."""
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
        # The name is its capitalised words: "the Heron", not "the disappointed Heron";
        # "Ramiro", not "Ramiro con".
        kept: list[str] = []
        for word in named:
            if not (word[:1].isupper() or word.lower().rstrip(".") in lexicon.person_titles):
                break
            kept.append(word.rstrip("-–—"))
            if word != kept[-1]:
                break  # "-dijo Ramiro-.": the dash closes the tag, and the name with it
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
    # Spanish and Portuguese dialogue: "-¿Vienes del mercado? -dijo Ramiro".
    for sentence in parsed.sentences:
        text = sentence.text
        dash = re.match(r"^[—–\-]\s*(.+?)\s+[—–\-]\s*(?=\w)", text)
        if not dash:
            continue
        speaker = _tagged_speaker(text[dash.end() :], "", lexicon)
        if speaker and len(WORD.findall(dash.group(1))) >= 3:
            yield sentence, speaker, (dash.start(1), dash.end(1))


def _untagged_question(text: str, lexicon: Lexicon) -> tuple[int, int] | None:
    """The question in a dash-opened line whose tag sits in the middle: "-No lo sé...
    -murmuró Ramiro- ¿pero quién llama?" → the span of "¿pero quién llama?", so that the
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
    stage = stage_features(speaker)
    if speaker.listener:
        return frozenset({"speaker", "listener"}) | stage, {
            "speaker": speaker.name,
            "listener": speaker.listener,
        }
    return frozenset({"speaker"}) | stage, {"speaker": speaker.name}


def stage_features(speaker: Speaker) -> frozenset[str]:
    """Who else is on stage: nobody ("alone", a soliloquy has no one to address), two or more
    ("company", someone may miss what a line shows); and whether the listener answers."""
    features = set()
    if speaker.others == 0:
        features.add("alone")
    elif speaker.others is not None and speaker.others >= 2:
        features.add("company")
    if speaker.replied:
        features.add("replied")
    return frozenset(features)


def _exclaimed(sentence: Sentence, parsed: ParsedSection) -> bool:
    """Whether the sentence before a question, in the same speech, is an exclamation."""
    if sentence.index == 0:
        return False
    before = parsed.sentences[sentence.index - 1]
    return before.block == sentence.block and before.text.rstrip().endswith("!")


def _cued_move(
    sentence: Sentence,
    lexicon: Lexicon,
    wanted: frozenset[MoveKind],
    features: frozenset[str],
    slots: dict[str, str],
) -> Move | None:
    """The first of a turn, a choice, an image or an objection the sentence's words cue."""
    for move in (MoveKind.TURN, MoveKind.CHOICE, MoveKind.IMAGE, MoveKind.OBJECTION):
        cues = lexicon.cues.get(move) if move in wanted else None
        if cues is None:
            continue
        # The sentence is folded once for every cue gate, here and in finding moves.
        if match := cues.first_match(sentence.text, sentence.folded):
            if move is MoveKind.IMAGE and _in_manner(sentence.text, match.start(), lexicon):
                features = features | {"manner"}
            return Move(move, sentence, match.span(), STRENGTH[move], features, dict(slots))
    return None


def _in_manner(text: str, at: int, lexicon: Lexicon) -> bool:
    """Whether the likeness cued at `at` says how someone is or does something ("dressed as
    if she were a bride", "as quiet as if in a library"): both sides are in the sentence,
    so asking what is compared with what answers itself."""
    return any(
        m.start() <= at < m.end()
        for p in lexicon.cues.get("image_manner", ())
        for m in p.finditer(text)
    )


def _asked(
    sentence: Sentence, parsed: ParsedSection, kind: TextKind, features: frozenset[str]
) -> bool:
    """Whether the sentence is a question worth asking about as one."""
    if not is_question(sentence.text) or len(sentence.words) < _MIN_QUESTION_WORDS:
        return False
    # In a play, put to nobody, or flung back in scorn ("Oh, che mai dice! … io
    # partirei?"): a line to weigh as said, not a question to ask about.
    return kind != TextKind.DRAMA or not ("alone" in features or _exclaimed(sentence, parsed))


def _tagged_speeches(
    speeches: list[tuple[Sentence, str, tuple[int, int]]], lexicon: Lexicon
) -> list[Move]:
    """The speech moves of words the text tags with their speaker ("said the Rat")."""
    moves = []
    for sentence, name, span in speeches:
        if len(WORD.findall(sentence.text[span[0] : span[1]])) < _MIN_SPEECH_WORDS:
            continue
        if asks_a_fact(sentence.text[span[0] : span[1]], lexicon):
            continue
        moves.append(
            Move(
                MoveKind.SPEECH,
                sentence,
                span,
                STRENGTH[MoveKind.SPEECH],
                frozenset({"speaker"}),
                {"speaker": name},
                within=True,
            )
        )
    return moves


def detect_kind_moves(
    parsed: ParsedSection, lexicon: Lexicon, kind: TextKind, speakers: dict[int, Speaker]
) -> list[Move]:
    """The kind-specific moves of a section, in reading order."""
    wanted = MOVES_OF[kind]
    moves: list[Move] = []
    # In a story, who asks a question the text tags ("asked the Badger", "dijo Ramiro"): the
    # question is then put as theirs, by name.
    speeches = (
        list(story_speeches(parsed, lexicon)) if not speakers and kind == TextKind.STORY else []
    )
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
        if MoveKind.QUESTION in wanted and _asked(sentence, parsed, kind, features):
            if is_lead_in(sentence, parsed) or asked_in_jest(sentence, parsed, lexicon):
                continue  # no question to think about: nobody asks it in earnest
            if (
                kind == TextKind.STORY
                and asks_a_fact(text, lexicon)
                and _ends_a_line(sentence, parsed)
            ):
                continue  # "¿Es el tren que llega?": the next line answers it
            inner = _untagged_question(text, lexicon) if kind == TextKind.STORY else None
            moves.append(
                Move(
                    MoveKind.QUESTION,
                    sentence,
                    inner or (0, len(text)),
                    STRENGTH[MoveKind.QUESTION],
                    features,
                    slots,
                    within=inner is not None,
                )
            )
            continue
        cued = _cued_move(sentence, lexicon, wanted, features, slots)
        if cued is not None:
            moves.append(cued)
        if MoveKind.SPEECH in wanted and speaker and words >= _MIN_SPEECH_WORDS:
            moves.append(
                Move(
                    MoveKind.SPEECH,
                    sentence,
                    (0, len(text)),
                    STRENGTH[MoveKind.SPEECH],
                    features,
                    slots,
                )
            )
    if MoveKind.SPEECH in wanted and not speakers:
        if kind != TextKind.STORY:
            speeches = list(story_speeches(parsed, lexicon))
        moves += _tagged_speeches(speeches, lexicon)
    moves.sort(key=lambda m: (m.sentence.index, m.move))
    return moves
