"""Model-written prompts through the job queue, against a fake OpenAI-compatible server on
loopback: whatever the model does, each section ends with valid prompts."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from bot.db import Database
from bot.db.models import Job, ModelPromptAnswer, SectionModelPrompts
from bot.db.models.jobs import JobStatus
from bot.db.models.model_prompts import ModelPromptState
from bot.parsing import parse_reading
from bot.reading.prompts.checked import check_answer
from bot.reading.prompts.kinds import TextKind
from bot.scheduling.clock import FakeClock
from bot.services import model_prompts
from bot.services import prompts as prompts_service
from bot.services.model_prompts import (
    AFTER_GIVING_UP,
    CLAIM_LEASE,
    MODEL_PROMPTS_JOB,
    NOTE_BUDGET,
    ChatEndpoint,
    ModelConfig,
)
from bot.services.prompts import PromptInfo
from tests.clocked import START
from tests.fakemodel import (
    FakeModel,
    Request,
    answer,
    hang,
    prompts_answer,
    refuse_schemas,
    status,
)
from tests.log_capture import bot_log
from tests.services.worlds import GUILD, OTHER_GUILD, World

ESSAY = """# The Commons

A commons is a resource that a community manages together, by rules it sets for itself. Its
members decide who may use the pasture, when, and how much, and they change the rules when
the pasture tells them to.

Critics said that shared land is always overused. Elinor Ostrom showed that many villages
kept their common pastures healthy for centuries, because neighbours watched each other and
punished cheats with small fines first.

# The Rules

Every lasting commons had clear boundaries around who belonged to it. The people who used
the resource also made the rules for it, and they met often to change them.

Monitors were chosen from among the users themselves, and they answered to the users. Small
disputes were settled quickly and cheaply, in meetings that everyone could attend.
"""
SAGGIO = """# I beni comuni

Un bene comune è una risorsa che una comunità gestisce insieme, con regole che si dà da
sola. I suoi membri decidono chi può usare il pascolo, quando e quanto, e cambiano le regole
quando il pascolo lo richiede.

I critici dicevano che la terra condivisa viene sempre sfruttata troppo. Elinor Ostrom
mostrò che molti villaggi mantennero sani i loro pascoli per secoli, perché i vicini si
controllavano a vicenda e punivano chi imbrogliava.
"""


class Harness(World):
    """The services as the composition root builds them with the model configured, their
    scheduler (run by hand) and the shared fake clock."""

    def __init__(
        self,
        db: Database,
        clock: FakeClock,
        fake: FakeModel,
        *,
        daily_requests: int = ModelConfig.daily_requests,
        timeout: float = 5.0,
    ) -> None:
        self.config = ModelConfig(
            base_url=fake.base_url,
            model="study-test",
            api_key="sk-test-secret",
            daily_requests=daily_requests,
            timeout=timeout,
        )
        super().__init__(db, clock=clock, model=self.config)
        self.model = self.services.model_prompts
        # Retries pause a hundredth of the real pause, so three tries take no seconds.
        self.model.endpoint = ChatEndpoint(self.config, backoff=0.01)

    async def add(self, text: str, name: str = "commons.md", guild: int = GUILD) -> list[int]:
        parsed = parse_reading(text.encode(), name, target_words=120)
        summary = await self.services.readings.add(guild, parsed)
        _, sections = await self.services.readings.sections(guild, summary.id)
        queued = await self.model.queue_reading(guild, summary.id)
        assert queued == len(sections)
        return [s.id for s in sections]

    async def section_text(self, section_id: int) -> str:
        from bot.db.models import Section

        async with self.db.session() as session:
            return (await session.get_one(Section, section_id)).text


@pytest.fixture
async def harness(db: Database, clock: FakeClock, fake_model: FakeModel) -> AsyncIterator[Harness]:
    made = Harness(db, clock, fake_model)
    try:
        yield made
    finally:
        await made.model.close()


async def valid_prompts(h: Harness, section_id: int, guild: int = GUILD) -> list[PromptInfo]:
    """The section's prompts, checked as members would rely on them."""
    shown = await h.services.prompts.of_section(guild, section_id)
    text = " ".join((await h.section_text(section_id)).split())
    assert 3 <= len(shown) <= 5
    assert {"factual", "interpretive", "evaluative"} <= {p.kind for p in shown}
    for prompt in shown:
        assert prompt.text.endswith("?")
        if prompt.quote:
            assert " ".join(prompt.quote.split()) in text
        else:
            assert prompt.key_phrase
    return shown


async def test_a_good_model_writes_every_sections_prompts(
    harness: Harness, fake_model: FakeModel
) -> None:
    sections = await harness.add(ESSAY)
    assert await harness.model.note(sections[0]) == (
        "The model is writing this section's prompts; until then these are the engine's."
    )
    await harness.drain()
    for section_id in sections:
        shown = await valid_prompts(harness, section_id)
        assert [p.by_model for p in shown] == [True, True, True]
        assert await harness.model.note(section_id) is None
    assert len(fake_model.requests) == len(sections)
    first = fake_model.requests[0]
    assert first.body["temperature"] == 0
    assert isinstance(first.body["seed"], int)
    assert first.body["model"] == "study-test"
    assert first.body["response_format"]["type"] == "json_schema"
    assert first.headers["Authorization"] == "Bearer sk-test-secret"
    assert "Elinor Ostrom showed" in first.section


async def test_invented_quotes_leave_the_engines_prompts(
    harness: Harness, fake_model: FakeModel
) -> None:
    invented = [
        {"kind": kind, "text": "What does the text mean by a tragedy of the commons, then?",
         "quote": "the tragedy of the commons is inevitable"}
        for kind in ("factual", "interpretive", "evaluative")
    ]  # fmt: skip
    fake_model.then(prompts_answer(lambda _request: invented))
    [first, _second] = await harness.add(ESSAY)
    await harness.drain()
    shown = await valid_prompts(harness, first)
    assert not any(p.by_model for p in shown)
    note = await harness.model.note(first)
    assert note is not None
    assert "none of its prompts passed the checks" in note


async def test_a_few_bad_prompts_are_replaced_by_the_engines(
    harness: Harness, fake_model: FakeModel
) -> None:
    def one_invented(request: Request) -> list[dict[str, str]]:
        from tests.fakemodel import good_prompts

        made = good_prompts(request.section, request.language)
        made[1]["quote"] = "words the section never had in it"
        return made

    fake_model.then(prompts_answer(one_invented))
    [first, _] = await harness.add(ESSAY)
    await harness.drain()
    shown = await valid_prompts(harness, first)
    assert [p.by_model for p in shown].count(True) == 2
    assert [p.kind for p in shown if not p.by_model] == ["interpretive"]
    note = await harness.model.note(first)
    assert note is not None
    assert note.startswith("1 of the model's prompts did not pass the checks")


async def test_prompts_in_the_wrong_language_are_dropped(
    harness: Harness, fake_model: FakeModel
) -> None:
    from tests.fakemodel import good_prompts

    fake_model.then(prompts_answer(lambda request: good_prompts(request.section, "en")))
    [section] = await harness.add(SAGGIO, "saggio.md")
    await harness.drain()
    assert fake_model.requests[0].language == "it"
    shown = await valid_prompts(harness, section)
    assert not any(p.by_model for p in shown)
    # The next time the model answers in Italian, and that passes.
    await harness.model.queue_section(GUILD, section)
    await harness.drain()
    shown = await valid_prompts(harness, section)
    assert all(p.by_model for p in shown)
    assert "testo" in shown[0].text


async def test_a_malformed_answer_leaves_the_engines_prompts_and_is_not_kept(
    harness: Harness, fake_model: FakeModel
) -> None:
    fake_model.then(answer('Sure! Here are your prompts: {"prompts": [{"kind": "factual",'))
    [first, second] = await harness.add(ESSAY)
    await harness.drain()
    await valid_prompts(harness, first)
    note = await harness.model.note(first)
    assert note is not None
    assert "no JSON" in note
    assert all(p.by_model for p in await valid_prompts(harness, second))
    # Asked again, the section is sent again: a malformed answer is not cached.
    await harness.model.queue_section(GUILD, first)
    await harness.drain()
    assert all(p.by_model for p in await valid_prompts(harness, first))
    assert len(fake_model.requests) == 3


async def test_a_model_that_times_out_leaves_the_engine_for_the_whole_reading(
    db: Database, clock: FakeClock, fake_model: FakeModel
) -> None:
    h = Harness(db, clock, fake_model, timeout=0.2)
    try:
        fake_model.then(hang(3))
        sections = await h.add(ESSAY)
        with bot_log(logging.INFO) as log:
            await h.drain()
        for section_id in sections:
            assert not any(p.by_model for p in await valid_prompts(h, section_id))
            note = await h.model.note(section_id)
            assert note is not None
            assert "did not answer within 0.2 s" in note
        assert len(fake_model.requests) == 1
        warnings = [line for line in log.getvalue().splitlines() if "WARNING" in line]
        assert len(warnings) == 1
        assert "engine's prompts stand" in warnings[0]
    finally:
        await h.model.close()


async def test_429_and_500_are_retried_with_a_pause(
    harness: Harness, fake_model: FakeModel
) -> None:
    fake_model.then(status(429, retry_after=0), status(503))
    [first, _] = await harness.add(ESSAY)
    await harness.drain()
    assert all(p.by_model for p in await valid_prompts(harness, first))
    assert [r.section for r in fake_model.requests[:3]] == [fake_model.requests[0].section] * 3


async def test_an_endpoint_failing_every_try_degrades_to_the_engine(
    harness: Harness, fake_model: FakeModel
) -> None:
    fake_model.then(status(500), status(500), status(500))
    sections = await harness.add(ESSAY)
    with bot_log(logging.INFO) as log:
        await harness.drain()
    for section_id in sections:
        await valid_prompts(harness, section_id)
        note = await harness.model.note(section_id)
        assert note == (
            "The model could not write these prompts (it answered HTTP 500, 3 times); "
            "they are the engine's."
        )
    assert len(fake_model.requests) == 3
    text = log.getvalue()
    assert "HTTP 500, 3 times" in text
    assert "Elinor Ostrom" not in text


async def test_a_bug_met_on_an_answer_leaves_the_engines_prompts_and_logs_no_words(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    quoted: list[str] = []

    def broken(answer: str, text: str, language: str) -> None:
        quoted.append(" ".join(text.split()[-8:]))
        raise RuntimeError(f"cannot check {quoted[-1]!r}")  # a message quoting the section

    monkeypatch.setattr(model_prompts, "check_answer", broken)
    sections = await harness.add(ESSAY)
    with bot_log(logging.DEBUG) as log:
        await harness.drain()
    for section_id in sections:
        assert not any(p.by_model for p in await valid_prompts(harness, section_id))
        assert "an error (RuntimeError)" in (await harness.model.note(section_id) or "")
    text = log.getvalue()
    assert "met RuntimeError at" in text
    assert "in broken" in text  # where the bug is
    assert len(quoted) == len(sections)
    assert not [words for words in quoted if words in text]


async def test_a_section_whose_prompts_cannot_be_saved_is_settled_not_tried_forever(
    harness: Harness,
    db: Database,
    clock: FakeClock,
    fake_model: FakeModel,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sections = await harness.add(ESSAY)

    def unsaved(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in saving")

    monkeypatch.setattr(prompts_service, "apply_generated", unsaved)
    for _ in range(5):
        await harness.drain()
        clock.advance(CLAIM_LEASE)
    assert len(fake_model.requests) == len(sections)
    for section_id in sections:
        note = await harness.model.note(section_id)
        assert note == (
            "The model's prompts could not be written (an error (RuntimeError)); these stay."
        )
    async with db.read() as session:
        pending = await session.scalars(
            select(Job.id).where(Job.kind == MODEL_PROMPTS_JOB, Job.status == JobStatus.PENDING)
        )
        assert list(pending) == []


async def _fail_every_try(
    harness: Harness, db: Database, clock: FakeClock, error: Exception
) -> None:
    """The guild's job fails at each of its tries with `error`, until the scheduler gives up."""

    async def failing(guild_id: int) -> bool:
        raise error

    with pytest.MonkeyPatch.context() as trouble:
        trouble.setattr(harness.model, "enabled", failing)
        for _ in range(5):  # the job's five tries, each pause shorter than ten minutes
            await harness.drain()
            clock.advance(timedelta(minutes=10))
    async with db.read() as session:
        failed = await session.scalars(
            select(Job.id).where(Job.kind == MODEL_PROMPTS_JOB, Job.status == JobStatus.FAILED)
        )
        assert len(list(failed)) == 1


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("SELECT", {}, sqlite3.OperationalError("database is locked")),
        TimeoutError(),  # a query that never came back, cut by the job's time limit
    ],
    ids=["unreachable", "hanging"],
)
async def test_a_queue_stopped_by_a_long_database_outage_begins_again_after_an_hour(
    harness: Harness, db: Database, clock: FakeClock, error: Exception
) -> None:
    sections = await harness.add(ESSAY)
    await _fail_every_try(harness, db, clock, error)
    await harness.drain()
    assert not any(p.by_model for p in await valid_prompts(harness, sections[0]))
    clock.advance(AFTER_GIVING_UP)
    await harness.drain()
    for section_id in sections:
        assert all(p.by_model for p in await valid_prompts(harness, section_id))


async def test_a_queue_stopped_by_a_bug_leaves_its_sections_the_engines_and_says_why(
    harness: Harness, db: Database, clock: FakeClock, fake_model: FakeModel
) -> None:
    sections = await harness.add(ESSAY)
    await _fail_every_try(harness, db, clock, RuntimeError("a bug"))
    clock.advance(AFTER_GIVING_UP)
    await harness.drain()
    assert fake_model.requests == []
    for section_id in sections:
        assert await harness.model.note(section_id) == (
            "The model's prompts could not be written (an error (RuntimeError)); these stay."
        )


async def test_a_section_left_held_by_a_stopped_bot_is_written_when_its_hold_ends(
    harness: Harness, db: Database, clock: FakeClock
) -> None:
    first, second = await harness.add(ESSAY)
    # What a bot stopped while the model wrote `first` leaves behind.
    async with db.session() as session:
        held = await session.get_one(SectionModelPrompts, first)
        held.state, held.lease_until = ModelPromptState.WRITING, clock.now() + CLAIM_LEASE
    await harness.drain()  # the queue, begun again, writes the second and waits for the first
    assert all(p.by_model for p in await valid_prompts(harness, second))
    assert not any(p.by_model for p in await valid_prompts(harness, first))
    clock.advance(CLAIM_LEASE)
    await harness.drain()
    assert all(p.by_model for p in await valid_prompts(harness, first))


async def test_a_database_error_while_writing_takes_the_section_up_again_after_its_hold(
    harness: Harness, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    trouble = [OperationalError("SELECT", {}, sqlite3.OperationalError("database is locked"))]

    def check_once(*args: Any, **kwargs: Any) -> Any:
        if trouble:
            raise trouble.pop()
        return check_answer(*args, **kwargs)

    monkeypatch.setattr(model_prompts, "check_answer", check_once)
    first, second = await harness.add(ESSAY)
    await harness.drain()  # the job failed on the first section, which it still holds
    clock.advance(timedelta(minutes=1))
    await harness.drain()  # its retry writes the second, and waits out the first's hold
    assert not any(p.by_model for p in await valid_prompts(harness, first))
    assert all(p.by_model for p in await valid_prompts(harness, second))
    clock.advance(CLAIM_LEASE)
    await harness.drain()
    assert all(p.by_model for p in await valid_prompts(harness, first))
    assert await harness.model.note(first) is None


async def test_a_server_without_structured_output_is_asked_without_a_schema(
    harness: Harness, fake_model: FakeModel
) -> None:
    fake_model.then(refuse_schemas())
    sections = await harness.add(ESSAY)
    await harness.drain()
    for section_id in sections:
        assert all(p.by_model for p in await valid_prompts(harness, section_id))
    assert ["response_format" in r.body for r in fake_model.requests] == [True, False, False]


async def test_the_daily_budget_holds_sections_until_the_next_day(
    db: Database, clock: FakeClock, fake_model: FakeModel
) -> None:
    h = Harness(db, clock, fake_model, daily_requests=1)
    try:
        first, second = await h.add(ESSAY)
        await h.drain()
        assert all(p.by_model for p in await valid_prompts(h, first))
        assert not any(p.by_model for p in await valid_prompts(h, second))
        assert await h.model.note(second) == NOTE_BUDGET
        assert len(fake_model.requests) == 1
        async with db.session() as session:
            due = await session.scalar(
                select(Job.due_at).where(
                    Job.kind == MODEL_PROMPTS_JOB, Job.status == JobStatus.PENDING
                )
            )
        assert due is not None
        assert due.date() == (START + timedelta(days=1)).date()

        clock.set(due)
        await h.drain()
        assert all(p.by_model for p in await valid_prompts(h, second))
        assert await h.model.note(second) is None
        assert len(fake_model.requests) == 2
    finally:
        await h.model.close()


async def test_answers_are_cached_across_regenerates_and_guilds(
    harness: Harness, fake_model: FakeModel
) -> None:
    sections = await harness.add(ESSAY)
    await harness.drain()
    before = [p.text for p in await valid_prompts(harness, sections[0])]
    await harness.model.queue_section(GUILD, sections[0])
    other = await harness.add(ESSAY, guild=OTHER_GUILD)
    await harness.drain()
    assert len(fake_model.requests) == len(sections)
    assert [p.text for p in await valid_prompts(harness, sections[0])] == before
    assert [p.text for p in await valid_prompts(harness, other[0], OTHER_GUILD)] == before


async def test_kept_answers_are_stamped_by_the_services_clock(
    harness: Harness, fake_model: FakeModel
) -> None:
    sections = await harness.add(ESSAY)
    harness.clock.advance(timedelta(minutes=7))
    await harness.drain()
    async with harness.db.session() as session:
        stamps = list(await session.scalars(select(ModelPromptAnswer.created_at)))
    assert len(stamps) == len(sections) == len(fake_model.requests)
    assert stamps == [START + timedelta(minutes=7)] * len(sections)


async def test_a_facilitators_edit_and_own_prompt_survive_the_model(
    harness: Harness, fake_model: FakeModel
) -> None:
    [first, _] = await harness.add(ESSAY)
    engine = await harness.services.prompts.of_section(GUILD, first)
    edited = await harness.services.prompts.edit(
        GUILD, engine[0].id, "What do the villagers decide about the pasture, and who?"
    )
    own = await harness.services.prompts.add(
        GUILD,
        first,
        "Which commons would you want our circle to look after?",
        "evaluative",
    )
    await harness.drain()
    shown = await harness.services.prompts.of_section(GUILD, first)
    texts = [p.text for p in shown]
    assert edited.text in texts
    assert own.text in texts
    assert [p.by_model for p in shown].count(True) == 3
    kinds = [p.kind for p in shown]
    order = {"factual": 0, "interpretive": 1, "evaluative": 2}
    assert kinds == sorted(kinds, key=order.__getitem__)


async def test_turned_off_the_model_is_not_asked(harness: Harness, fake_model: FakeModel) -> None:
    await harness.model.set_enabled(GUILD, False)
    parsed = parse_reading(ESSAY.encode(), "commons.md")
    summary = await harness.services.readings.add(GUILD, parsed)
    assert await harness.model.queue_reading(GUILD, summary.id) == 0
    await harness.drain()
    assert fake_model.requests == []
    await harness.model.set_enabled(GUILD, True)
    assert await harness.model.enabled(GUILD)


async def test_turning_off_lets_waiting_sections_keep_the_engines_prompts(
    harness: Harness, fake_model: FakeModel
) -> None:
    sections = await harness.add(ESSAY)
    await harness.model.set_enabled(GUILD, False)
    await harness.drain()
    assert fake_model.requests == []
    for section_id in sections:
        await valid_prompts(harness, section_id)
        assert await harness.model.note(section_id) is None


async def test_neither_the_text_nor_the_answer_nor_the_key_reaches_the_log(
    harness: Harness, fake_model: FakeModel
) -> None:
    sections = await harness.add(ESSAY)
    with bot_log(logging.DEBUG) as log:
        await harness.drain()
    shown = await valid_prompts(harness, sections[0])
    text = log.getvalue()
    assert "Model wrote 3 prompts for section" in text
    assert shown[0].quote
    assert shown[0].quote not in text
    assert "Elinor" not in text
    assert "sk-test-secret" not in text
    assert json.dumps(fake_model.requests[0].body)[:40] not in text


async def test_the_model_is_told_the_kind_the_reading_was_stored_as(
    harness: Harness, fake_model: FakeModel
) -> None:
    parsed = parse_reading(ESSAY.encode(), "commons.md", target_words=120, kind=TextKind.DIALOGUE)
    assert parsed.detected_kind != "dialogue"
    summary = await harness.services.readings.add(GUILD, parsed)
    assert await harness.model.queue_reading(GUILD, summary.id)
    await harness.drain()
    assert fake_model.requests
    for request in fake_model.requests:
        assert '"kind_of_text": "dialogue"' in request.body["messages"][-1]["content"]
