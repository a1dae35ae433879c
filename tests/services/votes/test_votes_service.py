"""Votes over a real database: ballots (one per member, the latest counts), closing once,
secret ballots that cannot be linked to anyone after the close, reminders, quorum, export,
the focus of the next section post, and the hooks other features use."""

from __future__ import annotations

import asyncio
import csv
import io
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.engine import make_url

from bot.db import Database
from bot.db.models import Ballot, Base, Job, Vote
from bot.db.models.votes import TopicStatus, VoteKind
from bot.errors import QUOTED, NotFound, UserError
from bot.services.votes import WAL_JOB, VoteRequest, VoteState
from bot.services.votes.closing import CLOSE_SAFETY_NET
from bot.services.votes.service import CLOSED_BALLOTS, OPEN_BALLOTS, TOPICS, VOTES
from bot.services.votes.topics import MAX_TOPIC_CHARS
from bot.voting import VoteMethod, VoteReminder
from bot.voting.results import tiebreak_order
from tests.clocked import FIRST_DUE, START
from tests.services.worlds import (
    ANA,
    BEN,
    CARLA,
    CHANNEL,
    CIRCLE_FACILITATOR,
    GUILD,
    OUTSIDER,
    VoteWorld,
    schedule_request,
    vote_world,
)

__all__ = ["vote_world"]  # the fixture `world`


async def test_a_member_can_change_a_ballot_and_only_the_latest_counts(world: VoteWorld) -> None:
    await world.circle(ANA, BEN)
    vote_id = await world.open()
    first = await world.votes.ballots.cast(GUILD, vote_id, ANA, [0, 1])
    assert not first.changed
    again = await world.votes.ballots.cast(GUILD, vote_id, ANA, [2])
    assert again.changed
    await world.votes.ballots.cast(GUILD, vote_id, BEN, [2])
    state = await world.votes.state(GUILD, vote_id)
    assert state.ballots == 2
    assert state.result is not None
    assert [c.count for c in state.result.counts] == [0, 0, 2]
    assert (await world.votes.ballots.start_ballot(GUILD, vote_id, ANA))[1] == [2]


async def test_the_live_tally_reads_a_vote_while_a_writer_holds_its_turn(
    world: VoteWorld,
) -> None:
    await world.circle(ANA, BEN)
    vote_id = await world.open()
    await world.votes.ballots.cast(GUILD, vote_id, ANA, [0])
    writing, read = asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        # On SQLite this holds the writers' turn, as a batch of ballots does, until the
        # tally has been read.
        async with world.db.session() as session:
            await session.execute(
                update(Vote).where(Vote.id == vote_id).values(question="Changed meanwhile?")
            )
            writing.set()
            await read.wait()

    writing_task = asyncio.create_task(writer())
    await writing.wait()
    try:
        # The bound only keeps a read that waits from hanging the suite.
        standing = await asyncio.wait_for(world.votes.ballots.standing(vote_id), 5)
    finally:
        read.set()
        await writing_task

    assert standing is not None
    assert standing.ballots == 1
    assert standing.question != "Changed meanwhile?"  # what was committed when it was read


async def test_a_non_member_is_told_to_join_first(world: VoteWorld) -> None:
    await world.circle(ANA)
    vote_id = await world.open()
    with pytest.raises(UserError, match="Join the circle with `/join` first"):
        await world.votes.ballots.cast(GUILD, vote_id, OUTSIDER, [0])
    with pytest.raises(NotFound):
        await world.votes.ballots.cast(GUILD + 1, vote_id, ANA, [0])


async def test_a_ballot_after_the_closing_time_is_refused_before_the_job_even_runs(
    world: VoteWorld,
) -> None:
    await world.circle(ANA)
    vote_id = await world.open(closes="2h")
    world.clock.advance(timedelta(hours=2))
    with pytest.raises(UserError, match=r"closed .*your ballot was not counted") as refused:
        await world.votes.ballots.cast(GUILD, vote_id, ANA, [0])
    # The service says when, as data; the Discord side writes it for each reader.
    assert refused.value.moment == START + timedelta(hours=2)
    assert "<t:" not in refused.value.message
    assert refused.value.user_message() == (
        f"This vote (#{vote_id}) closed 2027-03-01 10:00 UTC: your ballot was not counted."
    )


async def test_a_ballot_that_breaks_the_vote_rules_is_refused(world: VoteWorld) -> None:
    await world.circle(ANA)
    vote_id = await world.open(max_choices=1)
    with pytest.raises(UserError, match="at most 1 option"):
        await world.votes.ballots.cast(GUILD, vote_id, ANA, [0, 1])
    ranked_id = await world.open(method=VoteMethod.RANKED)
    with pytest.raises(UserError, match="once"):
        await world.votes.ballots.cast(GUILD, ranked_id, ANA, [1, 1])


async def test_the_vote_closes_once_at_its_time_and_records_the_winner(world: VoteWorld) -> None:
    await world.circle(ANA, BEN, CARLA)
    vote_id = await world.open(method=VoteMethod.SINGLE, closes="1d", quorum_percent=50)
    await world.votes.ballots.cast(GUILD, vote_id, ANA, 1)
    await world.votes.ballots.cast(GUILD, vote_id, BEN, 1)
    await world.at(START + timedelta(hours=23))
    assert world.closed == []
    await world.at(START + timedelta(days=1))
    assert world.closed == [vote_id]
    state = await world.votes.state(GUILD, vote_id)
    assert state.status == "closed"
    assert state.eligible == 3
    assert state.winner_text == "History"
    assert state.result is not None
    assert state.result.quorum.met
    assert state.result_message_id == 7000 + vote_id
    assert await world.votes.closing.begin_close(vote_id) is None


async def test_an_interrupted_close_is_resumed_with_the_same_result(world: VoteWorld) -> None:
    await world.circle(ANA)
    vote_id = await world.open()
    await world.votes.ballots.cast(GUILD, vote_id, ANA, [0])
    first = await world.votes.closing.begin_close(vote_id, closed_by=CIRCLE_FACILITATOR)
    assert first is not None
    assert not first.recovering
    # The process died before the result was recorded as posted: the retry gets it again.
    again = await world.votes.closing.begin_close(vote_id)
    assert again is not None
    assert again.recovering
    assert again.vote.result == first.vote.result
    await world.votes.closing.finish_close(vote_id, 1234)
    assert await world.votes.closing.begin_close(vote_id) is None


async def test_only_the_opener_or_a_facilitator_may_close(world: VoteWorld) -> None:
    await world.circle(ANA, BEN)
    opened = await world.votes.opening.open_vote(
        GUILD,
        ANA,
        VoteRequest("Meet on Friday?", CHANNEL, options=("Yes", "No")),
    )
    vote_id = opened.vote.id
    with pytest.raises(UserError, match="Only the member who opened"):
        await world.votes.closing.can_close(GUILD, vote_id, BEN, facilitator=False)
    assert (
        await world.votes.closing.can_close(GUILD, vote_id, ANA, facilitator=False)
    ).id == vote_id
    with pytest.raises(UserError, match="Join the circle"):
        await world.votes.opening.open_vote(
            GUILD, OUTSIDER, VoteRequest("Q?", CHANNEL, options=("a", "b"))
        )


async def test_a_vote_closed_by_hand_is_closed_once_and_its_job_passes_over_it(
    world: VoteWorld,
) -> None:
    await world.circle(ANA)
    vote_id = await world.open(closes="1h")
    closed = await world.votes.closing.close_by_hand(GUILD, vote_id, ANA, facilitator=True)
    assert (closed.status, closed.result_message_id) == ("closed", 7000 + vote_id)
    with pytest.raises(UserError, match=rf"^Vote #{vote_id} is already closed\.$"):
        await world.votes.closing.close_by_hand(GUILD, vote_id, ANA, facilitator=True)
    # The closing job, kept as a safety net after a close by hand, runs and says nothing.
    assert await world.at(START + CLOSE_SAFETY_NET) == 1
    assert world.closed == [vote_id]


async def test_a_vote_its_job_closes_while_a_member_closes_it_is_told_closed_already(
    world: VoteWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    await world.circle(ANA)
    vote_id = await world.open(closes="1h")
    closing = world.votes.closing
    checked = closing.can_close

    async def job_closes_it_after_the_check(
        guild_id: int, vote: int, user_id: int, *, facilitator: bool
    ) -> VoteState:
        state = await checked(guild_id, vote, user_id, facilitator=facilitator)
        await closing.close(vote)  # the closing job, between the check and the close
        return state

    monkeypatch.setattr(closing, "can_close", job_closes_it_after_the_check)
    with pytest.raises(UserError, match=rf"^Vote #{vote_id} is already closed\.$"):
        await closing.close_by_hand(GUILD, vote_id, ANA, facilitator=True)
    assert world.closed == [vote_id]


async def test_secret_ballots_cannot_be_linked_to_members_after_the_close(
    world: VoteWorld, db: Database
) -> None:
    crowd = [480_000_000_000_001_000 + n for n in range(40)]
    await world.circle(ANA, BEN, CARLA, *crowd)
    vote_id = await world.open(secret=True)
    await world.votes.ballots.cast(GUILD, vote_id, ANA, [0])
    await world.votes.ballots.cast(GUILD, vote_id, BEN, [1])
    await world.votes.ballots.cast(GUILD, vote_id, CARLA, [1, 2])
    for n, member in enumerate(crowd):  # one at a time, some changing their mind
        await world.votes.ballots.cast(GUILD, vote_id, member, [n % 3], reason=None)
        if n % 4 == 0:
            await world.votes.ballots.cast(GUILD, vote_id, member, [(n + 1) % 3])
    async with db.session() as session:
        key = (await session.get_one(Vote, vote_id)).secret_key
        open_keys = set(await session.scalars(select(Ballot.voter_key)))
    assert key is not None
    assert len(open_keys) == 3 + len(crowd)
    # While open, the results are hidden even from the facilitators.
    assert (await world.votes.state(GUILD, vote_id)).result is None

    closing = await world.votes.closing.begin_close(vote_id)
    assert closing is not None
    await world.votes.closing.finish_close(vote_id, 1)

    # Everything the database holds, every table, every row.
    dump: list[str] = []
    async with db.session() as session:
        for table in Base.metadata.sorted_tables:
            for row in await session.execute(select(table)):
                dump.append(repr(tuple(row)))
        vote = await session.get_one(Vote, vote_id)
        ballots = list(await session.scalars(select(Ballot).where(Ballot.vote_id == vote_id)))
    assert vote.secret_key is None
    assert len(ballots) == 3 + len(crowd)
    voter_rows = [r for r in dump if any(b.voter_key in r for b in ballots)]
    for member in (ANA, BEN, CARLA, *crowd):
        # No ballot row, nor any row naming a ballot's key, mentions the member.
        assert not any(str(member) in r for r in voter_rows)
    assert all(len(b.voter_key) == 64 for b in ballots)
    # Fresh keys: a copy of the database taken while the vote was open (with the key and
    # each member's HMAC) finds none of the closed ballots by its key.
    assert not {b.voter_key for b in ballots} & open_keys
    # Without the destroyed key, a member's HMAC cannot be recomputed to find their ballot,
    # and the ballots carry no time and no order that follows who voted when.
    assert not any(key.hex() in r or repr(key) in r for r in dump)
    assert Ballot.__table__.c.keys() == ["id", "vote_id", "voter_key", "choice", "reason"]

    if db.is_sqlite:
        # Not even in free pages of the file or in the write-ahead log.
        path = Path(str(make_url(db.url).database))
        raw = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
        assert key not in raw
        for old in open_keys:
            assert old.encode() not in raw


def _read(*paths: Path) -> bytes:
    """The raw bytes of the files that exist among `paths`."""
    return b"".join(p.read_bytes() for p in paths if p.exists())


async def _wal_jobs(db: Database) -> list[tuple[str, datetime]]:
    async with db.session() as session:
        rows = await session.execute(
            select(Job.status, Job.due_at).where(Job.kind == WAL_JOB).order_by(Job.id)
        )
        return [(status, due_at) for status, due_at in rows]


async def test_the_log_is_emptied_after_the_close_once_a_reader_goes_even_across_a_restart(
    world: VoteWorld, db: Database
) -> None:
    await world.circle(ANA, BEN)
    vote_id = await world.open(secret=True)
    await world.votes.ballots.cast(GUILD, vote_id, ANA, [0])
    await world.votes.ballots.cast(GUILD, vote_id, BEN, [2])
    async with db.session() as session:
        key = (await session.get_one(Vote, vote_id)).secret_key
    assert key is not None
    if not db.is_sqlite:
        # PostgreSQL has no such log to empty: the close schedules nothing.
        assert await world.votes.closing.begin_close(vote_id) is not None
        assert await _wal_jobs(db) == []
        return

    path = Path(str(make_url(db.url).database))
    wal = Path(f"{path}-wal")
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM votes").fetchone()
    try:
        assert await world.votes.closing.begin_close(vote_id) is not None
        assert key in _read(wal)
        assert await _wal_jobs(db) == [("pending", START + timedelta(seconds=15))]
        # Each try that meets the reader schedules the next one, twice as late.
        await world.at(START + timedelta(seconds=15))
        await world.at(START + timedelta(seconds=45))
        assert await _wal_jobs(db) == [
            ("done", START + timedelta(seconds=15)),
            ("done", START + timedelta(seconds=45)),
            ("pending", START + timedelta(seconds=105)),
        ]
        assert key in _read(wal)
    finally:
        reader.execute("ROLLBACK")
        reader.close()

    # The bot restarts; the reader is gone: the next try empties the log.
    restarted = VoteWorld(db)
    restarted.clock.set(START + timedelta(seconds=105))
    assert await restarted.scheduler.run_due() == 1
    assert [status for status, _ in await _wal_jobs(db)] == ["done"] * 3
    assert key not in _read(path, wal)


async def test_the_reminder_counts_non_voters_and_pings_only_open_ballots_that_ask(
    world: VoteWorld,
) -> None:
    await world.circle(ANA, BEN, CARLA)
    secret_id = await world.open(secret=True, remind=VoteReminder.PING)
    open_id = await world.open(remind=VoteReminder.PING)
    for vote_id in (secret_id, open_id):
        await world.votes.ballots.cast(GUILD, vote_id, ANA, [0])
    secret = await world.votes.closing.reminder(secret_id)
    assert secret is not None
    assert (secret.not_voted, secret.ping) == (2, ())
    assert secret.vote.remind == "count"
    public = await world.votes.closing.reminder(open_id)
    assert public is not None
    assert (public.not_voted, public.ping) == (2, (BEN, CARLA))
    await world.votes.closing.mark_reminded(open_id)
    assert await world.votes.closing.reminder(open_id) is None


async def test_too_few_topics_outside_a_circle_are_counted_for_this_channel(
    world: VoteWorld,
) -> None:
    with pytest.raises(UserError) as refused:
        await world.open(options=None)
    assert "at least two options, and this channel has 0 open topics" in refused.value.message


async def test_a_topic_in_a_server_of_several_circles_goes_to_the_channels_or_asks_which(
    world: VoteWorld,
) -> None:
    first = await world.circle(ANA)
    second = await world.circle(ANA)  # posts in CHANNEL too
    elsewhere = (
        await world.services.schedules.create(
            GUILD,
            CIRCLE_FACILITATOR,
            schedule_request(await world.seed_reading(), channel_id=CHANNEL + 1),
        )
    ).id
    topics = world.votes.topics
    mine = await topics.propose_topic(GUILD, ANA, "Who sets the agenda?", CHANNEL + 1)
    assert mine.schedule_id == elsewhere
    with pytest.raises(UserError) as several:
        await topics.propose_topic(GUILD, ANA, "Mass line vs vanguard", CHANNEL)
    assert str(several.value) == (
        f"This server has several schedules (#{first}, #{second}, #{elsewhere}): choose one in "
        "the `schedule` option, or run the command in a section's thread."
    )
    named = await topics.propose_topic(GUILD, ANA, "Mass line vs vanguard", CHANNEL, second)
    assert named.schedule_id == second


async def test_votes_on_topics_take_the_circles_open_topics(world: VoteWorld) -> None:
    await world.circle(ANA)
    with pytest.raises(UserError, match="at least two options"):
        await world.open(options=None)
    first = await world.votes.topics.propose_topic(GUILD, ANA, "Mass  line vs  vanguard", CHANNEL)
    assert first.text == "Mass line vs vanguard"
    with pytest.raises(UserError, match="already proposed"):
        await world.votes.topics.propose_topic(GUILD, BEN, "mass line vs vanguard", CHANNEL)
    second = await world.votes.topics.propose_topic(GUILD, BEN, "Who sets the agenda?", CHANNEL)
    third = await world.votes.topics.propose_topic(GUILD, BEN, "Who sets the agenda??", CHANNEL)
    await world.votes.topics.merge_topics(GUILD, third.id, second.id)
    with pytest.raises(UserError, match="Only the member who proposed"):
        await world.votes.topics.withdraw_topic(GUILD, ANA, second.id)
    vote_id = await world.open(options=None)
    state = await world.votes.state(GUILD, vote_id)
    assert state.options == ("Mass line vs vanguard", "Who sets the agenda?")
    assert state.topic_ids == (first.id, second.id)


async def test_a_withdrawn_topic_can_be_neither_withdrawn_again_nor_removed(
    world: VoteWorld,
) -> None:
    await world.circle(ANA)
    topic = await world.votes.topics.propose_topic(GUILD, ANA, "Who sets the agenda?", CHANNEL)
    withdrawn = await world.votes.topics.withdraw_topic(GUILD, ANA, topic.id)
    assert withdrawn.status == "withdrawn"
    with pytest.raises(UserError, match=rf"^Topic #{topic.id} is withdrawn already\.$"):
        await world.votes.topics.withdraw_topic(GUILD, ANA, topic.id)
    with pytest.raises(UserError, match=rf"^Topic #{topic.id} is withdrawn already\.$"):
        await world.votes.topics.remove_topic(GUILD, topic.id)
    other = await world.votes.topics.propose_topic(GUILD, ANA, "Mass line vs vanguard", CHANNEL)
    assert (await world.votes.topics.remove_topic(GUILD, other.id)).status == "removed"


async def test_a_topic_is_refused_only_past_its_limit_and_told_the_limit(world: VoteWorld) -> None:
    await world.circle(ANA)
    longest = "x" * MAX_TOPIC_CHARS
    assert (await world.votes.topics.propose_topic(GUILD, ANA, longest, CHANNEL)).text == longest
    with pytest.raises(UserError, match=rf"^The topic can be at most {MAX_TOPIC_CHARS} characters"):
        await world.votes.topics.propose_topic(GUILD, ANA, longest + "y", CHANNEL)


async def test_more_than_25_open_topics_are_refused_with_what_to_do(world: VoteWorld) -> None:
    await world.circle(ANA)
    for n in range(26):
        await world.votes.topics.propose_topic(GUILD, ANA, f"Topic {n}", CHANNEL, facilitator=True)
    with pytest.raises(UserError, match=r"at most 25.*Merge or remove"):
        await world.open(options=None)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (tuple(f"o{i}" for i in range(26)), "at most 25 options"),
        (("a" * 81, "b"), "Option 1 is 81 characters"),
        (("Same", "same"), "Options 1 and 2 are the same"),
        (("Only one",), "at least two options"),
    ],
)
async def test_options_over_discords_limits_get_a_clear_error(
    world: VoteWorld, options: tuple[str, ...], message: str
) -> None:
    await world.circle(ANA)
    with pytest.raises(UserError, match=message):
        await world.open(options=options)


async def test_a_closing_time_the_rules_refuse_is_told_to_the_member(world: VoteWorld) -> None:
    await world.circle(ANA)
    with pytest.raises(UserError, match="at least a minute"):
        await world.open(closes="0m")


async def test_an_unreadable_closing_time_is_told_with_the_text_quoted_apart(
    world: VoteWorld,
) -> None:
    await world.circle(ANA)
    with pytest.raises(UserError) as refused:
        await world.open(closes="**soon** @everyone")
    assert refused.value.quoted == "**soon** @everyone"
    assert refused.value.message.startswith(f"“{QUOTED}” is not a duration")


async def test_each_vote_draws_its_own_seed_and_publishes_the_order_it_gives(
    world: VoteWorld,
) -> None:
    await world.circle(ANA)
    first = await world.votes.state(GUILD, await world.open())
    second = await world.votes.state(GUILD, await world.open())
    assert first.tiebreak_seed != second.tiebreak_seed
    for vote in (first, second):
        assert tiebreak_order(vote.tiebreak_seed, len(vote.options)) == vote.tiebreak_order


async def test_a_vote_without_a_circle_has_no_quorum_and_says_so(world: VoteWorld) -> None:
    opened = await world.votes.opening.open_vote(
        GUILD,
        OUTSIDER,
        VoteRequest("Q?", CHANNEL, options=("a", "b"), quorum_percent=50),
    )
    assert opened.vote.quorum_percent is None
    assert any("no quorum" in note.lower() for note in opened.notes)
    receipt = await world.votes.ballots.cast(GUILD, opened.vote.id, OUTSIDER, [0])
    assert receipt.vote.ballots == 1


async def test_a_blocked_motion_fails_and_passes_with_the_groups_fallback(world: VoteWorld) -> None:
    await world.circle(ANA, BEN, CARLA, CIRCLE_FACILITATOR)
    plain = await world.open(
        kind=VoteKind.MOTION, question="Read two sections a week", options=None
    )
    with pytest.raises(UserError, match="needs a reason"):
        await world.votes.ballots.cast(GUILD, plain, ANA, "block")
    await world.votes.opening.set_motion_fallback(GUILD, True)
    fallback = await world.open(kind=VoteKind.MOTION, question="Meet in person", options=None)
    for vote_id in (plain, fallback):
        await world.votes.ballots.cast(GUILD, vote_id, ANA, "block", "Too fast for newcomers")
        for member in (BEN, CARLA, CIRCLE_FACILITATOR):
            await world.votes.ballots.cast(GUILD, vote_id, member, "agree")
    plain_close = await world.votes.closing.begin_close(plain)
    fallback_close = await world.votes.closing.begin_close(fallback)
    assert plain_close is not None
    assert fallback_close is not None
    assert plain_close.vote.result is not None
    assert fallback_close.vote.result is not None
    assert plain_close.vote.result.passed is False
    assert fallback_close.vote.result.passed is True
    assert [(r.voter, r.text) for r in plain_close.vote.result.reasons] == [
        (ANA, "Too fast for newcomers")
    ]


async def test_export_has_results_and_ballots_without_names_when_secret(world: VoteWorld) -> None:
    await world.circle(ANA, BEN)
    secret_id = await world.open(secret=True)
    open_id = await world.open(method=VoteMethod.RANKED)
    await world.votes.ballots.cast(GUILD, secret_id, ANA, [0, 2])
    await world.votes.ballots.cast(GUILD, secret_id, BEN, [2])
    await world.votes.ballots.cast(GUILD, open_id, ANA, [2, 0])
    with pytest.raises(UserError, match="still open"):
        await world.votes.export(GUILD, secret_id)
    for vote_id in (secret_id, open_id):
        await world.votes.closing.begin_close(vote_id)
        await world.votes.closing.finish_close(vote_id, 1)

    secret = await world.votes.export(GUILD, secret_id)
    results = list(csv.reader(io.StringIO(secret.results_csv)))
    assert results[0] == ["option", "label", "count", "percent", "place", "outcome"]
    assert results[3][:3] == ["3", "Theory", "2"]
    assert results[3][5] == "winner"
    ballots = list(csv.reader(io.StringIO(secret.ballots_csv)))
    assert ballots[0] == ["ballot", "1. Tactics", "2. History", "3. Theory"]
    assert sorted(ballots[1:]) == [["1", "0", "0", "1"], ["2", "1", "0", "1"]] or sorted(
        row[1:] for row in ballots[1:]
    ) == [["0", "0", "1"], ["1", "0", "1"]]
    assert str(ANA) not in secret.ballots_csv

    public = list(csv.reader(io.StringIO((await world.votes.export(GUILD, open_id)).ballots_csv)))
    assert public == [
        ["member_id", "1. Tactics", "2. History", "3. Theory"],
        [str(ANA), "2", "", "1"],
    ]


async def test_the_winning_topic_is_the_focus_of_the_next_post_once(world: VoteWorld) -> None:
    schedule_id = await world.circle(ANA, BEN)
    await world.at(FIRST_DUE)
    assert world.poster.plans[0].focus is None
    topic = await world.votes.topics.propose_topic(GUILD, ANA, "Who decides, and how?", CHANNEL)
    await world.votes.topics.propose_topic(GUILD, BEN, "Dues and money", CHANNEL)
    vote_id = await world.open(options=None, closes="2d")
    await world.votes.ballots.cast(GUILD, vote_id, ANA, [0])
    await world.votes.ballots.cast(GUILD, vote_id, BEN, [0, 1])
    await world.at(FIRST_DUE + timedelta(days=2))
    assert world.closed == [vote_id]
    chosen = await world.votes.topics.guild_topics(GUILD, status=TopicStatus.CHOSEN)
    assert [t.id for t in chosen] == [topic.id]

    await world.at(FIRST_DUE + timedelta(days=7))
    second = world.poster.plans[-1]
    assert second.sections[0].position == 2
    assert second.focus == "Who decides, and how?"
    await world.at(FIRST_DUE + timedelta(days=14))
    assert world.poster.plans[-1].focus is None

    later = await world.votes.closed_on_section(GUILD, schedule_id, second.sections[0].section_id)
    assert later == []
    first_section = world.poster.plans[0].sections[0].section_id
    [closed] = await world.votes.closed_on_section(GUILD, schedule_id, first_section)
    assert closed.id == vote_id
    assert closed.question == "What should we discuss next?"
    assert closed.result is not None
    assert closed.result.labels[closed.result.winner or 0] == "Who decides, and how?"
    assert closed.result.ballots == 2


async def test_forgetting_a_member_deletes_open_ballots_and_anonymises_closed_ones(
    world: VoteWorld, db: Database
) -> None:
    await world.circle(ANA, BEN)
    closed_id = await world.open()
    secret_id = await world.open(secret=True)
    open_id = await world.open()
    for vote_id in (closed_id, secret_id, open_id):
        await world.votes.ballots.cast(GUILD, vote_id, ANA, [1])
        await world.votes.ballots.cast(GUILD, vote_id, BEN, [0])
    await world.votes.closing.begin_close(closed_id)
    await world.votes.closing.finish_close(closed_id, 1)
    await world.votes.topics.propose_topic(GUILD, ANA, "Something", CHANNEL)

    forgotten = await world.votes.forget_member(GUILD, ANA)
    assert forgotten == {OPEN_BALLOTS: 2, CLOSED_BALLOTS: 1, TOPICS: 1, VOTES: 0}
    assert (await world.votes.state(GUILD, open_id)).ballots == 1
    closed = await world.votes.state(GUILD, closed_id)
    assert closed.result is not None
    assert [c.count for c in closed.result.counts] == [1, 1, 0]
    async with db.session() as session:
        keys = list(await session.scalars(select(Ballot.voter_key)))
        assert str(ANA) not in keys
        assert await session.scalar(text("SELECT count(*) FROM topics WHERE proposed_by IS NULL"))


async def test_a_vote_in_the_thread_of_a_post_of_several_sections_is_on_its_first_section(
    world: VoteWorld,
) -> None:
    # A post of three sections has three rows with one thread: a vote, a topic and a
    # reflection there all mean the first section, whatever order the database reads them in.
    request = schedule_request(await world.seed_reading(), sections_per_post=3)
    schedule = await world.schedules.create(GUILD, CIRCLE_FACILITATOR, request)
    await world.members.join(GUILD, ANA, schedule.id)
    await world.at(FIRST_DUE)
    [post] = world.poster.plans
    first, *later = [section.section_id for section in post.sections]
    assert len(later) == 2
    thread = 9001  # PlainPoster: the thread started from the post's message

    vote = await world.votes.state(GUILD, await world.open(channel_id=thread))
    topic = await world.votes.topics.propose_topic(GUILD, ANA, "Who decides, and how?", thread)
    target = await world.services.reflections.targets.target(GUILD, user_id=ANA, channel_id=thread)

    assert (vote.schedule_id, vote.section_id) == (schedule.id, first)
    assert topic.section_id == first
    assert target.section_id == first


async def test_a_vote_outside_a_thread_is_on_the_latest_section_posted(world: VoteWorld) -> None:
    schedule_id = await world.circle(ANA)
    await world.at(FIRST_DUE + timedelta(days=7))
    latest = world.poster.plans[-1].sections[-1]
    assert latest.position == 2

    vote = await world.votes.state(GUILD, await world.open())
    target = await world.services.reflections.targets.target(GUILD, user_id=ANA)

    assert (vote.schedule_id, vote.section_id) == (schedule_id, latest.section_id)
    assert target.section_id == latest.section_id
