"""Question templates per language, read once from `templates/<lang>.toml`."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import cast

from bot.reading.prompts.kinds import TEXT_KINDS
from bot.reading.prompts.model import MoveKind, PromptKind, move_kind, prompt_kind

SLOT = re.compile(r"\{(\w+)\}")
# What a passage may have that a template needs or excludes (see templates/en.toml).
FEATURES = frozenset(
    {"definiens", "belief", "named", "preceded", "followed", "count", "lead", "items"}
    | {"result", "reason", "linked", "name", "speaker", "listener", "person"}
    # A person the section has named in at most one paragraph before: still being met.
    | {"introduced"}
    # What the quoted sentence is (sentence_kinds.py), and a story's frame.
    | {"event", "general", "description", "plan", "greeting", "answered", "spoken", "open"}
    | {"personal", "self"}
    | {"aside"}  # a narrator's word to the reader
    | {"frame"}
    | {"letter"}  # a section of a story told in letters (sentence_kinds.py)
    | {"felt"}  # a feeling of the one the quote names as its subject (sentence_kinds.py)
    # A likeness that says how someone is or does something ("as if she were a bride"), and
    # a contrast that turns a question round ("not whether X, but whether Y").
    | {"manner", "reframed"}
    | {"habit"}  # what someone did again and again, told in summary
    | {"asking"}  # the quoted words are a question
    | {"rhetorical"}  # a question that answers itself
    # Who is on stage with a play's speaker (kind_moves.py): nobody, two or more others; and
    # whether the listener answers the line.
    | {"alone", "company", "replied"}
    | {"rhymed"}  # verse quoted with a rhyme in it
    | {"turned"}  # verse quoted from a turn against the lines before ("Pourtant, …")
    | {"figured"}  # verse naming the poem's figures ("l'Enfant", "le Poète"): who is in it
    | {"unnamed"}  # verse whose subject is a pronoun for someone it names nowhere ("Ils …")
    # Words of feeling, judgment or picture; a feeling named or shown; an arrival or a turn
    # (sentence_kinds.py): what an impression, a moment or an expectation is asked of.
    | {"charged", "feeling", "arrival"}
    | {"addressed"}  # said to someone as "thou" (sentence_kinds.py)
    | {"placed", "scrap"}  # only where someone stands; a few words
    | {"timed"}  # a story's clock time or lapse of time and nothing that strikes (engine.py)
    | {"course"}  # something done, planned, meant or decided (sentence_kinds.py)
    # A plan that is a supposition, not a thing arranged; a likeness drawn (sentence_kinds.py).
    | {"supposed", "likeness"}
)


@dataclass(frozen=True)
class Template:
    id: str  # full id: "en.claim.interpretive"
    move: MoveKind
    kind: PromptKind
    text: str
    needs: frozenset[str]
    excludes: frozenset[str]
    weight: float
    slots: frozenset[str]
    texts: frozenset[str] = frozenset(TEXT_KINDS)  # the kinds of text it is asked of
    # Asked only when no other template of its kind fits any passage of the section: a
    # question any sentence can take, so that every section gets the three kinds.
    last_resort: bool = False
    # A preposition of the template that merges with the article a slot's value opens with
    # (Portuguese "a" + "a Azambuja": "à Azambuja"): (preposition, article, merged).
    contractions: tuple[tuple[str, str, str], ...] = ()

    def fits(self, features: frozenset[str], slots: Mapping[str, str]) -> bool:
        return (
            self.needs <= features
            and not (self.excludes & features)
            and bool(self.texts & features or not (features & set(TEXT_KINDS)))
            and all(slot.lower() in slots for slot in self.slots)
        )

    def render(self, values: Mapping[str, str]) -> str:
        """The question with its slots filled; {Speaker} is {speaker} opening a sentence, the
        quote is shown as `shown` gives it, and a preposition before a slot merges with the
        value's article as the language requires."""
        out: list[str] = []
        at = 0
        for match in SLOT.finditer(self.text):
            name = match.group(1)
            before = self.text[at : match.start()]
            if name == "quote":
                value = self.shown(values[name])
            elif name in values:
                before, value = self._contracted(before, values[name])
            else:
                value = values[name.lower()]
                value = value[:1].upper() + value[1:]
            out += [before, value]
            at = match.end()
        out.append(self.text[at:])
        return "".join(out)

    def _contracted(self, before: str, value: str) -> tuple[str, str]:
        """`before` and `value` with a preposition ending `before` merged into the article
        opening `value`; as they are when nothing merges."""
        if not before.endswith(" "):
            return before, value
        head, _, preposition = before[:-1].rpartition(" ")
        for word, article, merged in self.contractions:
            opens = article if article[-1:] in "'’" else f"{article} "
            if preposition == word and value.startswith(opens):
                rest = value[len(opens) :]
                return (
                    f"{head} " if head else "",
                    f"{merged}{'' if opens == article else ' '}{rest}",
                )
        return before, value

    def shown(self, quote: str) -> str:
        """The quote as the question shows it: its words verbatim, with the marks of speech
        inside it turned to the nested marks of the question's own (“… ‘Hold hard!’ …”,
        „… ‚Interessen‘ …“), so that no mark is doubled or closes the quote too early."""
        at = self.text.find("{quote}")
        nested = _NESTED.get(self.text[at - 1 : at]) if at > 0 else None
        if nested is None:
            return quote
        outer, inner = nested
        out: list[str] = []
        opened = False
        for ch in quote:
            if ch == '"':
                out.append(inner[1] if opened else inner[0])
                opened = not opened
            elif ch in outer:
                out.append(inner[outer.index(ch)])
            else:
                out.append(ch)
        return "".join(out)


# A question's own quote marks (its opening one), the marks of speech a quote may hold that
# would clash with them, and the nested marks those become.
_NESTED: dict[str, tuple[str, str]] = {"“": ("“”", "‘’"), "„": ("„“", "‚‘")}


@dataclass(frozen=True)
class TemplateSet:
    language: str
    fallback_note: str | None
    templates: tuple[Template, ...]
    # What a question about a quote's unnamed subject opens with ("Of {person}: "), and
    # whether a name with its article may fill it (a German or Italian article declines).
    subject_lead: str | None = None
    subject_lead_article: bool = False
    # The same for a figure of a poem, always with its article ("Sur le Poète : ").
    verse_subject_lead: str | None = None


def _template(
    language: str, raw: dict[str, object], contractions: tuple[tuple[str, str, str], ...] = ()
) -> Template:
    short = str(raw["id"])
    move_name, kind_name = short.split(".")[:2]
    move, kind = move_kind(move_name), prompt_kind(kind_name)
    if move is None or kind is None:
        raise ValueError(f"template {language}.{short}: unknown move or kind")
    text = str(raw["text"])
    needs = frozenset(cast(list[str], raw.get("needs", [])))
    excludes = frozenset(cast(list[str], raw.get("excludes", [])))
    if not (needs | excludes) <= FEATURES:
        raise ValueError(f"template {language}.{short}: unknown feature")
    texts = frozenset(cast(list[str], raw.get("texts", TEXT_KINDS)))
    if not texts <= set(TEXT_KINDS):
        raise ValueError(f"template {language}.{short}: unknown kind of text")
    return Template(
        id=f"{language}.{short}",
        move=move,
        kind=kind,
        text=text,
        needs=needs,
        excludes=excludes,
        weight=float(cast(float, raw.get("weight", 1.0))),
        slots=frozenset(SLOT.findall(text)),
        texts=texts,
        last_resort=bool(raw.get("last_resort", False)),
        contractions=contractions,
    )


@cache
def templates_for(language: str) -> TemplateSet | None:
    """The templates for `language`, or None when there are none yet."""
    path = resources.files(__package__).joinpath("templates").joinpath(f"{language}.toml")
    if not path.is_file():
        return None
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    # "a a" = "à": the preposition and the article, and what they make together.
    contractions = tuple(
        (preposition, article, merged)
        for pair, merged in data.get("contractions", {}).items()
        for preposition, article in [pair.split(" ", 1)]
    )
    templates = tuple(_template(language, raw, contractions) for raw in data["templates"])
    return TemplateSet(
        language,
        data.get("fallback_note"),
        templates,
        subject_lead=data.get("subject_lead"),
        subject_lead_article=bool(data.get("subject_lead_article", False)),
        verse_subject_lead=data.get("verse_subject_lead"),
    )
