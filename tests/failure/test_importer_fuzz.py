"""Fuzzing the text importer: any bytes are a reading or a clear TextFormatError, and a
reading keeps every visible character of its text, in order.

tests/reading/test_sections.py fuzzes the section splitter with well-formed documents; these
feed it arbitrary bytes and arbitrary Unicode through `parse_reading`.
"""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.parsing import parse_reading
from bot.reading.chunks import DISCORD_MESSAGE_LIMIT, split_messages
from bot.reading.text import TextFormatError, decode

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _visible(text: str) -> str:
    """The text without any whitespace, as Unicode NFC: what a reader can see, in order."""
    return "".join(unicodedata.normalize("NFC", text).split())


# Words, odd spacing and line breaks, headings, list markers, Markdown, and the characters
# that trouble text handling: zero-width, direction marks, combining accents, emoji, CJK.
_pieces = st.sampled_from(
    [
        "word",
        "Reading",
        "é",
        "e\u0301",
        "\u200b",
        "\u202e",
        "\u2066",
        "שלום",
        "مرحبا",
        "読書",
        "🙂",
        "👩‍👩‍👧",
        "# ",
        "## ",
        "- ",
        "1. ",
        "> ",
        "```",
        "**",
        "@everyone",
        "<@&1>",
        "\t",
        " ",
        "\u00a0",
        "\u3000",
        "\n",
        "\n\n",
        "\r\n",
        "\r",
        ".",
        ":",
        ";",
        "—",
        "…",
    ]
)
_documents = st.one_of(
    st.text(max_size=3000),
    st.lists(st.one_of(_pieces, st.text(max_size=12)), max_size=400).map("".join),
)


@FUZZ
@given(st.binary(max_size=4000), st.sampled_from(["upload.txt", "upload.md"]))
@example(b"\xef\xbb\xbf", "bom.txt")
@example(b"\xff\xfe" + "text".encode("utf-16-le"), "utf16.txt")
@example(b"x" * 9000 + b"\x00", "late-nul.txt")
def test_any_bytes_are_a_reading_or_a_clear_refusal(data: bytes, name: str) -> None:
    try:
        reading = parse_reading(data, name, with_prompts=False)
    except TextFormatError as exc:
        reason = str(exc)
        assert name in reason  # it names the file and says what is wrong with it
        return
    assert reading.sections
    # Front and back matter are left out of the sections, never lost.
    assert _visible("".join(reading.pieces())) == _visible(decode(data, source=name))


@FUZZ
@given(_documents, st.sampled_from(["upload.txt", "upload.md"]), st.sampled_from([60, 1500]))
def test_any_text_loses_nothing_on_its_way_into_sections(text: str, name: str, target: int) -> None:
    try:
        reading = parse_reading(text.encode("utf-8"), name, target_words=target, with_prompts=False)
    except TextFormatError:
        assert not any(ch.isalnum() for ch in text) or "\x00" in text
        return
    joined = "\n\n".join(reading.pieces())
    assert joined == reading.text
    assert _visible(joined) == _visible(text)
    assert [s.position for s in reading.sections] == list(range(1, len(reading.sections) + 1))
    for section in reading.sections:
        messages = split_messages(section.text, markdown=name.endswith(".md"))
        assert all(len(m) <= DISCORD_MESSAGE_LIMIT for m in messages)
        assert _visible("".join(messages)) == _visible(section.text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents, st.sampled_from(["en", "it", "xx"]))
def test_prompts_are_drafted_for_any_text_without_failing(text: str, language: str) -> None:
    try:
        reading = parse_reading(text.encode("utf-8"), "upload.txt", language=language)
    except TextFormatError:
        return
    assert len(reading.prompts) == len(reading.sections)
    for prompt_set in reading.prompts:
        for prompt in prompt_set.prompts:
            assert prompt.text.strip()
