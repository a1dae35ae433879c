"""Reflections and digests over a real database: privacy kept in the service, every id scoped
to its guild, limits stated, and each section's digest posted once, even after a crash."""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.models import Digest, Reflection
from bot.errors import NotFound, UserError
from bot.services.digests import DigestState
from bot.services.reflections import (
    MAX_TEXT_CHARS,
    RATE_LIMIT,
    REFLECTIONS,
    SETTINGS,
    SHARED,
    WAITING,
    PostedRef,
    Visibility,
    is_shared,
    is_waiting,
)
from tests.clocked import FIRST_DUE
from tests.services.worlds import (
    FACILITATOR,
    GUILD,
    MAX,
    MIA,
    OTHER_GUILD,
    ReflectionWorld,
    ThreadMessages,
    reflection_world,
)
from tests.statements import watching

__all__ = ["reflection_world"]  # the fixture `world`


# -- writing and privacy --------------------------------------------------------------------


async def test_a_private_reflection_is_read_by_its_author_alone(world: ReflectionWorld) -> None:
    target = await world.posted()
    change = await world.write(target, text="Only mine.")
    assert change.reflection is not None
    assert not change.post
    assert [r.text for r in await world.reflections.reading.mine(GUILD, MIA)] == ["Only mine."]
    assert await world.reflections.reading.mine(GUILD, MAX) == []
    with pytest.raises(NotFound):
        await world.reflections.reading.own(GUILD, FACILITATOR, change.reflection.id)


async def test_a_private_reflection_is_hidden_from_facilitators_even_with_a_message_id(
    world: ReflectionWorld,
) -> None:
    target = await world.posted()
    change = await world.write(target, text="Not for you.")
    assert change.reflection is not None
    async with world.db.session() as session:
        row = await session.get_one(Reflection, change.reflection.id)
        row.channel_id, row.message_id = 1, 2
    assert await world.reflections.reading.shared_in(GUILD, 1, 2) == []
    summary = await world.reflections.counts.summary(GUILD, user_id=FACILITATOR)
    assert "Not for you." not in repr(summary)
    [section] = summary.sections
    assert (section.reflections, section.private, section.shared) == (1, 1, 0)


async def test_a_reflection_shared_now_is_to_be_posted_and_then_shown(
    world: ReflectionWorld,
) -> None:
    target = await world.posted()
    change = await world.write(target, text="For everyone.", visibility=Visibility.NOW)
    assert change.post
    assert change.reflection is not None
    assert change.reflection.thread_id == 9001
    await world.reflections.settling.record_post(GUILD, change.reflection.id, 9001, 4242)
    [shown] = await world.reflections.reading.shared_in(GUILD, 9001, 4242)
    assert shown.text == "For everyone."
    assert shown.author_name == "Mia"


async def test_what_is_shared_and_what_waits_for_the_digest_are_alike_in_python_and_sql(
    world: ReflectionWorld,
) -> None:
    """`is_shared` and `SHARED`, `is_waiting` and `WAITING`, are one rule each: each
    visibility, revealed or not."""
    target = await world.posted()
    for user in (MIA, MAX):
        for visibility in Visibility:
            await world.write(target, user=user, visibility=visibility)
    async with world.db.session() as session:
        rows = list(await session.scalars(select(Reflection).order_by(Reflection.id)))
        for row in rows:
            row.revealed_at = world.clock.now() if row.user_id == MAX else None
    async with world.db.read() as session:
        in_sql = set(await session.scalars(select(Reflection.id).where(SHARED)))
        rows = list(await session.scalars(select(Reflection)))
        in_python = {row.id for row in rows if is_shared(row.visibility, row.revealed_at)}
        expected = {
            row.id
            for row in rows
            if row.visibility == Visibility.NOW
            or (row.visibility == Visibility.AFTER_CLOSE and row.user_id == MAX)
        }
        waiting_in_sql = set(await session.scalars(select(Reflection.id).where(WAITING)))
        waiting_in_python = {r.id for r in rows if is_waiting(r.visibility, r.revealed_at)}
        waiting = {
            r.id for r in rows if r.visibility == Visibility.AFTER_CLOSE and r.user_id == MIA
        }
    assert len(rows) == 2 * len(Visibility)
    assert in_sql == in_python == expected
    assert waiting_in_sql == waiting_in_python == waiting


async def test_ids_from_another_guild_are_not_found(world: ReflectionWorld) -> None:
    target = await world.posted()
    change = await world.write(target)
    assert change.reflection is not None
    with pytest.raises(NotFound):
        await world.reflections.writing.write(
            OTHER_GUILD,
            MIA,
            schedule_id=target.schedule_id,
            section_id=target.section_id,
            text="Sneaky.",
            visibility=Visibility.NOW,
        )
    for call in (
        world.reflections.reading.own(OTHER_GUILD, MIA, change.reflection.id),
        world.reflections.writing.delete(OTHER_GUILD, MIA, change.reflection.id),
        world.reflections.writing.edit(
            OTHER_GUILD, MIA, change.reflection.id, text="x", visibility=Visibility.PRIVATE
        ),
        world.reflections.targets.target(OTHER_GUILD, section_id=target.section_id),
    ):
        with pytest.raises(NotFound):
            await call
    assert await world.reflections.reading.mine(OTHER_GUILD, MIA) == []


async def test_only_the_author_can_edit_or_delete(world: ReflectionWorld) -> None:
    target = await world.posted()
    change = await world.write(target)
    assert change.reflection is not None
    with pytest.raises(NotFound, match="no reflection #"):
        await world.reflections.writing.edit(
            GUILD, MAX, change.reflection.id, text="x", visibility=Visibility.NOW
        )
    with pytest.raises(NotFound):
        await world.reflections.writing.delete(GUILD, FACILITATOR, change.reflection.id)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   \n\t ", "Your reflection is empty"),
        ("x" * (MAX_TEXT_CHARS + 1), f"at most {MAX_TEXT_CHARS:,} characters (this one has 4,001)"),
    ],
)
async def test_empty_or_too_long_text_is_refused_with_the_limit(
    world: ReflectionWorld, text: str, message: str
) -> None:
    target = await world.posted()
    with pytest.raises(UserError, match=message.replace("(", r"\(").replace(")", r"\)")):
        await world.write(target, text=text)


async def test_members_may_write_a_few_reflections_a_minute(world: ReflectionWorld) -> None:
    target = await world.posted()
    for _ in range(RATE_LIMIT):
        await world.write(target)
    with pytest.raises(UserError, match=f"{RATE_LIMIT} reflections a minute"):
        await world.write(target)
    await world.write(target, user=MAX)  # others are not held back
    world.clock.advance(timedelta(minutes=1))
    await world.reflections.new_reflection(GUILD, MIA)  # the modal opens again
    await world.write(target)


async def test_opening_the_reflect_modal_reads_once_and_refuses_a_member_over_the_rate(
    world: ReflectionWorld,
) -> None:
    target = await world.posted()
    await world.reflections.set_default_visibility(GUILD, MIA, Visibility.NOW)
    # A modal is the click's first answer: the section, its prompts, the rate and the
    # default visibility come from one transaction.
    with watching(world.db) as seen:
        new = await world.reflections.new_reflection(GUILD, MIA, section_id=target.section_id)
    assert seen.transactions == 1
    assert (new.target, new.visibility) == (target, Visibility.NOW)
    for _ in range(RATE_LIMIT):
        await world.write(target)
    with pytest.raises(UserError, match=f"{RATE_LIMIT} reflections a minute"):
        await world.reflections.new_reflection(GUILD, MIA, section_id=target.section_id)
    assert (await world.reflections.new_reflection(GUILD, MAX)).visibility == Visibility.PRIVATE


async def test_a_prompt_must_be_one_of_the_sections(world: ReflectionWorld) -> None:
    target = await world.posted()
    prompt = target.prompts[0]
    change = await world.reflections.writing.write(
        GUILD,
        MIA,
        schedule_id=target.schedule_id,
        section_id=target.section_id,
        text="On the prompt.",
        visibility=Visibility.PRIVATE,
        prompt_id=prompt.id,
    )
    assert change.reflection is not None
    assert change.reflection.prompt_text == prompt.text
    with pytest.raises(NotFound, match="not one of this section's prompts"):
        await world.reflections.writing.write(
            GUILD,
            MIA,
            schedule_id=target.schedule_id,
            section_id=target.section_id,
            text="On a stranger's prompt.",
            visibility=Visibility.PRIVATE,
            prompt_id=999_999,
        )


async def test_a_section_not_yet_posted_cannot_be_reflected_on(world: ReflectionWorld) -> None:
    await world.posted()
    with pytest.raises(NotFound, match="Section 2 of schedule #1 has not been posted"):
        await world.reflections.targets.target(GUILD, user_id=MIA, position=2)


# -- editing --------------------------------------------------------------------------------


async def test_editing_keeps_posted_messages_in_step_with_who_may_read(
    world: ReflectionWorld,
) -> None:
    target = await world.posted()
    change = await world.write(target, text="Shared.", visibility=Visibility.NOW)
    assert change.reflection is not None
    rid = change.reflection.id
    await world.reflections.settling.record_post(GUILD, rid, 9001, 4242)

    edited = await world.reflections.writing.edit(
        GUILD, MIA, rid, text="Shared, better.", visibility=Visibility.NOW
    )
    assert edited.stale == (PostedRef(9001, 4242),)
    assert not edited.post
    [shown] = await world.reflections.reading.shared_in(GUILD, 9001, 4242)
    assert shown.text == "Shared, better."

    hidden = await world.reflections.writing.edit(
        GUILD, MIA, rid, text="Mine now.", visibility=Visibility.PRIVATE
    )
    assert hidden.stale == (PostedRef(9001, 4242),)
    assert await world.reflections.reading.shared_in(GUILD, 9001, 4242) == []
    assert hidden.reflection is not None
    assert hidden.reflection.message_id is None

    again = await world.reflections.writing.edit(
        GUILD, MIA, rid, text="Yours again.", visibility=Visibility.NOW
    )
    assert again.post
    assert again.stale == ()


async def test_deleting_a_shared_reflection_makes_its_message_stale(world: ReflectionWorld) -> None:
    target = await world.posted()
    change = await world.write(target, visibility=Visibility.NOW)
    assert change.reflection is not None
    await world.reflections.settling.record_post(GUILD, change.reflection.id, 9001, 4242)
    deleted = await world.reflections.writing.delete(GUILD, MIA, change.reflection.id)
    assert deleted.reflection is None
    assert deleted.stale == (PostedRef(9001, 4242),)
    assert await world.reflections.reading.mine(GUILD, MIA) == []


# -- the digest -----------------------------------------------------------------------------


async def test_the_next_post_closes_the_section_with_a_digest_that_reveals_once(
    world: ReflectionWorld,
) -> None:
    target = await world.posted()
    await world.write(target, text="Kept for the close.", visibility=Visibility.AFTER_CLOSE)
    await world.write(target, user=MAX, text="Max's secret.", visibility=Visibility.PRIVATE)
    shared = await world.write(target, user=MAX, text="Said already.", visibility=Visibility.NOW)
    assert shared.reflection is not None
    await world.reflections.settling.record_post(GUILD, shared.reflection.id, 9001, 4242)

    await world.at(FIRST_DUE + timedelta(days=1))
    [plan] = world.digest_poster.plans
    assert plan.position == 1
    assert plan.channel_id == 9001
    assert (plan.reflections, plan.authors, plan.shared_before) == (3, 2, 1)
    assert [r.text for r in plan.revealed] == ["Kept for the close."]
    assert not plan.recovering
    [mine] = [r for r in await world.reflections.reading.mine(GUILD, MIA)]
    assert mine.revealed_at is not None
    assert mine.message_id == 8000 + mine.id

    assert not await world.digests.post(target.schedule_id, target.section_id)
    assert len(world.digest_poster.plans) == 1
    status = await world.digests.request(GUILD, user_id=FACILITATOR, position=1)
    assert status.state == DigestState.POSTED
    assert status.message_id == 7000


async def test_a_digest_interrupted_after_posting_is_finished_without_a_second_one(
    world: ReflectionWorld,
) -> None:
    target = await world.posted()
    await world.write(target, visibility=Visibility.AFTER_CLOSE)
    world.digest_poster.fail_after_publish = 1

    await world.at(FIRST_DUE + timedelta(days=1))
    assert len(world.digest_poster.plans) == 1
    await world.at(FIRST_DUE + timedelta(days=1, minutes=1))  # the retry
    first, second = world.digest_poster.plans
    assert not first.recovering
    assert second.recovering
    assert second.nonce == first.nonce
    assert [r.id for r in second.revealed] == [r.id for r in first.revealed]
    assert len(world.digest_poster.sent) == 1
    async with world.db.session() as session:
        [digest] = await session.scalars(select(Digest))
        assert (digest.status, digest.message_id) == ("posted", 7000)


async def test_digest_on_request_is_queued_once_and_the_regular_close_adds_nothing(
    world: ReflectionWorld,
) -> None:
    target = await world.posted()
    queued = await world.digests.request(GUILD, user_id=FACILITATOR)
    assert queued.state == DigestState.QUEUED
    assert (queued.position, queued.channel_id) == (1, 9001)
    await world.at(world.clock.now())
    assert len(world.digest_poster.plans) == 1
    # Written after the close, a reflection for "after the close" is shared at once.
    late = await world.write(target, visibility=Visibility.AFTER_CLOSE)
    assert late.post
    assert late.reflection is not None
    assert late.reflection.revealed_at is not None

    await world.at(FIRST_DUE + timedelta(days=1))
    assert len(world.digest_poster.plans) == 1
    with pytest.raises(NotFound):
        await world.digests.request(OTHER_GUILD, position=1)


# -- summary, settings, forgetting ----------------------------------------------------------


async def test_the_summary_counts_per_section_and_per_prompt(world: ReflectionWorld) -> None:
    target = await world.posted()
    prompt = target.prompts[0]
    for user in (MIA, MAX):
        await world.reflections.writing.write(
            GUILD,
            user,
            schedule_id=target.schedule_id,
            section_id=target.section_id,
            text="On the first prompt.",
            visibility=Visibility.AFTER_CLOSE,
            prompt_id=prompt.id,
        )
    await world.write(target, visibility=Visibility.NOW)
    summary = await world.reflections.counts.summary(GUILD, user_id=FACILITATOR, position=1)
    [section] = summary.sections
    assert (section.reflections, section.authors, section.waiting, section.shared) == (3, 2, 2, 1)
    assert [(p.position, p.reflections) for p in summary.prompts] == [
        (prompt.position, 2),
        (None, 1),
    ]


async def test_with_several_schedules_a_member_is_told_to_name_the_sections_schedule(
    world: ReflectionWorld,
) -> None:
    first, second = await world.schedule(), await world.schedule()
    with pytest.raises(UserError) as unsure:
        await world.reflections.counts.summary(GUILD, user_id=FACILITATOR, position=1)
    # The summary takes a section, not a schedule: the answer says how to name one.
    assert str(unsure.value) == (
        f"This server has several schedules (#{first}, #{second}): "
        "give the section with its schedule, as `schedule:section` (`2:3`)."
    )


async def test_settings_keep_a_default_visibility_per_member_and_guild(
    world: ReflectionWorld,
) -> None:
    await world.posted()
    assert await world.reflections.default_visibility(GUILD, MIA) == Visibility.PRIVATE
    await world.reflections.set_default_visibility(GUILD, MIA, Visibility.NOW)
    assert await world.reflections.default_visibility(GUILD, MIA) == Visibility.NOW
    assert await world.reflections.default_visibility(GUILD, MAX) == Visibility.PRIVATE
    assert await world.reflections.default_visibility(OTHER_GUILD, MIA) == Visibility.PRIVATE
    with pytest.raises(UserError):
        await world.reflections.set_default_visibility(GUILD, MIA, "everyone")


class UnreadableThread(ThreadMessages):
    """The reflections' Discord side when the section's thread cannot be read."""

    async def settle(
        self,
        guild_id: int,
        *,
        reflection_ids: Collection[int] | None = None,
        user_id: int | None = None,
        finish: bool = False,
    ) -> None:
        raise RuntimeError("the thread cannot be read")


async def test_forget_deletes_the_members_reflections_and_settings_in_this_guild_only(
    world: ReflectionWorld,
) -> None:
    target = await world.posted()
    other = await world.posted(OTHER_GUILD)
    await world.members.join(GUILD, MIA, None)
    await world.members.mark_read(GUILD, MIA)
    shared = await world.write(target, visibility=Visibility.NOW)
    assert shared.reflection is not None
    await world.reflections.settling.record_post(GUILD, shared.reflection.id, 9001, 4242)
    await world.write(target)
    await world.write(target, user=MAX)
    await world.write(other)
    await world.reflections.set_default_visibility(GUILD, MIA, Visibility.NOW)
    # Her progress and membership are the members feature's to count and forget.
    held = await world.reflections.held_about_member(GUILD, MIA)
    assert held == {REFLECTIONS: 2, SETTINGS: 1}

    assert await world.reflections.forget_member(GUILD, MIA) == held
    # Her messages were settled before, and the one showing her shared reflection after.
    assert world.thread_messages.settled == [(GUILD, None, MIA)]
    assert world.thread_messages.refreshed == [PostedRef(9001, 4242)]
    assert await world.reflections.default_visibility(GUILD, MIA) == Visibility.PRIVATE
    assert await world.reflections.held_about_member(GUILD, MIA) == {
        REFLECTIONS: 0,
        SETTINGS: 0,
    }
    assert len(await world.reflections.reading.mine(GUILD, MAX)) == 1
    assert len(await world.reflections.reading.mine(OTHER_GUILD, MIA)) == 1


async def test_forget_keeps_every_reflection_when_their_messages_cannot_be_settled(
    world: ReflectionWorld,
) -> None:
    world.reflections.messages = UnreadableThread()
    target = await world.posted()
    await world.write(target, visibility=Visibility.NOW)
    with pytest.raises(RuntimeError):
        await world.reflections.forget_member(GUILD, MIA)
    # Nothing went: /forget-me tells the member to run it again.
    assert (await world.reflections.held_about_member(GUILD, MIA))[REFLECTIONS] == 1


async def test_forget_without_a_discord_side_keeps_every_reflection(
    world: ReflectionWorld,
) -> None:
    # Deleting the rows would leave the thread's messages showing her words, unlinked.
    world.reflections.messages = None
    target = await world.posted()
    await world.write(target, visibility=Visibility.NOW)
    await world.reflections.set_default_visibility(GUILD, MIA, Visibility.NOW)
    held = await world.reflections.held_about_member(GUILD, MIA)
    with pytest.raises(RuntimeError, match="no Discord side"):
        await world.reflections.forget_member(GUILD, MIA)
    assert await world.reflections.held_about_member(GUILD, MIA) == held
