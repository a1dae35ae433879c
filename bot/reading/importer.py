"""From uploaded bytes to a parsed reading: extracted, normalised, outlined, split, hashed."""

from __future__ import annotations

import hashlib
import re
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import PurePath
from typing import TypedDict

from bot.reading.blocks import BlockKind, classify
from bot.reading.formats import FORMATS_HELP, extract, readable, unreadable
from bot.reading.language import LanguageClassifier, detect_language, has_templates
from bot.reading.prompts import PromptSet, TextKind, generate_reading_prompts, reading_kind
from bot.reading.sections import DEFAULT_TARGET_WORDS, Section, sections_of
from bot.reading.structure import Matter, outline
from bot.reading.text import TextFormatError, blocks_of, has_words, normalise

__all__ = [
    "FORMATS_HELP",
    "MAX_TITLE_CHARS",
    "ParseOptions",
    "ParsedReading",
    "parse_reading",
    "readable",
    "unreadable",
]
MAX_TITLE_CHARS = 200
DEFAULT_LANGUAGE = "en"  # for a text too short to tell


@dataclass(frozen=True)
class ParsedReading:
    title: str
    language: str
    source_name: str
    content_hash: str
    text: str
    sections: tuple[Section, ...]
    prompts: tuple[PromptSet, ...] = ()  # one set per section, in order, when generated
    front_matter: tuple[Matter, ...] = ()  # kept out of the sections, in order
    back_matter: tuple[Matter, ...] = ()
    detected_language: str | None = None  # what the text itself says, when detected
    chapters: int = 0  # headings found in the sections
    kind: TextKind = TextKind.ARGUMENT
    detected_kind: TextKind | None = None  # what the text itself reads as, when detected

    @property
    def word_count(self) -> int:
        return sum(section.word_count for section in self.sections)

    @property
    def left_out(self) -> tuple[Matter, ...]:
        return self.front_matter + self.back_matter

    @property
    def has_templates(self) -> bool:
        return has_templates(self.language)

    def pieces(self) -> list[str]:
        """Front matter, sections and back matter in order: joined by blank lines, the text."""
        return [
            *(m.text for m in self.front_matter),
            *(s.text for s in self.sections),
            *(m.text for m in self.back_matter),
        ]


def content_hash(text: str) -> str:
    """The SHA-256 of the normalised text: equal texts, equal hashes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _title_from_name(name: str) -> str:
    stem = PurePath(name).stem
    words = re.sub(r"[-_]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else "Untitled reading"


class ParseOptions(TypedDict, total=False):
    """What a caller chooses of a parse: `parse_reading`'s keywords but the classifier and the
    executor, which the bot's own wrappers supply (`bot.parsing`, `bot.drafting`)."""

    title: str | None
    language: str | None
    target_words: int
    with_prompts: bool
    kind: TextKind | None
    detect_given_language: bool


def parse_reading(
    data: bytes,
    source_name: str,
    *,
    language_classifier: LanguageClassifier | None,
    title: str | None = None,
    language: str | None = None,
    target_words: int = DEFAULT_TARGET_WORDS,
    with_prompts: bool = True,
    kind: TextKind | None = None,
    detect_given_language: bool = True,
    executor: Executor | None = None,
) -> ParsedReading:
    """Parse an uploaded book (.txt, .md, .html, .epub, .pdf) and draft each section's
    discussion prompts. The text's language is detected by `language_classifier` (None: not
    detected), and `language` overrides it; `kind` overrides the kind of text (argument,
    story, drama, verse, dialogue). With `detect_given_language` false, a text whose
    `language` is given is not run through the classifier (its `detected_language` stays
    None): a classifier loaded only when first asked (`bot.parsing`) is then never loaded,
    and py3langid's model takes about 100 MB once loaded.
    A long reading's prompts are drafted on `executor` when one is given (a process pool,
    `bot.drafting`).

    Pure and CPU-bound: no I/O, and no process of its own unless an executor is given; safe
    to run in a worker thread. The bot runs it through `bot.parsing.parse_reading`, which
    hands it the process's classifier and holds the garbage collector off meanwhile.
    Raises TextFormatError with a reader-facing reason.
    """
    extracted = extract(data, source_name)
    text = normalise(extracted.text)
    if not has_words(text):
        raise TextFormatError(f"{source_name} has no words in it.")
    blocks = classify(blocks_of(text), markdown=extracted.markdown)
    shape = outline(blocks, markdown=extracted.markdown)
    given = (language or "").strip().lower()
    detected = (
        detect_language(text, language_classifier)
        if language_classifier is not None and (detect_given_language or not given)
        else None
    )
    chosen_language = given or detected or DEFAULT_LANGUAGE
    sections = sections_of(shape.body, target_words=target_words, language=chosen_language)
    # The document's own title (HTML <h1>/<title>, EPUB dc:title, PDF metadata), else the
    # text's (Markdown `#`, Gutenberg `Title:`), else the file's name.
    chosen_title = (title or "").strip() or extracted.title or shape.title
    chosen_title = (chosen_title or "").strip() or _title_from_name(source_name)
    texts = [s.text for s in sections]
    detected_kind = reading_kind(texts, chosen_language)
    chosen_kind = kind or detected_kind
    prompts = (
        tuple(
            generate_reading_prompts(
                texts, language=chosen_language, kind=chosen_kind, executor=executor
            )
        )
        if with_prompts
        else ()
    )
    return ParsedReading(
        title=chosen_title[:MAX_TITLE_CHARS],
        language=chosen_language,
        source_name=PurePath(source_name).name[:MAX_TITLE_CHARS],
        content_hash=content_hash(text),
        text=text,
        sections=tuple(sections),
        prompts=prompts,
        front_matter=shape.front,
        back_matter=shape.back,
        detected_language=detected,
        chapters=sum(1 for b in shape.body if b.kind is BlockKind.HEADING),
        kind=chosen_kind,
        detected_kind=detected_kind,
    )
