"""The report of an upload: what was found, with the text's own labels made safe to show;
and the list of a section's prompts, cut to fit an embed."""

from __future__ import annotations

from dataclasses import replace

from bot.exts.discord_limits import EMBED_DESCRIPTION_LIMIT, FIELD_VALUE_LIMIT
from bot.exts.readings.render import import_report, prompts_embed
from bot.reading.importer import parse_reading
from bot.reading.prompts import PromptKind
from bot.reading.structure import Matter, MatterKind
from bot.services.prompts import PromptInfo

ESSAY = "# Why We Read Together\n\n" + "Reading aloud changes what a group notices. " * 40


def test_a_left_out_label_cannot_ping_or_format_the_report() -> None:
    parsed = parse_reading(ESSAY.encode(), "why.md", language_classifier=None, language="en")
    hostile = Matter(MatterKind.FRONT, "**Contents** <@&123456789012345678> @everyone", "a b c")
    report = import_report(replace(parsed, front_matter=(hostile,)))
    left_out = report.splitlines()[-1]
    assert left_out.startswith("Left out (front matter): \\*\\*Contents\\*\\* ")
    assert "<@&123456789012345678>" not in left_out
    assert "@everyone" not in left_out
    assert left_out.endswith(", 3 words")


def test_a_long_report_is_cut_to_an_embed_fields_length() -> None:
    parsed = parse_reading(ESSAY.encode(), "why.md", language_classifier=None, language="en")
    many = tuple(
        Matter(MatterKind.BACK, f"Appendix {n} on reading aloud", "word") for n in range(80)
    )
    report = import_report(replace(parsed, back_matter=many))
    assert len(report) <= FIELD_VALUE_LIMIT
    assert report.endswith("…")
    assert report.startswith(f"{parsed.chapters} chapter headings found")


def test_a_long_prompt_list_is_cut_at_a_word_not_inside_an_escape() -> None:
    asked = " ".join(["*why*"] * 40)  # each asterisk is shown escaped: "\*why\*"
    prompts = [
        PromptInfo(n, n, PromptKind.INTERPRETIVE, asked, None, None, None, True, False)
        for n in range(1, 40)
    ]
    description = prompts_embed("Chapter one", prompts).description or ""
    assert len(description) <= EMBED_DESCRIPTION_LIMIT
    assert description.endswith("\\*why\\*…")
