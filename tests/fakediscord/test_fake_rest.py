"""The fake's REST routes answer discord.py as Discord does, and keep the world consistent.

These drive the real discord.py objects (the way features will) against the fake: messages
with nonces and files, threads and forum posts, thread members, roles, DMs, permissions,
Discord's limits, rate limits and server errors.
"""

from __future__ import annotations

import asyncio
import io

import discord
import pytest

from bot.app import StudyCircleBot
from tests.fakediscord import ChannelType, FakeDiscord, Overwrite, Perm


def _text_channel(bot: StudyCircleBot, channel_id: int) -> discord.TextChannel:
    channel = bot.get_channel(channel_id)
    assert isinstance(channel, discord.TextChannel)
    return channel


async def test_messages_are_stored_with_snowflake_ids(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    channel = _text_channel(bot, fake_discord.world.reading.id)
    first = await channel.send("Section 1")
    second = await channel.send(embed=discord.Embed(title="Prompts", description="Why?"))

    stored = fake_discord.messages_in(fake_discord.world.reading)
    assert [m.id for m in stored] == [first.id, second.id]
    assert first.id < second.id
    assert discord.utils.snowflake_time(first.id) <= discord.utils.utcnow()
    assert stored[1].embeds[0]["title"] == "Prompts"
    assert bot.user is not None
    assert stored[0].author.id == bot.user.id
    fetched = await channel.fetch_message(first.id)
    assert fetched.content == "Section 1"
    history = [m.id async for m in channel.history(limit=10)]
    assert history == [second.id, first.id]


async def test_enforce_nonce_returns_the_first_message(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    channel = _text_channel(bot, fake_discord.world.reading.id)
    first = await channel.send("Section 3 is up", nonce="schedule-7-section-3")
    retry = await channel.send("Section 3 is up", nonce="schedule-7-section-3")
    other = await channel.send("Section 4 is up", nonce="schedule-7-section-4")

    assert retry.id == first.id
    assert other.id != first.id
    assert len(fake_discord.messages_in(fake_discord.world.reading)) == 2
    [request, *_] = fake_discord.requests_to("POST", "/channels/{id}/messages")
    assert request.json["enforce_nonce"] is True


async def test_files_are_kept_and_served(bot: StudyCircleBot, fake_discord: FakeDiscord) -> None:
    channel = _text_channel(bot, fake_discord.world.reading.id)
    sent = await channel.send(
        "full text", file=discord.File(io.BytesIO(b"It was a dark night."), "section-1.txt")
    )

    [stored] = fake_discord.messages_in(fake_discord.world.reading)
    assert stored.attachments[0].filename == "section-1.txt"
    assert stored.attachments[0].text == "It was a dark night."
    assert await sent.attachments[0].read() == b"It was a dark night."


async def test_only_allowed_mentions_ping(bot: StudyCircleBot, fake_discord: FakeDiscord) -> None:
    world = fake_discord.world
    circle = await fake_discord.add_role("Circle: Mass Organizations")
    channel = _text_channel(bot, world.reading.id)
    text = f"{circle.mention} section 2 is up, {world.member.mention}"
    quiet = await channel.send(text)
    guild = bot.get_guild(world.guild.id)
    assert guild is not None
    role = guild.get_role(circle.id)
    assert role is not None
    loud = await channel.send(text, allowed_mentions=discord.AllowedMentions(roles=[role]))

    stored_quiet, stored_loud = fake_discord.messages_in(world.reading)
    assert stored_quiet.id == quiet.id
    assert stored_quiet.mention_roles == []
    assert stored_quiet.mentions == []
    assert stored_loud.id == loud.id
    assert stored_loud.mention_roles == [circle.id]
    assert stored_loud.mentions == []
    assert stored_loud.allowed_mentions == {"parse": [], "roles": [circle.id]}


async def test_threads_from_messages_and_their_members(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    channel = _text_channel(bot, world.reading.id)
    post = await channel.send("Section 1: Organizations")
    thread = await post.create_thread(name="Section 1", auto_archive_duration=10080)
    await thread.send("The full text, part 1")
    await thread.add_user(discord.Object(world.member.id))
    await thread.add_user(discord.Object(world.member.id))

    fake_thread = fake_discord.state.channels[thread.id]
    assert thread.id == post.id
    assert fake_thread.type == ChannelType.PUBLIC_THREAD
    assert fake_thread.parent_id == world.reading.id
    assert bot.user is not None
    assert set(fake_thread.thread_members) == {bot.user.id, world.member.id}
    assert [m.content for m in fake_discord.messages_in(fake_thread)] == ["The full text, part 1"]
    # THREAD_CREATE reached the bot's cache.
    await fake_discord.wait_until(
        lambda: bot.get_channel(thread.id) is not None, what="thread in cache"
    )
    with pytest.raises(discord.HTTPException) as again:
        await post.create_thread(name="Section 1 again")
    assert again.value.code == 160004

    await thread.edit(archived=True)
    with pytest.raises(discord.HTTPException) as archived:
        await thread.add_user(discord.Object(world.other_member.id))
    assert archived.value.code == 50083


async def test_archived_forum_posts_are_listed_latest_archived_first_page_by_page(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    forum = bot.get_channel(world.forum.id)
    assert isinstance(forum, discord.ForumChannel)
    posts = [(await forum.create_thread(name=f"Post {n}", content="Text")).thread for n in range(5)]
    for post in [posts[3], posts[0], posts[4], posts[1]]:  # archived in this order
        await post.edit(archived=True)
        await asyncio.sleep(0.002)  # distinct archive timestamps

    listed = [t.name async for t in forum.archived_threads(limit=None)]
    assert listed == ["Post 1", "Post 4", "Post 0", "Post 3"]
    # Two at a time, each page `before` the last one's archive time, as discord.py pages.
    first = await bot.http.get_public_archived_threads(forum.id, limit=2)
    last = first["threads"][-1]["thread_metadata"]["archive_timestamp"]
    second = await bot.http.get_public_archived_threads(forum.id, before=last, limit=2)
    assert [t["name"] for t in first["threads"] + second["threads"]] == listed
    assert (first["has_more"], second["has_more"]) == (True, False)
    active = await forum.guild.active_threads()
    assert [t.name for t in active if t.parent_id == forum.id] == ["Post 2"]


async def test_a_forum_post_is_a_thread_with_tags_and_a_starter_message(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    forum = bot.get_channel(world.forum.id)
    assert isinstance(forum, discord.ForumChannel)
    section_tag = next(tag for tag in forum.available_tags if tag.name == "Section")
    created = await forum.create_thread(
        name="Section 2: Meetings", content="The section text", applied_tags=[section_tag]
    )

    [post] = fake_discord.threads_in(world.forum)
    assert post.id == created.thread.id == created.message.id
    assert post.applied_tags == [section_tag.id]
    [starter] = fake_discord.messages_in(post)
    assert starter.content == "The section text"
    with pytest.raises(discord.HTTPException) as not_text:
        await bot.http.send_message(
            world.forum.id, params=discord.http.handle_message_parameters("hi")
        )
    assert not_text.value.code == 50008


async def test_a_role_made_and_given_is_on_the_member_and_in_the_guild(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    guild = bot.get_guild(world.guild.id)
    assert guild is not None
    role = await guild.create_role(name="Circle: Walden", mentionable=True)
    assert bot.user is not None
    me = guild.get_member(bot.user.id)
    assert me is not None
    await me.guild.fetch_member(world.member.id)
    member = await guild.fetch_member(world.member.id)
    await member.add_roles(role)

    assert [r.name for r in fake_discord.member_roles(world.member)] == ["Circle: Walden"]
    await fake_discord.wait_until(
        lambda: guild.get_role(role.id) is not None, what="GUILD_ROLE_CREATE"
    )
    assert fake_discord.state.guilds[guild.id].roles[role.id].position == 1
    # A role above the bot's own cannot be given.
    with pytest.raises(discord.Forbidden) as above:
        await member.add_roles(discord.Object(world.bot_role.id))
    assert above.value.code == 50013
    await member.remove_roles(role)
    assert fake_discord.member_roles(world.member) == []


async def test_a_direct_message_arrives_unless_the_member_closed_them(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    user = await bot.fetch_user(world.member.id)
    await user.send("Your reflection was saved.")
    assert [m.content for m in fake_discord.dm_messages(world.member)] == [
        "Your reflection was saved."
    ]

    world.other_member.accepts_dms = False
    closed = await bot.fetch_user(world.other_member.id)
    with pytest.raises(discord.Forbidden) as refused:
        await closed.send("hello")
    assert refused.value.code == 50007


async def test_permissions_are_enforced(bot: StudyCircleBot, fake_discord: FakeDiscord) -> None:
    world = fake_discord.world
    locked = await fake_discord.add_channel(
        "announcements", overwrites=[Overwrite(world.bot_role.id, 0, deny=Perm.SEND_MESSAGES)]
    )
    await fake_discord.wait_until(
        lambda: bot.get_channel(locked.id) is not None, what="CHANNEL_CREATE"
    )
    with pytest.raises(discord.Forbidden) as missing:
        await _text_channel(bot, locked.id).send("hi")
    assert missing.value.code == 50013

    hidden = await fake_discord.add_channel(
        "staff", overwrites=[Overwrite(world.guild.id, 0, deny=Perm.VIEW_CHANNEL)]
    )
    with pytest.raises(discord.Forbidden) as no_access:
        await bot.http.send_message(hidden.id, params=discord.http.handle_message_parameters("hi"))
    assert no_access.value.code == 50001


async def test_discord_limits_are_enforced(bot: StudyCircleBot, fake_discord: FakeDiscord) -> None:
    channel = _text_channel(bot, fake_discord.world.general.id)
    with pytest.raises(discord.HTTPException) as too_long:
        await channel.send("x" * 2001)
    assert too_long.value.code == 50035
    assert "content" in str(too_long.value)
    embeds = [discord.Embed(description="y" * 4000) for _ in range(2)]
    with pytest.raises(discord.HTTPException) as too_big:
        await channel.send(embeds=embeds)
    assert "6000" in str(too_big.value)
    assert fake_discord.messages_in(fake_discord.world.general) == []


@pytest.mark.usefixtures("quick_server_error_retries")
async def test_rate_limits_and_server_errors_are_retried(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    channel = _text_channel(bot, fake_discord.world.general.id)
    pattern = f"/channels/{channel.id}/messages"
    # discord.py waits 1 s after a first 500 (longer after later ones), so the 500 comes first.
    fake_discord.fail_next("POST", pattern, 500)
    fake_discord.fail_next("POST", pattern, 429, retry_after=0.05)
    start = fake_discord.mark()
    await channel.send("eventually")

    assert [r.status for r in fake_discord.requests_to("POST", pattern, since=start)] == [
        500,
        429,
        200,
    ]
    assert [m.content for m in fake_discord.messages_in(fake_discord.world.general)] == [
        "eventually"
    ]


async def test_unknown_routes_answer_404_and_are_recorded(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    fake_discord.allow_unknown_routes = True
    with pytest.raises(discord.NotFound):
        await bot.http.request(discord.http.Route("GET", "/voice/regions"))
    [unknown] = fake_discord.unknown_routes()
    assert (unknown.method, unknown.path, unknown.status) == ("GET", "/voice/regions", 404)


async def test_wait_for_request_returns_the_matching_request_or_times_out(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    channel = _text_channel(bot, fake_discord.world.general.id)
    mark = fake_discord.mark()
    waiter = asyncio.create_task(
        fake_discord.wait_for_request(
            "POST",
            "/channels/{channel_id}/messages",
            since=mark,
            predicate=lambda r: r.json["content"] == "b",
        )
    )
    await channel.send("a")
    await channel.send("b")
    request = await waiter
    assert request.json["content"] == "b"
    assert request.params == {"channel_id": str(channel.id)}
    with pytest.raises(AssertionError, match="timed out"):
        await fake_discord.wait_for_request("DELETE", "/channels/{id}", timeout=0.05)
