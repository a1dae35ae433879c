"""Splitting readings into sections: headings, lists, merging, splitting, nothing lost."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.parsing import parse_reading
from bot.reading.sections import Section
from bot.reading.text import normalise
from tests.reading.sectioned import sections_of_text

SEED_HEADINGS = [
    "Introduction",
    "No To Economicism",
    "Our Outlook",
    "Mistakes to be Avoided",
    "Towards a Better Understanding",
    "The Certainties We Must Build On",
    "The Functions of Mass Organizations",
    "Defence and Sustenance Within Class Society",
    "Material Attacks Against Exploitation",
    "The Building of an Alternative Management of Society",
    "The Development of Revolutionary Libertarian Consciousness",
]


def _joined(sections: list[Section]) -> str:
    return "\n\n".join(section.text for section in sections)


def test_the_seeds_eleven_headings_are_found_in_order(seed_normalised: str) -> None:
    sections = sections_of_text(seed_normalised)
    assert [h for s in sections for h in s.headings] == SEED_HEADINGS


def test_no_seed_list_item_becomes_a_heading(seed_normalised: str) -> None:
    headings = {h for s in sections_of_text(seed_normalised) for h in s.headings}
    for item in (
        "the full application of direct democracy;",
        "defence and sustenance within class society;",
        "new list",
        "know our own strength and be willing to use it.",
    ):
        assert item in seed_normalised
        assert item not in headings


def test_the_short_functions_section_is_merged_into_the_next(seed_normalised: str) -> None:
    sections = sections_of_text(seed_normalised)
    merged = next(s for s in sections if "The Functions of Mass Organizations" in s.headings)
    assert merged.headings == (
        "The Functions of Mass Organizations",
        "Defence and Sustenance Within Class Society",
    )
    assert merged.text.startswith("The Functions of Mass Organizations\n\n")
    assert "\n\nDefence and Sustenance Within Class Society\n\n" in merged.text
    assert len(sections) == 10


def test_seed_sections_lose_nothing_and_are_big_enough(seed_normalised: str) -> None:
    sections = sections_of_text(seed_normalised)
    assert _joined(sections) == seed_normalised
    assert [s.position for s in sections] == list(range(1, len(sections) + 1))
    assert min(s.word_count for s in sections) >= 150
    assert sum(s.word_count for s in sections) > 6000


def test_list_items_stay_with_the_paragraph_that_introduces_them() -> None:
    intro = "To defend ourselves it is essential to:"
    items = [f"item number {i} about things we must do;" for i in range(8)]
    paragraphs = [" ".join(["word"] * 120) + "." for _ in range(10)]
    text = "\n\n".join([*paragraphs[:5], intro, *items, *paragraphs[5:]])
    sections = sections_of_text(text, target_words=300)
    holder = next(s for s in sections if intro in s.text)
    assert all(item in holder.text for item in items)


def test_text_without_headings_is_split_by_length_into_even_parts() -> None:
    paragraph = " ".join(["reading"] * 100) + "."
    text = "\n\n".join([paragraph] * 40)  # 4,000 words, no headings
    sections = sections_of_text(text, target_words=1500)
    assert len(sections) == 3
    assert [s.title for s in sections] == ["Part 1", "Part 2", "Part 3"]
    assert all(1200 <= s.word_count <= 1400 for s in sections)
    assert _joined(sections) == text


def test_a_long_section_is_split_at_paragraph_bounds_keeping_its_title() -> None:
    paragraph = " ".join(["argument"] * 200) + "."
    text = "Long Chapter\n\n" + "\n\n".join([paragraph] * 20)
    sections = sections_of_text(text, target_words=1500)
    assert [s.title for s in sections] == [
        "Long Chapter (1/3)",
        "Long Chapter (2/3)",
        "Long Chapter (3/3)",
    ]
    assert all(s.text.split("\n\n")[-1] == paragraph for s in sections)


def test_markdown_headings_only_count_in_markdown() -> None:
    body = " ".join(["text"] * 200) + "."
    md = f"# Part One\n\nShort line\n\n{body}\n\n## Part Two\n\n{body}"
    reading = parse_reading(md.encode(), "guide.md")
    assert [h for s in reading.sections for h in s.headings] == ["Part One", "Part Two"]


def test_a_tiny_text_is_one_section() -> None:
    sections = sections_of_text("Just one sentence here.")
    assert len(sections) == 1
    assert sections[0].word_count == 4
    assert sections[0].title == "Part 1"


_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzé’", min_size=1, max_size=9)
_sentence = st.lists(_word, min_size=1, max_size=30).map(lambda w: " ".join(w).capitalize() + ".")
_paragraph = st.lists(_sentence, min_size=1, max_size=8).map(" ".join)
_heading = st.lists(_word, min_size=1, max_size=6).map(lambda w: " ".join(w).title())
_item = st.lists(_word, min_size=1, max_size=10).map(lambda w: "  " + " ".join(w) + ";")
_block = st.one_of(_paragraph, _paragraph, _heading, _item, _paragraph.map(lambda p: p + ":"))
_gap = st.sampled_from(["\n\n", "\n\n\n\n", "\n \t\n", "\r\n\r\n", "\n    \n  \n"])


@st.composite
def _documents(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(_block, min_size=1, max_size=60))
    out = ""
    for block in blocks:
        out += block + draw(_gap)
    return out


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents(), st.sampled_from([60, 150, 400, 1500]))
def test_joining_sections_gives_back_the_normalised_text(raw: str, target: int) -> None:
    text = normalise(raw)
    sections = sections_of_text(text, target_words=target)
    assert _joined(sections) == text
    assert all(s.text for s in sections)
    assert [s.position for s in sections] == list(range(1, len(sections) + 1))


def test_a_length_split_never_leaves_a_heading_alone_at_the_end_of_a_part() -> None:
    huge = " ".join(["Story"] * 3000) + "."
    text = "\n\n".join(["# Chapter 1", huge, "A short ending."])
    sections = sections_of_text(text, markdown=True, target_words=1500)
    assert len(sections) == 2
    for section in sections:
        assert section.word_count > 0
        assert not section.text.split("\n\n")[-1].startswith("# ")
