"""`python -m bot run` killed with SIGKILL 10–20 ms after reflections shared "now" are
submitted, a few times over: no public copy of a member's words is lost track of.

Seven members write reflections for "The circle, now" on a posted section; each round sends a
submission from each, waits a random 10–20 ms and kills the process, which may die before the
reflection is saved, after it is saved and before it is sent, or after Discord made the
message and before its id was stored. After the last restart, five members delete each of
their reflections and one runs /forget-me, before the jobs that settle interrupted posts have
run; one member keeps hers, and those jobs run a minute later. No message in the thread holds
the words of the first six, and each reflection kept is shown by exactly one message, the
one the database names.

Set FAILURE_SEED to replay the kill points of a failed run.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.db import Database, create_database
from bot.db.models import Digest, Job, Reflection, SectionPost
from bot.exts.reflections.modals import TEXT_ID, VISIBILITY_ID
from bot.services.posting import SECTION_CLOSED_JOB
from bot.services.reflections import SETTLE_JOB
from tests.e2e.conftest import bot_env
from tests.failure.sigkill import real_clock_services, run_out_leases, schedule_due_at
from tests.fakediscord import FakeChannel, FakeDiscord, FakeMessage, FakeUser, InteractionResult

pytestmark = pytest.mark.e2e

ROUNDS = 5  # a member may write 5 reflections a minute
KILL_AFTER_MS = (10, 20)


async def _posted(db: Database) -> SectionPost | None:
    async with db.session() as session:
        return await session.scalar(select(SectionPost).where(SectionPost.status == "posted"))


async def _until(condition: Any, what: str, timeout: float = 30) -> None:  # noqa: ASYNC109
    deadline = asyncio.get_running_loop().time() + timeout
    while not await condition():
        if asyncio.get_running_loop().time() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


async def _settled(db: Database) -> bool:
    """No reflection's message is still to be sent or found."""
    async with db.session() as session:
        waiting = await session.scalar(
            select(Job.id).where(Job.kind == SETTLE_JOB, Job.status.in_(["pending", "running"]))
        )
        return waiting is None


async def _settle_now(db: Database) -> None:
    """What a minute's downtime does to the jobs that settle reflections' messages."""
    async with db.session() as session:
        await session.execute(
            update(Job)
            .where(Job.kind == SETTLE_JOB, Job.status == "pending")
            .values(due_at=datetime.now(UTC) - timedelta(seconds=1))
        )


def _holding(fake: FakeDiscord, thread: FakeChannel, words: str) -> list[FakeMessage]:
    return [
        m
        for m in fake.messages_in(thread)
        if words in m.content or any(words in str(e) for e in m.embeds)
    ]


async def _delete_all(fake: FakeDiscord, user: FakeUser) -> None:
    """The member deletes their reflections one by one from /reflections mine."""
    for _ in range(ROUNDS + 1):
        mine = await fake.command("reflections mine", user=user, timeout=15)
        listing = mine.answer
        assert listing is not None, mine.text
        asks = [c for c in listing.custom_ids if c.startswith("sc:rf:delete:")]
        if not asks:
            assert "no reflections" in mine.text
            return
        await fake.click(listing, asks[0], user=user, timeout=15)
        await fake.wait_until(
            lambda: any(c.startswith("sc:rf:delete-yes:") for c in listing.custom_ids),  # noqa: B023
            timeout=15,
            what="the question to confirm the deletion",
        )
        confirm = next(c for c in listing.custom_ids if c.startswith("sc:rf:delete-yes:"))
        await fake.click(listing, confirm, user=user, timeout=15)
        await fake.wait_until(
            lambda: "Deleted your reflection" in listing.content,  # noqa: B023
            timeout=15,
            what="the deletion to be confirmed",
        )
    pytest.fail(f"{user.username} still has reflections")


async def _forget(fake: FakeDiscord, user: FakeUser) -> None:
    asked = await fake.command("forget-me", user=user, timeout=15)
    question = asked.answer
    assert question is not None, asked.text
    yes = next((c for c in question.custom_ids if c.startswith("sc:forget:yes:")), None)
    if yes is None:
        # None of the member's reflections was saved before a kill: nothing to confirm.
        assert "Nothing is kept about you here" in asked.text, asked.text
        return
    await fake.click(question, yes, user=user, timeout=15)
    await fake.wait_until(
        lambda: question.content.startswith("Done."), timeout=15, what="the forget-me answer"
    )


async def test_sigkill_after_sharing_now_leaves_no_copy_a_member_cannot_remove(
    forked_bot: Any, fake_discord: FakeDiscord, database_url: str
) -> None:
    seed = int(os.environ.get("FAILURE_SEED") or random.randrange(2**32))
    rng = random.Random(seed)
    why = f"(FAILURE_SEED={seed})"
    world = fake_discord.world
    writers = [world.member, world.other_member]
    for name in ("ana", "ben", "cleo", "dev", "eli"):
        user = fake_discord.state.add_user(name)
        fake_discord.state.add_member(world.guild, user)
        writers.append(user)
    deleters, forgetter, keeper = writers[:5], writers[5], writers[6]
    db = create_database(database_url)
    try:
        due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)
        await schedule_due_at(real_clock_services(db), fake_discord.world, world.reading, due, 1)
        env = bot_env(fake_discord, database_url)
        process = await forked_bot("run", env=env)
        await _until(lambda: _posted(db), "the section to be posted")
        [announcement] = fake_discord.messages_in(world.reading)
        thread = fake_discord.state.channels[announcement.id]
        reflect = next(c for c in announcement.custom_ids if c.startswith("sc:reflect:"))
        opened: dict[int, InteractionResult] = {}
        for writer in writers:
            opened[writer.id] = await fake_discord.click(announcement, reflect, user=writer)
            assert opened[writer.id].modal is not None, opened[writer.id].text

        words: dict[int, list[str]] = {writer.id: [] for writer in writers}
        for round_ in range(ROUNDS):
            if round_:
                process = await forked_bot("run", env=env)
                await fake_discord.wait_for_identify(count=round_ + 1, timeout=30)
                await fake_discord.wait_until_connected(timeout=30)
            for writer in rng.sample(writers, len(writers)):
                text = f"Words of {writer.username}, round {round_}, {rng.randrange(10**6)}."
                words[writer.id].append(text)
                modal = opened[writer.id]
                assert modal.modal is not None
                payload = fake_discord.payloads.modal_submit(
                    modal.modal,
                    {TEXT_ID: text, VISIBILITY_ID: ["now"]},
                    user=writer,
                    channel=modal.channel,
                    message=modal.source_message,
                )
                await fake_discord.send_interaction(payload)
            await asyncio.sleep(rng.uniform(*KILL_AFTER_MS) / 1000)
            process.process.send_signal(signal.SIGKILL)
            await process.wait()
            await run_out_leases(db)

        # The members act at once, before the jobs that settle the messages have run.
        last = await forked_bot("run", env=env)
        try:
            await fake_discord.wait_for_identify(count=ROUNDS + 1, timeout=30)
            await fake_discord.wait_until_connected(timeout=30)
            for writer in deleters:
                await _delete_all(fake_discord, writer)
            await _forget(fake_discord, forgetter)
        finally:
            code, _ = await last.stop(signal.SIGTERM)
        assert code == 0, last.stderr
        # A minute later the jobs settle what is left: the keeper's reflections.
        await _settle_now(db)
        last = await forked_bot("run", env=env)
        try:
            await fake_discord.wait_for_identify(count=ROUNDS + 2, timeout=30)
            await _until(lambda: _settled(db), f"the reflections' messages to settle {why}")
        finally:
            code, _ = await last.stop(signal.SIGTERM)
        assert code == 0, last.stderr

        for writer in [*deleters, forgetter]:
            for text in words[writer.id]:
                assert _holding(fake_discord, thread, text) == [], f"{text!r} remains {why}"
        async with db.session() as session:
            kept = list(
                await session.scalars(select(Reflection).where(Reflection.user_id == keeper.id))
            )
        for row in kept:
            [message] = _holding(fake_discord, thread, row.text)
            assert (row.channel_id, row.message_id) == (thread.id, message.id), why
        for text in set(words[keeper.id]) - {row.text for row in kept}:
            assert _holding(fake_discord, thread, text) == [], f"{text!r} was never saved {why}"
    finally:
        await db.dispose()


async def _digest_recorded(db: Database) -> bool:
    async with db.session() as session:
        return (
            await session.scalar(select(Digest.id).where(Digest.status == "posted"))
        ) is not None


async def test_sigkill_between_a_digests_parts_leaves_no_words_a_member_deleted(
    forked_bot: Any, fake_discord: FakeDiscord, database_url: str
) -> None:
    """The digest reveals reflections kept for the close in two messages. The bot is killed
    after the first is posted and before the second is: nothing is recorded. Before the
    digest runs again, two members delete their reflections and one runs /forget-me; the
    rerun shows only what is left, in the parts already posted, and nothing else holds their
    words."""
    world = fake_discord.world
    writers = [world.member, world.other_member]
    for name in ("ana", "ben", "cleo", "dev", "eli", "fay", "gus", "hal", "ivy", "jo"):
        user = fake_discord.state.add_user(name)
        fake_discord.state.add_member(world.guild, user)
        writers.append(user)
    db = create_database(database_url)
    try:
        due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)
        await schedule_due_at(real_clock_services(db), fake_discord.world, world.reading, due, 1)
        env = bot_env(fake_discord, database_url)
        first = await forked_bot("run", env=env)
        await _until(lambda: _posted(db), "the section to be posted")
        [announcement] = fake_discord.messages_in(world.reading)
        thread = fake_discord.state.channels[announcement.id]
        reflect = next(c for c in announcement.custom_ids if c.startswith("sc:reflect:"))
        words: dict[int, str] = {}
        for writer in writers:  # 12 reflections: more than one message holds (10 embeds)
            opened = await fake_discord.click(announcement, reflect, user=writer)
            words[writer.id] = f"Kept for the close by {writer.username}."
            saved = await fake_discord.submit_modal(
                opened, {TEXT_ID: words[writer.id], VISIBILITY_ID: ["after_close"]}, user=writer
            )
            assert "until the section closes" in saved.text, saved.text

        messages = f"/channels/{thread.id}/messages"
        fake_discord.hold_next("POST", messages, 0)  # the summary
        fake_discord.hold_next("POST", messages, 0)  # part 1 of 2
        fake_discord.hold_next("POST", messages, 3)  # part 2 of 2: killed before it is made
        await fake_discord.command("digest", user=world.facilitator, channel=world.general)
        await fake_discord.wait_for_request(
            "POST",
            messages,
            predicate=lambda r: str((r.json or {}).get("content", "")).endswith("(1 of 2)"),
            timeout=30,
        )
        first.process.send_signal(signal.SIGKILL)
        await first.wait()
        assert not await _digest_recorded(db), "killed too late: the digest was recorded"
        await run_out_leases(db)

        # Back up: the members act before the digest's job runs again.
        async with db.session() as session:
            await session.execute(
                update(Job)
                .where(Job.kind == SECTION_CLOSED_JOB)
                .values(due_at=datetime.now(UTC) + timedelta(hours=1))
            )
        second = await forked_bot("run", env=env)
        try:
            await fake_discord.wait_for_identify(count=2, timeout=30)
            await fake_discord.wait_until_connected(timeout=30)
            for writer in writers[:2]:
                await _delete_all(fake_discord, writer)
            await _forget(fake_discord, writers[2])
        finally:
            code, _ = await second.stop(signal.SIGTERM)
        assert code == 0, second.stderr

        async with db.session() as session:
            await session.execute(
                update(Job)
                .where(Job.kind == SECTION_CLOSED_JOB)
                .values(due_at=datetime.now(UTC) - timedelta(seconds=1))
            )
        last = await forked_bot("run", env=env)
        try:
            await _until(lambda: _digest_recorded(db), "the digest to be finished", timeout=60)
        finally:
            code, _ = await last.stop(signal.SIGTERM)
        assert code == 0, last.stderr

        for writer in writers[:3]:
            assert _holding(fake_discord, thread, words[writer.id]) == []
        async with db.session() as session:
            kept = list(
                await session.scalars(select(Reflection).where(Reflection.section_id.is_not(None)))
            )
        assert len(kept) == len(writers) - 3
        for row in kept:
            [message] = _holding(fake_discord, thread, row.text)
            assert (row.channel_id, row.message_id) == (thread.id, message.id)
        parts = [
            m for m in fake_discord.messages_in(thread) if "revealed at the close" in m.content
        ]
        assert len(parts) == 1, [m.content for m in parts]  # 9 reflections: one message
    finally:
        await db.dispose()
