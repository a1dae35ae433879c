"""`/circle about`, answered by the real bot through the fake Discord."""

from __future__ import annotations

from bot import __version__
from bot.app import StudyCircleBot
from tests.fakediscord import CallbackType, FakeDiscord, MessageFlags


async def test_about_answers_privately_with_the_version(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    result = await fake_discord.command("circle about", user=fake_discord.world.member)

    assert result.callback_type == CallbackType.CHANNEL_MESSAGE
    assert result.flags == MessageFlags.EPHEMERAL
    assert result.ephemeral
    [embed] = result.embeds
    assert embed["title"] == "Study Circle"
    assert {"name": "Version", "value": __version__, "inline": True} in embed["fields"]
    assert "reading" in embed["description"]


async def test_about_pings_nobody(bot: StudyCircleBot, fake_discord: FakeDiscord) -> None:
    result = await fake_discord.command("circle about", user=fake_discord.world.facilitator)

    assert result.message is not None
    assert result.message.allowed_mentions == {"parse": []}
    assert result.message.mentions == []
    assert result.message.mention_roles == []
