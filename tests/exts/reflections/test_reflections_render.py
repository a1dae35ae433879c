"""The pure helpers of reflections: safe echoes, packing into messages, the Markdown export,
the modal's shape and how its submission and options are read back."""

from __future__ import annotations

from datetime import datetime, timedelta

import discord
import pytest

from bot.errors import UserError
from bot.exts.discord_limits import EMBED_TOTAL_LIMIT, EMBEDS_PER_MESSAGE, FIELD_VALUE_LIMIT
from bot.exts.interactions import Modals, ModalValues
from bot.exts.options import parse_section
from bot.exts.reflections import render
from bot.exts.reflections.modals import (
    PROMPT_ID,
    TEXT_ID,
    VISIBILITY_ID,
    ModalTarget,
    ReflectionModal,
    Submitted,
)
from bot.reading.prompts import PromptKind
from bot.services.digests import DigestPlan, DigestRequest, DigestState, PromptTally
from bot.services.reflections import (
    PromptChoice,
    ReflectionInfo,
    Visibility,
)
from tests.clocked import FIRST_DUE
from tests.fakediscord.validation import Problems, check_embeds, check_modal

# The reflections are written, and exported, as the first section goes out.
WHEN = FIRST_DUE
USER_ID = 123456789012345678


def _reflection(
    n: int = 1,
    text: str = "A thought.",
    *,
    prompt_text: str | None = None,
    visibility: Visibility = Visibility.NOW,
    updated_at: datetime = WHEN,
    revealed_at: datetime | None = None,
) -> ReflectionInfo:
    return ReflectionInfo(
        id=n,
        guild_id=1,
        user_id=USER_ID,
        author_name="Mia",
        schedule_id=1,
        section_id=10,
        section_position=3,
        section_title="Our Outlook",
        reading_title="Mass Organizations",
        prompt_id=None,
        prompt_text=prompt_text,
        text=text,
        visibility=visibility,
        thread_id=5,
        channel_id=None,
        message_id=None,
        created_at=WHEN,
        updated_at=updated_at,
        revealed_at=revealed_at,
    )


# -- embeds and packing ---------------------------------------------------------------------


def test_a_reflection_embed_names_the_author_and_the_prompt() -> None:
    embed = render.reflection_embed(_reflection(prompt_text="What do we owe each other?"))
    assert embed.author.name == "Mia"
    assert embed.title == "On: What do we owe each other?"
    assert embed.footer.text == "Reflection #1 · section 3. Our Outlook"
    edited = render.reflection_embed(_reflection(updated_at=WHEN + timedelta(hours=1)))
    assert edited.footer.text is not None
    assert edited.footer.text.endswith("· edited")


def test_many_long_reflections_are_packed_within_discords_limits() -> None:
    reflections = [_reflection(n, "word " * 790) for n in range(1, 8)] + [
        _reflection(n) for n in range(8, 30)
    ]
    parts = render.pack(reflections)
    assert [v.id for part in parts for v in part] == list(range(1, 30))
    for part in parts:
        embeds = render.message_embeds(part)
        assert len(embeds) <= EMBEDS_PER_MESSAGE
        assert sum(len(e) for e in embeds) <= EMBED_TOTAL_LIMIT
        problems = Problems()
        # As sent: plain JSON objects (discord.py types its own as a TypedDict).
        check_embeds(problems, [dict(e.to_dict()) for e in embeds])
        assert not problems.messages()


def test_fit_embeds_shortens_an_edited_message_that_grew_too_long() -> None:
    embeds = [render.reflection_embed(_reflection(n, "x" * 3000)) for n in range(3)]
    fitted = render.fit_embeds(embeds)
    assert sum(len(e) for e in fitted) <= EMBED_TOTAL_LIMIT
    assert any((e.description or "").endswith("…") for e in fitted)


def test_the_audience_sentence_says_who_can_read_it() -> None:
    assert "not facilitators" in render.audience(
        _reflection(visibility=Visibility.PRIVATE), posted=False
    )
    waiting = render.audience(_reflection(visibility=Visibility.AFTER_CLOSE), posted=False)
    assert "until the section closes" in waiting
    late = render.audience(
        _reflection(visibility=Visibility.AFTER_CLOSE, revealed_at=WHEN), posted=True
    )
    assert late.startswith("The circle can read it. The section has closed")
    assert "digest will show it" in render.audience(_reflection(), posted=False)


def test_the_digest_shows_counts_prompts_and_votes_within_limits() -> None:
    plan = DigestPlan(
        digest_id=4,
        guild_id=1,
        schedule_id=1,
        section_id=10,
        position=3,
        total_sections=10,
        section_title="Our Outlook",
        reading_title="Mass Organizations",
        channel_id=5,
        reflections=4,
        authors=3,
        shared_before=1,
        revealed=(_reflection(visibility=Visibility.AFTER_CLOSE, revealed_at=WHEN),),
        top_prompts=(PromptTally(2, "Why *now*? " * 40, 3),),
        members=6,
        read=4,
        nonce="scd4",
    )
    embed = render.digest_embed(plan, votes=["Topic @everyone won."], meeting=[])
    assert embed.title == "Section 3 of 10 closes: Our Outlook"
    assert "**3** members reflected on this section (4 reflections)." in (embed.description or "")
    assert "**4** of 6 members marked it read." in (embed.description or "")
    fields = {f.name: f.value for f in embed.fields}
    assert "@\u200beveryone" in (fields["Vote"] or "")
    assert len(fields["Prompts answered most"] or "") <= FIELD_VALUE_LIMIT
    assert render.digest_part_header(plan, 1, 1) == (
        "-# Reflections revealed at the close of section 3"
    )
    assert render.digest_part_header(plan, 2, 3).endswith("(2 of 3)")


# -- export ---------------------------------------------------------------------------------


def test_the_export_is_markdown_in_reading_order_with_prompts_and_visibility() -> None:
    reflections = [
        _reflection(1, "First.", prompt_text="What\nnow?"),
        _reflection(
            2, "Second.", visibility=Visibility.PRIVATE, updated_at=WHEN + timedelta(days=1)
        ),
    ]
    text = render.export_markdown(reflections, "Reading Room", WHEN)
    assert text.splitlines()[:3] == [
        "# My reflections · Reading Room",
        "",
        "Exported from Study Circle on 2027-03-01 17:00 UTC: 2 reflections.",
    ]
    assert text.count("## Mass Organizations · 3. Our Outlook") == 1
    assert "### 2027-03-01 17:00 UTC · The circle, now" in text
    assert "> **Prompt:** What now?" in text
    assert "*Edited 2027-03-02 17:00 UTC.*" in text
    assert text.index("First.") < text.index("Second.")
    assert render.export_filename("Reading Room!") == "reflections-reading-room.md"
    assert render.export_filename("✨") == "reflections-server.md"


# -- the modal ------------------------------------------------------------------------------


async def test_the_modal_fits_discords_limits_with_a_long_prompt_shown_in_full() -> None:
    long_prompt = "Why does the text insist that " + "organisation " * 25 + "matters?"
    prompts = [PromptChoice(n, n, PromptKind.INTERPRETIVE, long_prompt) for n in range(1, 9)]
    modal = ReflectionModal(ModalTarget(schedule_id=1, section_id=10)).form(
        title="Reflect on 3. A very long section title that goes on and on",
        section="3. Our Outlook",
        prompts=prompts,
        visibility=Visibility.AFTER_CLOSE,
        prompt_id=2,
    )
    data = modal.to_dict()
    assert not check_modal(data).messages()
    assert len(data["title"]) <= 45
    kinds = [c["type"] for c in data["components"]]
    assert kinds == [10, 18, 18, 18]
    assert long_prompt in data["components"][0]["content"]
    text_label = data["components"][2]
    assert text_label["description"].startswith("Why does the text insist")
    visibility = data["components"][3]["component"]
    assert [o["value"] for o in visibility["options"] if o.get("default")] == [
        Visibility.AFTER_CLOSE
    ]
    assert modal.is_finished()  # never kept in memory: handled from the submission


async def test_each_prompt_choice_names_its_stage_of_the_discussion() -> None:
    prompts = [
        PromptChoice(1, 1, PromptKind.FACTUAL, "Who founded the club?"),
        PromptChoice(2, 2, PromptKind.INTERPRETIVE, "Why does the club keep its rules?"),
        PromptChoice(3, 3, PromptKind.EVALUATIVE, "Would you have joined the club?"),
    ]
    modal = ReflectionModal(ModalTarget(schedule_id=1, section_id=10)).form(
        title="Reflect on 1. The club",
        section="1. The club",
        prompts=prompts,
        visibility=Visibility.NOW,
        prompt_id=None,
    )
    [choice] = [
        c["component"]
        for c in modal.to_dict()["components"]
        if c.get("component", {}).get("custom_id") == PROMPT_ID
    ]
    assert [o["description"] for o in choice["options"]] == [
        "Opening question",
        "Core question",
        "Closing question",
    ]


async def test_a_section_without_prompts_gets_no_prompt_choice() -> None:
    modal = ReflectionModal.edit(7, 2).form(
        title="Edit your reflection #7",
        section="3. Our Outlook",
        prompts=[],
        visibility=Visibility.PRIVATE,
        text="Before.",
    )
    data = modal.to_dict()
    assert [c["component"]["custom_id"] for c in data["components"]] == [TEXT_ID, VISIBILITY_ID]
    assert data["components"][0]["component"]["value"] == "Before."


def test_submitted_values_are_read_from_labels_and_rows() -> None:
    data = {
        "custom_id": "sc:rfm:new:1:10",
        "components": [
            {"type": 10, "id": 1},
            {"type": 18, "component": {"type": 3, "custom_id": PROMPT_ID, "values": ["12"]}},
            {"type": 1, "components": [{"type": 4, "custom_id": TEXT_ID, "value": "Hi."}]},
            {
                "type": 18,
                "component": {"type": 3, "custom_id": VISIBILITY_ID, "values": [Visibility.NOW]},
            },
        ],
    }
    values = Submitted.of(ModalValues(data))
    assert (values.text, values.visibility, values.prompt_id) == ("Hi.", Visibility.NOW, 12)
    empty = Submitted.of(ModalValues({"components": []}))
    assert (empty.text, empty.visibility, empty.prompt_id) == ("", None, None)


def test_modal_custom_ids_say_what_they_write() -> None:
    modals = Modals()
    modals.add(ReflectionModal)
    new = modals.find("sc:rfm:new:1:10")
    edit = modals.find(ReflectionModal.edit(7, 2).custom_id)
    assert isinstance(new, ReflectionModal)
    assert new.target == ModalTarget(schedule_id=1, section_id=10)
    assert isinstance(edit, ReflectionModal)
    assert edit.target == ModalTarget(reflection_id=7, page=2)
    assert modals.find("sc:rfm:new:1") is None
    assert modals.find("sc:rfm:new:1:10:extra") is None
    assert modals.find("probe:modal") is None


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [("3", (None, 3)), ("#3", (None, 3)), ("2:3", (2, 3)), (" #2 / 3 ", (2, 3))],
)
def test_a_section_can_be_chosen_or_typed(typed: str, parsed: tuple[int | None, int]) -> None:
    assert parse_section(typed) == parsed


def test_a_section_that_is_not_a_number_is_refused() -> None:
    with pytest.raises(UserError, match="Pick a section"):
        parse_section("the third one")


def test_visibility_labels_fit_select_options() -> None:
    for labels in (render.VISIBILITY_LABELS, render.VISIBILITY_HINTS):
        assert all(len(text) <= 100 for text in labels.values())
    assert isinstance(render.COLOUR, discord.Colour)


def test_the_export_answer_counts_reflections_in_the_right_number() -> None:
    assert render.export_text(1) == "Your 1 reflection, for your own keeping."
    assert render.export_text(3) == "Your 3 reflections, for your own keeping."


def test_the_digest_answer_says_where_the_digest_stands() -> None:
    def asked(state: DigestState, channel_id: int | None, message_id: int | None) -> str:
        status = DigestRequest(state, 1, 2, "The *Commons*", channel_id, message_id)
        return render.digest_request_text(10, status)

    assert asked(DigestState.POSTED, 20, 30) == (
        "The digest of section 2. The \\*Commons\\* was posted already: "
        "https://discord.com/channels/10/20/30"
    )
    assert asked(DigestState.POSTED, None, None).endswith("was posted already.")
    assert asked(DigestState.POSTING, 20, None) == (
        "The digest of section 2. The \\*Commons\\* is being posted right now."
    )
    assert asked(DigestState.QUEUED, 20, None).endswith("its digest is on its way to <#20>.")
    assert asked(DigestState.QUEUED, None, None).endswith("its digest is on its way to its thread.")
