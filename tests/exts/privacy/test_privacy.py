"""`/settings` and `/forget-me` through the fake Discord: the default visibility the modal
preselects, and forgetting a member in every feature after a confirmation only they can
give."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import discord
import pytest
from discord.ext import commands

from bot.app import StudyCircleBot
from bot.exts.features import MemberDataNotes, MemberDataOnDiscord
from bot.exts.privacy.forgetting import each_feature
from bot.exts.reflections.modals import VISIBILITY_ID
from bot.scheduling.clock import FakeClock
from bot.services.features import Kept
from bot.services.root import Services
from tests.exts.reflections.helpers import (
    first_section,
    modal_parts,
    reflect_button_id,
    reflections_in,
    thread_of,
    write_reflection,
)
from tests.fakediscord import FakeDiscord, FakeUser, InteractionResult

# What features added to the bot keep, in the tests below.
OPEN_BALLOTS = Kept("open ballot", "open ballots")
DRAFTS = Kept("draft", "drafts")


async def test_what_two_features_keep_alike_is_counted_together() -> None:
    class Drafts:
        def __init__(self, n: int) -> None:
            self.n = n

        async def held_about_member(self, guild_id: int, user_id: int) -> dict[Kept, int]:
            return {DRAFTS: self.n}

        async def forget_member(self, guild_id: int, user_id: int) -> dict[Kept, int]:
            return {}

    class Root:
        def implementers(self, protocol: type) -> list[Drafts]:
            return [Drafts(1), Drafts(2)]

    totals, complete = await each_feature(
        cast(Services, Root()), "count", 1, lambda f: f.held_about_member(1, 2)
    )
    assert (totals, complete) == ({DRAFTS: 3}, True)


async def test_settings_choose_the_visibility_preselected_in_the_modal(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    post = await first_section(bot, fake_discord, clock)
    shown = await fake_discord.command("settings", user=world.member)
    assert "only me" in shown.text
    changed = await fake_discord.command("settings", {"visibility": "now"}, user=world.member)
    assert "the circle, now" in changed.text

    opened = await fake_discord.click(post, reflect_button_id(post), user=world.member)
    options = modal_parts(opened.modal or {})[VISIBILITY_ID]["options"]
    assert [o["value"] for o in options if o.get("default")] == ["now"]


async def test_forget_me_deletes_everything_after_a_confirmation_and_says_what(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    forgotten: list[tuple[int, int]] = []

    class MoreBallots(commands.Cog):
        """A feature added to the bot: /forget-me finds it without any registering."""

        async def held_about_member(self, guild_id: int, user_id: int) -> dict[Kept, int]:
            return {OPEN_BALLOTS: 2}

        async def forget_member(self, guild_id: int, user_id: int) -> dict[Kept, int]:
            forgotten.append((guild_id, user_id))
            return {OPEN_BALLOTS: 2}

    await bot.add_cog(MoreBallots())
    post = await first_section(bot, fake_discord, clock)
    await fake_discord.command("join", user=world.member)
    await fake_discord.command("done", user=world.member)
    await write_reflection(fake_discord, post, world.member, "Shared, then forgotten.", "now")
    await write_reflection(fake_discord, post, world.member, "Private, then forgotten.", "private")
    await write_reflection(fake_discord, post, world.other_member, "Max stays.", "now")
    await fake_discord.command("settings", {"visibility": "now"}, user=world.member)
    assert any(r.name.startswith("Circle") for r in fake_discord.member_roles(world.member))

    asked = await fake_discord.command("forget-me", user=world.member)
    assert asked.ephemeral
    assert "2 reflections" in asked.text
    assert "- 2 open ballots" in asked.text
    assert "What you set up (topics, votes, schedules, meetings) stays" in asked.text
    question = asked.answer
    assert question is not None
    with pytest.raises(ValueError, match="no component"):
        fake_discord.payloads.button(question, "sc:forget:yes:1", user=world.member)
    yes = next(c for c in question.custom_ids if c.startswith("sc:forget:yes:"))
    await fake_discord.click(question, yes, user=world.member)
    # The answer edits the question once the deleting is done, after the acknowledgement.
    await fake_discord.wait_until(
        lambda: question.content.startswith("Done."), what="the forget-me answer"
    )
    assert question.content == (
        "Done. I deleted 2 reflections, your settings, 1 section marked read, "
        "1 circle membership and 2 open ballots. Closed votes keep their totals."
    )
    assert forgotten == [(world.guild.id, world.member.id)]
    assert not any(r.name.startswith("Circle") for r in fake_discord.member_roles(world.member))
    thread = thread_of(fake_discord, post)
    assert [m.embeds[0]["description"] for m in reflections_in(fake_discord, thread)] == [
        "Max stays."
    ]
    mine = await fake_discord.command("reflections mine", user=world.member)
    assert "no reflections" in mine.text
    progress = await fake_discord.command("progress", user=world.member)
    assert "read 0 of the 1" in progress.text


async def test_forget_mes_confirmation_lists_what_each_feature_says_it_keeps(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    post = await first_section(bot, fake_discord, clock)
    await fake_discord.command("join", user=world.member)
    await fake_discord.command("done", user=world.member)
    await write_reflection(fake_discord, post, world.member, "Only mine.", "private")
    await fake_discord.command("settings", {"visibility": "now"}, user=world.member)
    await fake_discord.command("remind", {"post": True}, user=world.member)
    await fake_discord.command("topic propose", {"text": "Who decides?"}, user=world.member)
    await fake_discord.command(
        "vote open",
        {"question": "Which next?", "options": "Tactics; History", "closes": "1d"},
        user=world.facilitator,
    )
    vote = fake_discord.messages_in(world.general)[-1]
    await fake_discord.choose(vote, "sc:vote:1:approve", ["1"], user=world.member)

    asked = await fake_discord.command("forget-me", user=world.member)

    [embed] = asked.embeds
    assert embed["title"] == "Forget me in this server?"
    listed = [line for line in embed["description"].splitlines() if line.startswith("- ")]
    # Each feature's own count, in the features' order; what it counts 0 is left out (the
    # schedule is the facilitator's, no ballot is in a closed vote).
    assert listed == [
        "- 1 reflection (private or shared; shared ones are removed from their threads)",
        "- your settings",
        "- 1 section marked read",
        "- 1 circle membership",
        "- your reminder settings",
        "- 1 ballot in open votes",
        "- 1 topic made anonymous",
    ]
    assert asked.answer is not None
    assert any(c.startswith("sc:forget:yes:") for c in asked.answer.custom_ids)


async def test_forget_me_says_when_nothing_is_kept_and_asks_nothing(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    asked = await fake_discord.command("forget-me", user=world.member)
    assert asked.ephemeral
    assert asked.embeds[0]["description"].startswith("Nothing is kept about you here")
    assert asked.answer is not None
    assert asked.answer.custom_ids == []


async def test_forget_me_still_asks_when_a_feature_cannot_count_its_part(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    class Unsure(commands.Cog):
        """A feature whose count fails: its data is not taken to be nothing."""

        async def held_about_member(self, guild_id: int, user_id: int) -> dict[Kept, int]:
            raise RuntimeError("the count failed")

        async def forget_member(self, guild_id: int, user_id: int) -> dict[Kept, int]:
            return {}

    await bot.add_cog(Unsure())
    asked = await fake_discord.command("forget-me", user=fake_discord.world.member)
    assert "could not count just now" in asked.embeds[0]["description"]
    assert asked.answer is not None
    assert any(c.startswith("sc:forget:yes:") for c in asked.answer.custom_ids)


async def test_forget_me_can_be_cancelled(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    post = await first_section(bot, fake_discord, clock)
    await write_reflection(fake_discord, post, world.member, "Keep me.")
    asked = await fake_discord.command("forget-me", user=world.member)
    assert asked.answer is not None
    no = next(c for c in asked.answer.custom_ids if c.startswith("sc:forget:no:"))
    await fake_discord.click(asked.answer, no, user=world.member)
    assert asked.answer.content == "Nothing was deleted."
    mine = await fake_discord.command("reflections mine", user=world.member)
    assert "Keep me." in mine.text


async def _confirm(fake_discord: FakeDiscord, asked: InteractionResult, user: FakeUser) -> str:
    """Click "Forget me" on /forget-me's question; the report it becomes."""
    question = asked.answer
    assert question is not None
    yes = next(c for c in question.custom_ids if c.startswith("sc:forget:yes:"))
    await fake_discord.click(question, yes, user=user)
    await fake_discord.wait_until(
        lambda: question.content.startswith("Done."), what="the forget-me answer"
    )
    return question.content


async def test_forget_me_finds_each_features_discord_part_without_knowing_the_feature(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    seen: list[tuple[int, ...]] = []

    class Drafts(commands.Cog):
        """A feature added to the bot, with a note on its data and a part on Discord."""

        member_data_notes: Mapping[Kept, str] = {DRAFTS: "never shown to anyone"}

        async def held_about_member(self, guild_id: int, user_id: int) -> dict[Kept, int]:
            return {DRAFTS: 3}

        async def forget_member(self, guild_id: int, user_id: int) -> dict[Kept, int]:
            return {DRAFTS: 3}

        async def forget_on_discord(self, member: discord.Member) -> list[str]:
            # Before any feature forgets: the memberships are still there to read.
            seen.append(await bot.services.members.circle_roles(member.guild.id, member.id))
            return ["I couldn't unpin your drafts."]

    await bot.add_cog(Drafts())
    await first_section(bot, fake_discord, clock)
    await fake_discord.command("join", user=world.member)
    [role_id] = await bot.services.members.circle_roles(world.guild.id, world.member.id)

    asked = await fake_discord.command("forget-me", user=world.member)
    assert "- 3 drafts (never shown to anyone)" in asked.text
    report = await _confirm(fake_discord, asked, world.member)

    assert seen == [(role_id,)]
    assert report == (
        "Done. I deleted 1 circle membership and 3 drafts. Closed votes keep their totals.\n"
        "I couldn't unpin your drafts."
    )
    assert not any(r.name.startswith("Circle") for r in fake_discord.member_roles(world.member))


async def test_forget_me_without_the_members_and_reflections_cogs_leaves_their_discord_parts(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    post = await first_section(bot, fake_discord, clock)
    await fake_discord.command("join", user=world.member)
    await write_reflection(fake_discord, post, world.member, "Mine.", "private")
    # The privacy feature knows neither: what each one adds comes from its cog alone.
    on_discord = bot.services.implementers(MemberDataOnDiscord)
    assert [type(part).__name__ for part in on_discord] == ["MembersCog"]
    noting = bot.services.implementers(MemberDataNotes)
    assert [type(part).__name__ for part in noting] == ["ReflectionsCog"]
    await bot.remove_cog("Members")
    await bot.remove_cog("Reflections")

    asked = await fake_discord.command("forget-me", user=world.member)
    listed = [line for line in asked.text.splitlines() if line.startswith("- ")]
    assert listed == ["- 1 reflection", "- 1 circle membership"]
    report = await _confirm(fake_discord, asked, world.member)

    # The services still forget the data; the circle role, which only the members cog takes
    # back, stays.
    assert report == (
        "Done. I deleted 1 reflection and 1 circle membership. Closed votes keep their totals."
    )
    assert any(r.name.startswith("Circle") for r in fake_discord.member_roles(world.member))


async def test_forget_me_says_which_circle_roles_it_could_not_take_back(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await first_section(bot, fake_discord, clock)
    await fake_discord.command("join", user=world.member)
    [role_id] = await bot.services.members.circle_roles(world.guild.id, world.member.id)
    fake_discord.fail_next(
        "DELETE", "/guilds/{g}/members/{u}/roles/{r}", 403, code=50013, message="Missing Access"
    )

    asked = await fake_discord.command("forget-me", user=world.member)
    report = await _confirm(fake_discord, asked, world.member)

    assert report == (
        "Done. I deleted 1 circle membership. Closed votes keep their totals.\n"
        f"I couldn't remove <@&{role_id}> from you: my role must be above it."
    )
    assert await bot.services.members.circle_roles(world.guild.id, world.member.id) == ()
