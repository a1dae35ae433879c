"""Reflections through the fake Discord: the Reflect button and its modal, who can read what,
the digest that closes a section (once), the member's own list, export, and members' words
echoed without pinging anyone (settings and forget-me: tests/exts/privacy)."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from discord.ext import commands

from bot.app import StudyCircleBot
from bot.exts.features import DigestPart
from bot.exts.reflections.modals import PROMPT_ID, TEXT_ID, VISIBILITY_ID
from bot.scheduling.clock import FakeClock
from bot.services.reflections import RATE_LIMIT
from bot.settings import Settings
from tests.clocked import FIRST_DUE, advance_to
from tests.exts.reflections.helpers import (
    digests_in,
    first_section,
    modal_parts,
    reflect_button_id,
    reflections_in,
    thread_of,
    write_reflection,
)
from tests.fakediscord import FakeDiscord
from tests.fakediscord.fixtures import running_bot
from tests.log_capture import bot_log

SECOND_DUE = FIRST_DUE + timedelta(days=1)


# -- writing --------------------------------------------------------------------------------


async def test_the_reflect_button_opens_a_modal_with_prompts_and_the_default_visibility(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    post = await first_section(bot, fake_discord, clock)
    opened = await fake_discord.click(post, reflect_button_id(post), user=fake_discord.world.member)

    assert opened.modal is not None
    assert opened.modal["title"] == "Reflect on 1. Introduction"
    parts = modal_parts(opened.modal)
    assert list(parts) == [PROMPT_ID, TEXT_ID, VISIBILITY_ID]
    assert parts[TEXT_ID]["style"] == 2  # paragraph
    assert parts[TEXT_ID]["max_length"] == 4000
    assert parts[TEXT_ID]["description"] == "On 1. Introduction"
    prompts = parts[PROMPT_ID]["options"]
    assert 3 <= len(prompts) <= 8
    visibility = {o["value"]: o.get("default", False) for o in parts[VISIBILITY_ID]["options"]}
    assert visibility == {"private": True, "after_close": False, "now": False}


async def test_reflect_with_a_prompt_heads_the_text_box_with_it(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    await first_section(bot, fake_discord, clock)
    choices = await fake_discord.autocomplete(
        "reflect", {"prompt": ""}, focused="prompt", user=fake_discord.world.member
    )
    assert choices.choices
    first = choices.choices[0]
    opened = await fake_discord.command(
        "reflect", {"prompt": first["value"]}, user=fake_discord.world.member
    )
    assert opened.modal is not None
    parts = modal_parts(opened.modal)
    chosen = [o for o in parts[PROMPT_ID]["options"] if o.get("default")]
    assert len(chosen) == 1
    assert first["name"].split(". ", 1)[1][:40] in parts[TEXT_ID]["description"]

    saved = await fake_discord.submit_modal(
        opened, {TEXT_ID: "An answer.", VISIBILITY_ID: ["private"], PROMPT_ID: [chosen[0]["value"]]}
    )
    assert saved.ephemeral
    assert "Prompt" in [f["name"] for f in saved.embeds[0]["fields"]]


async def test_reflect_takes_a_prompt_typed_by_its_number_and_refuses_a_word(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    await first_section(bot, fake_discord, clock)
    member = fake_discord.world.member

    opened = await fake_discord.command("reflect", {"prompt": "#2"}, user=member)
    assert opened.modal is not None, opened.text
    [chosen] = [o for o in modal_parts(opened.modal)[PROMPT_ID]["options"] if o.get("default")]
    assert chosen["label"].startswith("2. ")

    worded = await fake_discord.command("reflect", {"prompt": "the second"}, user=member)
    assert worded.ephemeral
    assert worded.modal is None
    assert worded.text == "Pick a prompt from the list (or type its number)."
    missing = await fake_discord.command("reflect", {"prompt": "99"}, user=member)
    assert missing.ephemeral
    assert "pick one from the list" in missing.text


async def test_a_prompt_no_menu_offers_is_refused_kindly_and_nothing_is_saved(
    bot: StudyCircleBot,
    fake_discord: FakeDiscord,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    post = await first_section(bot, fake_discord, clock)
    member = fake_discord.world.member
    opened = await fake_discord.click(post, reflect_button_id(post), user=member)
    assert opened.modal is not None
    offered = modal_parts(opened.modal)[PROMPT_ID]["options"][0]["value"]
    forged = {
        "²": "Choose from the menu's prompts.",  # a digit to str.isdigit(), not to int()
        "the first": "Choose from the menu's prompts.",
        "999999": "That prompt is not one of this section's prompts.",
    }
    with caplog.at_level(logging.ERROR, logger="bot"):
        for value, said in forged.items():
            payload = fake_discord.payloads.modal_submit(
                opened.modal,
                {TEXT_ID: "An answer.", VISIBILITY_ID: ["private"], PROMPT_ID: [offered]},
                user=member,
                channel=opened.channel,
                message=opened.source_message,
            )
            # What no Discord client sends: a prompt the menu does not offer.
            [prompt] = [
                c["component"]
                for c in payload["data"]["components"]
                if c["type"] == 18 and c["component"]["custom_id"] == PROMPT_ID
            ]
            prompt["values"] = [value]
            refused = await fake_discord.interact(payload)
            assert refused.ephemeral, value
            assert refused.text == said, value
    assert [r for r in caplog.records if r.name.startswith("bot")] == []
    mine = await fake_discord.command("reflections mine", user=member)
    assert "no reflections" in mine.text, mine.text


async def test_a_submitted_reflection_is_saved_and_confirmed_privately(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    post = await first_section(bot, fake_discord, clock)
    saved = await write_reflection(
        fake_discord, post, world.member, "It made me think of our union."
    )

    assert saved.ephemeral
    assert "Saved your reflection on section 1. Introduction" in saved.content
    assert saved.embeds[0]["description"] == "It made me think of our union."
    assert "Only you can read it: not other members, not facilitators." in saved.text
    assert reflections_in(fake_discord, thread_of(fake_discord, post)) == []

    mine = await fake_discord.command("reflections mine", user=world.member)
    assert mine.ephemeral
    assert mine.embeds[0]["description"] == "It made me think of our union."
    assert "Only me" in mine.text


async def test_a_private_reflection_is_hidden_from_other_members_and_facilitators(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    post = await first_section(bot, fake_discord, clock)
    secret = "A private worry about the second paragraph."
    await write_reflection(fake_discord, post, world.member, secret, "private")

    other = await fake_discord.command("reflections mine", user=world.other_member)
    assert secret not in other.text
    assert "no reflections" in other.text
    facilitator = await fake_discord.command("reflections mine", user=world.facilitator)
    assert secret not in facilitator.text
    summary = await fake_discord.command("reflections summary", user=world.facilitator)
    assert summary.ephemeral
    assert "1 by 1 member · 0 shared · 0 to reveal at the close · 1 private" in summary.text
    assert secret not in summary.text

    await advance_to(bot, clock, SECOND_DUE)  # the next section closes this one
    thread = thread_of(fake_discord, post)
    [digest] = digests_in(fake_discord, thread)
    assert "**1** member reflected on this section (1 reflection)." in digest.text
    assert all(secret not in m.text for m in fake_discord.messages_in(thread))
    assert all(secret not in m.text for m in fake_discord.messages_in(world.reading))


async def test_members_cannot_read_the_summary(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    await first_section(bot, fake_discord, clock)
    refused = await fake_discord.command("reflections summary", user=fake_discord.world.member)
    assert "Only facilitators" in refused.text
    refused = await fake_discord.command("digest", user=fake_discord.world.member)
    assert "Only facilitators" in refused.text


async def test_a_reflection_shared_now_is_posted_in_the_thread_under_the_authors_name(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    post = await first_section(bot, fake_discord, clock)
    saved = await write_reflection(
        fake_discord, post, world.member, "Organise where you work.", "now"
    )

    [shared] = reflections_in(fake_discord, thread_of(fake_discord, post))
    assert shared.embeds[0]["author"]["name"] == "Mia"
    assert shared.embeds[0]["description"] == "Organise where you work."
    assert shared.allowed_mentions == {"parse": []}
    assert "It is posted in the section's thread under your name." in saved.text
    assert shared.jump_url in saved.text


async def test_a_reflection_for_after_the_close_is_revealed_by_the_digest_once(
    bot_settings: Settings, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    async with running_bot(bot_settings, fake_discord, clock=clock) as first:
        post = await first_section(first, fake_discord, clock)
        thread = thread_of(fake_discord, post)
        saved = await write_reflection(
            fake_discord, post, world.member, "Kept for the close.", "after_close"
        )
        assert "Only you, until the section closes" in saved.text
        assert reflections_in(fake_discord, thread) == []

        await advance_to(first, clock, SECOND_DUE)
        [digest] = digests_in(fake_discord, thread)
        assert digest.embeds[0]["title"] == "Section 1 of 10 closes: Introduction"
        assert "1 reflection was kept for the close: it follows below." in digest.text
        [revealed] = reflections_in(fake_discord, thread)
        assert revealed.content.startswith("-# Reflections revealed at the close of section 1")
        assert revealed.embeds[0]["author"]["name"] == "Mia"
        assert revealed.embeds[0]["description"] == "Kept for the close."

    async with running_bot(bot_settings, fake_discord, clock=clock) as second:
        again = await fake_discord.command(
            "digest", {"section": "1:1"}, user=world.facilitator, channel=world.general
        )
        await second.scheduler.wait_idle()
        assert "was posted already" in again.text
        assert len(digests_in(fake_discord, thread)) == 1
        assert len(reflections_in(fake_discord, thread)) == 1
        mine = await fake_discord.command("reflections mine", user=world.member)
        assert "revealed" in mine.text


async def test_after_the_close_a_reflection_for_after_the_close_is_shared_at_once(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    post = await first_section(bot, fake_discord, clock)
    closed = await fake_discord.command("digest", user=world.facilitator)
    assert "is closed: its digest is on its way" in closed.text
    await bot.scheduler.wait_idle()
    thread = thread_of(fake_discord, post)
    assert len(digests_in(fake_discord, thread)) == 1

    saved = await write_reflection(
        fake_discord, post, world.member, "Late to the party.", "after_close"
    )
    assert "The section has closed, so it is posted" in saved.text
    [shared] = reflections_in(fake_discord, thread)
    assert shared.embeds[0]["description"] == "Late to the party."

    await advance_to(bot, clock, SECOND_DUE)  # the regular close finds the digest posted
    assert len(digests_in(fake_discord, thread)) == 1


async def test_the_digest_names_the_prompts_answered_most_and_the_vote(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world

    class MoreVotes(commands.Cog):
        """A feature added to the bot: its digest lines are found without any registering."""

        digest_part = DigestPart.VOTES

        async def digest_lines(self, guild_id: int, schedule_id: int, section_id: int) -> list[str]:
            return [f"Topic “What now?” won: 3 of 4 approvals (schedule {schedule_id})"]

    await bot.add_cog(MoreVotes())
    post = await first_section(bot, fake_discord, clock)
    opened = await fake_discord.click(post, reflect_button_id(post), user=world.member)
    prompt = modal_parts(opened.modal or {})[PROMPT_ID]["options"][1]
    for user in (world.member, world.other_member):
        await write_reflection(
            fake_discord, post, user, "Yes.", "private", **{PROMPT_ID: [prompt["value"]]}
        )
    await fake_discord.command("join", user=world.member)
    await fake_discord.command("done", user=world.member)

    await advance_to(bot, clock, SECOND_DUE)
    [digest] = digests_in(fake_discord, thread_of(fake_discord, post))
    fields = {f["name"]: f["value"] for f in digest.embeds[0]["fields"]}
    assert fields["Prompts answered most"].endswith(" · 2")
    assert fields["Prompts answered most"].startswith(prompt["label"].split(" ")[0])
    assert fields["Vote"] == "Topic “What now?” won: 3 of 4 approvals (schedule 1)"
    assert "**1** of 1 members marked it read." in digest.text


async def test_a_failing_digest_contributor_does_not_hold_up_the_digest(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    class BrokenVotes(commands.Cog):
        digest_part = DigestPart.VOTES

        async def digest_lines(self, guild_id: int, schedule_id: int, section_id: int) -> list[str]:
            raise RuntimeError("votes are down")

    await bot.add_cog(BrokenVotes())
    post = await first_section(bot, fake_discord, clock)
    with bot_log(logging.ERROR) as log:
        await advance_to(bot, clock, SECOND_DUE)
    [digest] = digests_in(fake_discord, thread_of(fake_discord, post))
    assert "Vote" not in {f["name"] for f in digest.embeds[0].get("fields", [])}
    assert "The votes lines failed for the digest of section" in log.getvalue()


# -- one's own reflections ------------------------------------------------------------------


async def test_editing_a_shared_reflection_updates_its_message_and_deleting_removes_it(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    post = await first_section(bot, fake_discord, clock)
    await write_reflection(fake_discord, post, world.member, "First thought.", "now")
    thread = thread_of(fake_discord, post)
    [shared] = reflections_in(fake_discord, thread)

    clock.advance(timedelta(minutes=5))
    mine = await fake_discord.command("reflections mine", user=world.member)
    listing = mine.answer
    assert listing is not None
    edit_id = next(c for c in listing.custom_ids if c.startswith("sc:rf:edit:"))
    opened = await fake_discord.click(listing, edit_id, user=world.member)
    assert opened.modal is not None
    assert modal_parts(opened.modal)[TEXT_ID]["value"] == "First thought."
    edited = await fake_discord.submit_modal(
        opened, {TEXT_ID: "Second thought.", VISIBILITY_ID: ["now"]}
    )
    [followup] = await edited.wait_for_followups(1)
    assert followup.ephemeral
    assert "Updated your reflection" in followup.text
    assert shared.embeds[0]["description"] == "Second thought."
    assert "edited" in shared.embeds[0]["footer"]["text"]
    assert listing.embeds[0]["description"] == "Second thought."

    delete_id = next(c for c in listing.custom_ids if c.startswith("sc:rf:delete:"))
    asked = await fake_discord.click(listing, delete_id, user=world.member)
    assert listing.embeds[0]["title"] == "Delete this reflection?"
    confirm = next(c for c in listing.custom_ids if c.startswith("sc:rf:delete-yes:"))
    await fake_discord.click(listing, confirm, user=world.member)
    assert asked.acknowledged
    await fake_discord.wait_until(
        lambda: "Deleted your reflection" in listing.content, what="the deletion's answer"
    )
    assert reflections_in(fake_discord, thread) == []
    assert shared in fake_discord.state.deleted_messages


async def test_making_a_shared_reflection_private_takes_it_out_of_the_thread(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    post = await first_section(bot, fake_discord, clock)
    await write_reflection(fake_discord, post, world.member, "On second thought…", "now")
    mine = await fake_discord.command("reflections mine", user=world.member)
    assert mine.answer is not None
    edit_id = next(c for c in mine.answer.custom_ids if c.startswith("sc:rf:edit:"))
    opened = await fake_discord.click(mine.answer, edit_id, user=world.member)
    await fake_discord.submit_modal(
        opened, {TEXT_ID: "On second thought…", VISIBILITY_ID: ["private"]}
    )

    listing = mine.answer
    await fake_discord.wait_until(lambda: "Only me" in listing.text, what="the page to update")
    assert reflections_in(fake_discord, thread_of(fake_discord, post)) == []


async def test_mine_pages_through_many_reflections(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    post = await first_section(bot, fake_discord, clock)
    for n in range(3):
        await write_reflection(fake_discord, post, world.member, f"Thought number {n}.")
    mine = await fake_discord.command("reflections mine", user=world.member)
    listing = mine.answer
    assert listing is not None
    assert listing.embeds[0]["description"] == "Thought number 2."
    assert listing.embeds[0]["footer"]["text"].endswith("1 of 3")
    next_id = next(c for c in listing.custom_ids if c.endswith(":next"))
    await fake_discord.click(listing, next_id, user=world.member)
    assert listing.embeds[0]["description"] == "Thought number 1."
    assert listing.embeds[0]["footer"]["text"].endswith("2 of 3")


async def test_export_gives_the_member_their_own_reflections_as_markdown(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    post = await first_section(bot, fake_discord, clock)
    await write_reflection(fake_discord, post, world.member, "Mine, privately.", "private")
    await write_reflection(fake_discord, post, world.other_member, "Not Mia's.", "now")

    exported = await fake_discord.command("reflections export", user=world.member)
    assert exported.ephemeral
    assert exported.answer is not None
    [file] = exported.answer.attachments
    assert file.filename == "reflections-reading-room.md"
    text = file.text
    assert text.startswith("# My reflections · Reading Room")
    assert "## Mass Organizations · 1. Introduction" in text
    assert "Mine, privately." in text
    assert "Not Mia's." not in text

    nothing = await fake_discord.command("reflections export", user=world.facilitator)
    assert "no reflections" in nothing.text


# -- safety ---------------------------------------------------------------------------------


async def test_mention_laden_text_is_posted_without_pinging_or_breaking_the_layout(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    post = await first_section(bot, fake_discord, clock)
    loud = (
        f"@everyone @here <@{world.other_member.id}> <@&{world.facilitator_role.id}>\n"
        "# SHOUTING HEADING\n```\nunclosed code"
    )
    await write_reflection(fake_discord, post, world.member, loud, "now")

    [shared] = reflections_in(fake_discord, thread_of(fake_discord, post))
    description = shared.embeds[0]["description"]
    assert shared.allowed_mentions == {"parse": []}
    assert shared.mentions == []
    assert shared.mention_roles == []
    assert not shared.mention_everyone
    assert "@\u200beveryone" in description
    assert f"<@\u200b{world.other_member.id}>" in description
    assert f"<@\u200b&{world.facilitator_role.id}>" in description
    assert "\n\\# SHOUTING HEADING" in description
    assert description.count("```") == 2


async def test_empty_text_and_too_many_reflections_are_refused_with_the_limits(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    post = await first_section(bot, fake_discord, clock)
    empty = await write_reflection(fake_discord, post, world.member, "   \n  ")
    assert empty.ephemeral
    assert "Your reflection is empty" in empty.text

    for n in range(RATE_LIMIT):
        saved = await write_reflection(fake_discord, post, world.member, f"Thought {n}")
        assert "Saved" in saved.text
    refused = await fake_discord.click(post, reflect_button_id(post), user=world.member)
    assert refused.modal is None
    assert refused.ephemeral
    assert f"You can write {RATE_LIMIT} reflections a minute" in refused.text

    clock.advance(timedelta(minutes=1, seconds=1))
    allowed = await fake_discord.click(post, reflect_button_id(post), user=world.member)
    assert allowed.modal is not None


async def test_a_section_of_another_schedule_or_server_is_not_found(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    await first_section(bot, fake_discord, clock)
    missing = await fake_discord.command(
        "reflect", {"section": "99:1"}, user=fake_discord.world.member
    )
    assert missing.modal is None
    assert "no schedule #99" in missing.text
    summary = await fake_discord.command(
        "reflections summary", {"section": "1:7"}, user=fake_discord.world.facilitator
    )
    assert "has not been posted" in summary.text


async def test_a_reflection_written_across_a_restart_is_still_saved(
    bot_settings: Settings, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    async with running_bot(bot_settings, fake_discord, clock=clock) as first:
        post = await first_section(first, fake_discord, clock)
        opened = await fake_discord.click(post, reflect_button_id(post), user=world.member)
    async with running_bot(bot_settings, fake_discord, clock=clock):
        saved = await fake_discord.submit_modal(
            opened, {TEXT_ID: "Written while you restarted.", VISIBILITY_ID: ["now"]}
        )
        assert "Saved" in saved.text
        [shared] = reflections_in(fake_discord, thread_of(fake_discord, post))
        assert shared.embeds[0]["description"] == "Written while you restarted."


async def test_reflections_on_a_forum_schedule_go_in_its_forum_post(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    starter = await first_section(bot, fake_discord, clock, channel=world.forum)
    await write_reflection(fake_discord, starter, world.member, "In the forum.", "now")
    [post] = fake_discord.threads_in(world.forum)
    [shared] = reflections_in(fake_discord, post)
    assert shared.embeds[0]["description"] == "In the forum."
