"""Member text echoed back: topics, questions, options, motions, reasons and reflections made
to break a layout, hide a link, show a role pill or reorder the bot's words are shown as
typed wherever they appear, and text with nothing visible in it is refused."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot.app import StudyCircleBot
from bot.scheduling.clock import FakeClock
from tests.clocked import FIRST_DUE, advance_to, instant_tallies
from tests.exts.reflections.helpers import write_reflection
from tests.exts.votes.helpers import start_circle
from tests.fakediscord import FakeDiscord, FakeMessage

RLO = "\u202e"
EVIL = "http://evil.example"


@pytest.fixture
def bot(bot: StudyCircleBot) -> StudyCircleBot:
    """The folder's bot on the fake clock, with vote messages refreshed at every ballot."""
    instant_tallies(bot)
    return bot


def _texts(message: FakeMessage) -> list[str]:
    """Everything of a message Discord renders as markdown."""
    parts = [message.content or ""]
    for embed in message.embeds:
        parts += [embed.get("title", ""), embed.get("description", "")]
        for field in embed.get("fields", []):
            parts += [field["name"], field["value"]]
    return parts


def _assert_defused(text: str, role_id: int) -> None:
    """Nothing in `text` can open a code block, hide a link, show a role or flip direction."""
    unescaped = re.sub(r"\\.", "", text)
    assert unescaped.count("```") % 2 == 0, text
    assert not re.search(r"(?<!\\)\[[^\]\n]*\]\(" + re.escape(EVIL), text), text
    assert f"<@&{role_id}>" not in text, text
    assert RLO not in text, text


async def test_hostile_topics_questions_and_options_are_shown_as_typed_everywhere(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    role = world.facilitator_role.id
    await start_circle(fake_discord)
    await advance_to(bot, clock, FIRST_DUE)
    [thread] = fake_discord.threads_in(world.reading)
    hostile = [
        "Tactics ```py",
        f"[the summary]({EVIL})",
        f"<@&{role}> and the agenda",
        f"{RLO}redro live",
    ]
    for number, topic in enumerate(hostile):
        author = world.member if number % 2 else world.other_member
        proposed = await fake_discord.command(
            "topic propose", {"text": topic}, user=author, channel=thread
        )
        assert "is proposed" in proposed.text, proposed.text
        _assert_defused(proposed.text, role)
    listed = await fake_discord.command("topic list", user=world.member, channel=thread)
    description = listed.embeds[0]["description"]
    _assert_defused(description, role)
    assert "**#1** Tactics \\`\\`\\`py" in description
    assert f"\\[the summary\\]({EVIL})" in description

    opened = await fake_discord.command(
        "vote open",
        {"question": f"Which ``` [one]({EVIL}) <@&{role}>?", "closes": "2d"},
        user=world.facilitator,
        channel=thread,
    )
    assert "is open" in opened.text, opened.text
    vote = fake_discord.messages_in(thread)[-1]
    for text in _texts(vote):
        _assert_defused(text, role)
    menu = vote.component("sc:vote:1:approve")
    assert menu is not None
    assert [o["label"] for o in menu["options"]][3] == "4. redro live"

    ballot = await fake_discord.choose(vote, "sc:vote:1:approve", ["0"], user=world.member)
    _assert_defused(ballot.text, role)
    await advance_to(bot, clock, FIRST_DUE + timedelta(days=2))
    result = fake_discord.messages_in(thread)[-1]
    assert "wins" in result.embeds[0]["description"]
    for message in (result, vote):  # the result, and the vote message edited at the close
        for text in _texts(message):
            _assert_defused(text, role)
    assert vote.embeds[0]["description"].startswith("This vote is closed.")

    await advance_to(bot, clock, FIRST_DUE + timedelta(days=7))
    second = fake_discord.messages_in(world.reading)[-1].embeds[0]
    focus = next(f for f in second["fields"] if f["name"] == "Focus for this session")
    assert focus["value"] == "Tactics \\`\\`\\`py"
    [digest] = [
        m
        for m in fake_discord.messages_in(thread)
        if m.embeds and "closes" in m.embeds[0].get("title", "")
    ]
    for text in _texts(digest):
        _assert_defused(text, role)
    votes = next(f for f in digest.embeds[0]["fields"] if f["name"] == "Vote")
    assert "won" in votes["value"]


async def test_a_hostile_motion_and_block_reason_keep_the_result_readable(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    role = world.facilitator_role.id
    await start_circle(fake_discord)
    await fake_discord.command("join", user=world.other_member)
    proposed = await fake_discord.command(
        "motion propose",
        {"text": f"# We agree\n```\nto meet [weekly]({EVIL}) <@&{role}> {RLO}yadsruht"},
        user=world.facilitator,
    )
    assert "Motion #1 is open" in proposed.text
    motion = fake_discord.messages_in(world.general)[-1]
    for text in _texts(motion):
        _assert_defused(text, role)
    opened = await fake_discord.click(motion, "sc:vote:1:stance:block", user=world.other_member)
    assert opened.modal is not None
    blocked = await fake_discord.submit_modal(
        opened, {"reason": f"``` it [hides]({EVIL}) <@&{role}>"}, user=world.other_member
    )
    _assert_defused(blocked.text, role)
    await fake_discord.command("vote close", {"vote": "1"}, user=world.facilitator)
    result = fake_discord.messages_in(world.general)[-1]
    decided = next(f for f in result.embeds[0]["fields"] if f["name"] == "How it was decided")
    # The blocker is named (open ballots), and the reason is shown as typed.
    assert f"Reason for a block: <@{world.other_member.id}>: \\`\\`\\` it" in decided["value"]
    for text in _texts(result):
        _assert_defused(text, role)


INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff \u202e\u202c\u3164"


async def test_text_with_nothing_visible_is_refused_everywhere_members_write(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await start_circle(fake_discord)
    await advance_to(bot, clock, FIRST_DUE)
    [post] = fake_discord.messages_in(world.reading)
    [thread] = fake_discord.threads_in(world.reading)

    reflection = await write_reflection(fake_discord, post, world.member, INVISIBLE, "now")
    assert reflection.ephemeral
    assert "Your reflection is empty" in reflection.text
    assert [
        m
        for m in fake_discord.messages_in(thread)
        if m.embeds and "Reflection #" in m.embeds[0].get("footer", {}).get("text", "")
    ] == []

    topic = await fake_discord.command(
        "topic propose", {"text": INVISIBLE}, user=world.member, channel=thread
    )
    assert "Write the topic" in topic.text

    options = await fake_discord.command(
        "vote open",
        {"question": "Which?", "options": "\u200b; \u200b\u200b; \u202e"},
        user=world.facilitator,
    )
    assert "has no visible characters" in options.text or "at least two options" in options.text
    question = await fake_discord.command(
        "vote open", {"question": INVISIBLE, "options": "a; b"}, user=world.facilitator
    )
    assert "Write the question" in question.text
    assert fake_discord.messages_in(world.general) == []

    await fake_discord.command("motion propose", {"text": "We meet weekly."}, user=world.member)
    motion = fake_discord.messages_in(world.general)[-1]
    opened = await fake_discord.click(motion, "sc:vote:1:stance:block", user=world.member)
    assert opened.modal is not None
    refused = await fake_discord.submit_modal(opened, {"reason": INVISIBLE}, user=world.member)
    assert "A block needs a reason" in refused.text


def test_options_of_only_invisible_characters_are_refused_one_by_one() -> None:
    from bot.errors import UserError
    from bot.services.votes.opening import parse_options

    with pytest.raises(UserError, match="Option 1 has no visible characters"):
        parse_options("\u200b; Tactics; \u202e")
