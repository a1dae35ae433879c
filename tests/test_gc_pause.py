"""The garbage collector is held off while a reading is parsed, and a parse leaves nothing
for it to find."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from bot.gc_pause import gc_paused
from bot.parsing import parse_reading
from bot.reading.prompts import TextKind
from bot.reading.text import TextFormatError

ARGUMENT = """# On assemblies

## I. What an assembly is

An assembly is the meeting of all who work in a place. Dr. Moreau said so in 1936, e.g.
in Barcelona: "the assembly decides, not the committee." Therefore the committee obeys.

The members decide three things: what to make, how to make it, and for whom. Why? Because
nobody else knows the work as they do; on the other hand, they must learn to listen.

## II. What it is not

It is not a parliament, but a workshop. It is like a kitchen where everyone cooks.
"""

STORY = """CHAPTER I.

"Come in," she said. He stood at the door for a long time, as if he had forgotten why.

Mr. Brown had come from Leeds on the 3 o'clock train. Suddenly he laughed. "Why do you
laugh?" she asked him. He did not answer; he decided to stay.

CHAPTER II.

The next morning Mr. Brown was gone. Nobody in the village ever saw him again.
"""

PLAY = """ACT I.

ALGERNON. Did you hear what I was playing, Lane?

LANE. I didn't think it polite to listen, sir.

ALGERNON. I'm sorry for that, for your sake. I don't play accurately.

LANE. Yes, sir.
"""

KINDS: tuple[TextKind | None, ...] = (None, *TextKind)


@pytest.fixture
def collector_enabled() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


@pytest.mark.parametrize(
    ("text", "name", "language"),
    [(ARGUMENT, "assemblies.md", None), (STORY, "story.txt", "en"), (PLAY, "play.txt", "fr")],
)
def test_a_parse_leaves_no_reference_cycles(text: str, name: str, language: str | None) -> None:
    parse_reading(text.encode(), name, language=language)  # loads what a first parse loads
    was = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        for kind in KINDS:
            parse_reading(text.encode(), name, language=language, kind=kind)
        assert gc.collect() == 0
    finally:
        if was:
            gc.enable()


def test_the_collector_is_held_off_during_a_parse_and_runs_again_after(
    collector_enabled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.reading.importer as importer
    from bot.reading.text import normalise as real

    seen: list[bool] = []

    def watching(text: str) -> str:
        seen.append(gc.isenabled())
        return real(text)

    monkeypatch.setattr(importer, "normalise", watching)
    parse_reading(STORY.encode(), "story.txt")
    assert seen == [False]
    assert gc.isenabled()


def test_a_failed_parse_lets_the_collector_run_again(collector_enabled: None) -> None:
    with pytest.raises(TextFormatError):
        parse_reading(b"   \n\n  ", "empty.txt")
    assert gc.isenabled()


def test_a_collector_disabled_before_stays_disabled() -> None:
    was = gc.isenabled()
    gc.disable()
    try:
        parse_reading(STORY.encode(), "story.txt")
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()


def test_overlapping_parses_share_one_pause(collector_enabled: None) -> None:
    first_in = threading.Event()
    second_done = threading.Event()
    during: list[bool] = []

    def first() -> None:
        with gc_paused():
            first_in.set()
            second_done.wait(5)
            during.append(gc.isenabled())  # the second ended: still held off for the first

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with gc_paused():
        during.append(gc.isenabled())
    second_done.set()
    thread.join(5)
    assert during == [False, False]
    assert gc.isenabled()
