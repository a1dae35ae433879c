"""Discussion prompts written by a language model, checked, in the job queue.

When `PROMPTS_LLM_BASE_URL` is set, a reading's sections are queued for the model as it is
added (or one section when a facilitator regenerates it). A `model_prompts` job, one per
guild at a time, takes the guild's next waiting section, asks the OpenAI-compatible endpoint
(`/v1/chat/completions`) for prompts, checks them (`bot.reading.prompts.checked`), and puts
what passed in place of the engine's untouched prompts the way a regenerate does: a
facilitator's prompts and edits stay. The engine's prompts are there from the start, so a
section has prompts whatever the model does.

Answers with a prompt that passed are cached by the request (the section's text, its
language, the engine's material) and the model, so nothing is paid for twice. Each guild
may send `PROMPTS_LLM_DAILY_REQUESTS` requests a UTC day; past that, its sections wait for
the next day. A failing endpoint leaves the engine's prompts, one line in the log, and a
note for `/prompts show`. The section's text and the model's answer are never logged.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import logging
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any, Protocol

import aiohttp
from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database, rows_matched
from bot.db.error_text import database_unavailable
from bot.db.models import (
    ModelPromptAnswer,
    ModelPromptSettings,
    ModelPromptUsage,
    Reading,
    Section,
    SectionModelPrompts,
)
from bot.db.models.model_prompts import ModelPromptState
from bot.reading.importer import ParsedReading
from bot.reading.prompts import PromptSet, TextKind, generate_prompts
from bot.reading.prompts.checked import AnswerError, Drop, check_answer, is_model_written, merge
from bot.reading.prompts.model_brief import ANSWER_SCHEMA, BRIEF_VERSION, build_brief
from bot.scheduler import JobAbandoned, JobContext, Scheduler
from bot.scheduling.clock import Clock
from bot.services import prompts
from bot.services.readings import ensure_guild
from bot.settings import Settings

log = logging.getLogger(__name__)

MODEL_PROMPTS_JOB = "model_prompts"
SEED = 7
MAX_TOKENS = 2000
MAX_TRIES = 3
RETRY_AFTER_CAP = 20.0
# A section's whole exchange (tries and pauses) ends well within the job's lease.
SECTION_DEADLINE = 200.0
CLAIM_LEASE = timedelta(minutes=5)
# Requests in flight at once in this process; more jobs wait their turn outside the queue's
# slots, which section posts and votes need.
CONCURRENCY = 2
BUSY_PAUSE = timedelta(seconds=20)
# A guild's queue whose job failed every try (the database out of reach that long) begins
# again after this.
AFTER_GIVING_UP = timedelta(hours=1)

NOTE_WAITING = "The model is writing this section's prompts; until then these are the engine's."
NOTE_BUDGET = (
    "This server's daily model budget is spent: the model writes this section's prompts after "
    "midnight UTC; until then these are the engine's."
)


class ModelUnavailable(Exception):
    """The endpoint gave no usable answer; the message says why, in a few words."""


class BudgetSpent(Exception):
    """The guild has sent all its requests for today."""


@dataclass(frozen=True)
class ModelConfig:
    """Where the model is and what it may cost."""

    base_url: str
    model: str
    api_key: str | None = None
    daily_requests: int = 100
    timeout: float = 60.0

    @classmethod
    def from_settings(cls, settings: Settings) -> ModelConfig | None:
        """The configured endpoint, or None when `PROMPTS_LLM_BASE_URL` is not set."""
        if not settings.prompts_llm_base_url or not settings.prompts_llm_model:
            return None
        key = settings.prompts_llm_api_key
        return cls(
            base_url=settings.prompts_llm_base_url,
            model=settings.prompts_llm_model,
            api_key=key.get_secret_value() if key else None,
            daily_requests=settings.prompts_llm_daily_requests,
            timeout=settings.prompts_llm_timeout,
        )

    @property
    def url(self) -> str:
        """The chat completions URL, whether the base URL names `/v1` or not."""
        base = self.base_url.rstrip("/")
        return f"{base}/chat/completions" if base.endswith("/v1") else f"{base}/v1/chat/completions"


Spend = Callable[[], Awaitable[bool]]


class ChatEndpoint:
    """An OpenAI-compatible `/v1/chat/completions` endpoint, asked with temperature 0 and a
    seed, for JSON following the answer schema (plain JSON when the server refuses schemas).
    Retries 429, 5xx and lost connections with growing pauses."""

    def __init__(self, config: ModelConfig, *, backoff: float = 1.0) -> None:
        self.config = config
        self._backoff = backoff
        self._session: aiohttp.ClientSession | None = None
        self._schemas = True  # until the server refuses `response_format`

    def _body(self, messages: list[dict[str, str]]) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.config.model,
            "messages": messages,
            "temperature": 0,
            "seed": SEED,
            "max_tokens": MAX_TOKENS,
            "stream": False,
        }
        if self._schemas:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": "discussion_prompts",
                    "strict": True,
                    "schema": ANSWER_SCHEMA,
                },
            }
        return body

    def _headers(self) -> dict[str, str]:
        if self.config.api_key:
            return {"Authorization": f"Bearer {self.config.api_key}"}
        return {}

    async def ask(self, messages: list[dict[str, str]], spend: Spend | None = None) -> str:
        """The content of the model's reply. Raises ModelUnavailable, or BudgetSpent when
        `spend` refuses a request."""
        if self._session is None:
            self._session = aiohttp.ClientSession()
        reason = "it gave no answer"
        tries = 0
        while tries < MAX_TRIES:
            tries += 1
            if spend is not None and not await spend():
                raise BudgetSpent
            pause = self._backoff * 2 ** (tries - 1)
            try:
                async with self._session.post(
                    self.config.url,
                    json=self._body(messages),
                    headers=self._headers(),
                    timeout=aiohttp.ClientTimeout(total=self.config.timeout),
                ) as response:
                    if response.status == 200:
                        return _content(await response.json(content_type=None))
                    if response.status == 400 and self._schemas:
                        # Servers without structured output refuse the schema: ask again
                        # without it, and remember.
                        self._schemas = False
                        tries -= 1
                        continue
                    reason = f"it answered HTTP {response.status}"
                    if response.status != 429 and response.status < 500:
                        raise ModelUnavailable(reason)
                    pause = max(pause, _retry_after(response.headers.get("Retry-After")))
            except TimeoutError:
                raise ModelUnavailable(
                    f"it did not answer within {self.config.timeout:g} s"
                ) from None
            except aiohttp.ClientResponseError as exc:
                raise ModelUnavailable(f"its reply could not be read (HTTP {exc.status})") from None
            except aiohttp.ClientError as exc:
                reason = f"it could not be reached ({type(exc).__name__})"
            except ValueError:
                raise ModelUnavailable("its reply was not a chat completion") from None
            if tries < MAX_TRIES:
                await asyncio.sleep(min(pause, RETRY_AFTER_CAP))
        raise ModelUnavailable(f"{reason}, {MAX_TRIES} times")

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def _content(payload: Any) -> str:
    try:
        content = payload["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise ValueError("not a chat completion") from None
    if not isinstance(content, str):
        raise ValueError("not a chat completion")
    return content


def _retry_after(value: str | None) -> float:
    try:
        return max(0.0, min(float(value or 0), RETRY_AFTER_CAP))
    except ValueError:
        return 0.0


class AnswerCache(Protocol):
    async def get(self, key: str) -> str | None: ...
    async def put(self, key: str, model: str, answer: str) -> None: ...


@dataclass(frozen=True)
class Written:
    """A section's prompts after the model: the engine's plan filled with what passed."""

    prompts: PromptSet
    by_model: int
    dropped: tuple[Drop, ...]
    failure: str | None  # why no prompt of the model's stands
    from_cache: bool
    unreachable: bool = False  # the endpoint gave no answer (rather than a poor one)


def cache_key(model: str, messages: list[dict[str, str]]) -> str:
    """The SHA-256 of the request's version, the model and the messages (the section's text,
    its language and the engine's material)."""
    raw = json.dumps([BRIEF_VERSION, model, messages], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


async def write_prompts(
    endpoint: ChatEndpoint,
    text: str,
    language: str,
    engine: PromptSet,
    *,
    cache: AnswerCache | None = None,
    spend: Spend | None = None,
) -> Written:
    """Ask the model for a section's prompts and keep what passes the checks.

    Never fails for the model's sake: an endpoint that cannot answer, or an answer without a
    usable prompt, leaves the engine's prompts with the reason in `failure`. Raises
    BudgetSpent when `spend` refuses the request.
    """
    brief = build_brief(text, language, engine, text_kind=engine.kind)
    key = cache_key(endpoint.config.model, brief.messages)
    answer = await cache.get(key) if cache is not None else None
    from_cache = answer is not None
    if answer is None:
        try:
            async with asyncio.timeout(SECTION_DEADLINE):
                answer = await endpoint.ask(brief.messages, spend)
        except ModelUnavailable as exc:
            return Written(engine, 0, (), str(exc), False, unreachable=True)
        except TimeoutError:
            return Written(engine, 0, (), "it did not answer in time", False, unreachable=True)
    try:
        checked = check_answer(answer, text, brief.language)
    except AnswerError as exc:
        return Written(engine, 0, (), f"{exc}", from_cache)
    if cache is not None and not from_cache and checked.accepted:
        # An answer with nothing usable is not kept: asking again may do better.
        await cache.put(key, endpoint.config.model, answer)
    merged = merge(engine, checked.accepted)
    count = sum(1 for p in merged.prompts if is_model_written(p))
    failure = None if count else "none of its prompts passed the checks"
    return Written(merged, count, checked.dropped, failure, from_cache)


@dataclass(frozen=True)
class _Claimed:
    section_id: int
    text: str
    language: str
    kind: TextKind


class ModelPrompts:
    """The model-written prompts of every guild: the switch, the queue, the job, the notes."""

    def __init__(
        self,
        db: Database,
        config: ModelConfig | None,
        *,
        scheduler: Scheduler,
        clock: Clock,
        endpoint: ChatEndpoint | None = None,
    ) -> None:
        self.db = db
        self.scheduler = scheduler
        self.clock = clock
        self.config = config
        self.endpoint = endpoint or (ChatEndpoint(config) if config else None)
        self._slots = asyncio.Semaphore(CONCURRENCY)

    @property
    def configured(self) -> bool:
        return self.config is not None

    # -- the guild's switch ---------------------------------------------------------------

    async def enabled(self, guild_id: int) -> bool:
        """Whether the model writes this guild's prompts: configured, and not turned off."""
        if not self.configured:
            return False
        async with self.db.read() as session:
            found = await session.get(ModelPromptSettings, guild_id)
            return found is None or found.enabled

    async def set_enabled(self, guild_id: int, enabled: bool) -> None:
        """Turn the model on or off for a guild; off, its waiting sections keep the engine's."""
        async with self.db.session() as session:
            await ensure_guild(session, guild_id)
            found = await session.get(ModelPromptSettings, guild_id)
            if found is None:
                session.add(ModelPromptSettings(guild_id=guild_id, enabled=enabled))
            else:
                found.enabled = enabled
            if not enabled:
                await session.execute(
                    delete(SectionModelPrompts).where(
                        SectionModelPrompts.guild_id == guild_id,
                        SectionModelPrompts.state.in_(
                            (ModelPromptState.WAITING, ModelPromptState.WRITING)
                        ),
                    )
                )

    # -- queueing -------------------------------------------------------------------------

    async def queue_reading(self, guild_id: int, reading_id: int) -> int:
        """Queue every section of a reading; returns how many (0 when the model is off)."""
        if not await self.enabled(guild_id):
            return 0
        async with self.db.session() as session:
            ids = list(
                await session.scalars(
                    select(Section.id)
                    .join(Reading, Reading.id == Section.reading_id)
                    .where(Section.reading_id == reading_id, Reading.guild_id == guild_id)
                    .order_by(Section.position)
                )
            )
            await self._queue(session, guild_id, ids)
        return len(ids)

    async def queue_section(self, guild_id: int, section_id: int) -> bool:
        """Queue one section (a regenerate); False when the model is off for this guild."""
        if not await self.enabled(guild_id):
            return False
        async with self.db.session() as session:
            await self._queue(session, guild_id, [section_id])
        return True

    async def _queue(self, session: AsyncSession, guild_id: int, section_ids: list[int]) -> None:
        if not section_ids:
            return
        now = self.clock.now()
        existing = {
            row.section_id: row
            for row in await session.scalars(
                select(SectionModelPrompts).where(SectionModelPrompts.section_id.in_(section_ids))
            )
        }
        for section_id in section_ids:
            row = existing.get(section_id)
            if row is None:
                row = SectionModelPrompts(section_id=section_id, guild_id=guild_id)
                session.add(row)
            row.state, row.note = ModelPromptState.WAITING, NOTE_WAITING
            row.lease_until, row.updated_at = None, now
        await self.scheduler.enqueue(MODEL_PROMPTS_JOB, {}, now, guild_id=guild_id, session=session)

    async def note(self, section_id: int) -> str | None:
        """What `/prompts show` says about the model for this section, if anything."""
        async with self.db.read() as session:
            row = await session.get(SectionModelPrompts, section_id)
            return row.note if row is not None else None

    # -- the job --------------------------------------------------------------------------

    async def handle(self, job: JobContext) -> None:
        """Write the next waiting section of the job's guild, then queue the one after."""
        guild_id = job.guild_id
        if guild_id is None:
            return
        if not await self.enabled(guild_id):
            async with self.db.session() as session:
                await session.execute(
                    delete(SectionModelPrompts).where(
                        SectionModelPrompts.guild_id == guild_id,
                        SectionModelPrompts.state.in_(
                            (ModelPromptState.WAITING, ModelPromptState.WRITING)
                        ),
                    )
                )
            return
        if self._slots.locked():
            await self._continue(guild_id, self.clock.now() + BUSY_PAUSE)
            return
        async with self._slots:
            claimed = await self._claim(guild_id)
            if claimed is not None:
                try:
                    await self._write(guild_id, claimed)
                except BudgetSpent:
                    await self._wait_for_tomorrow(guild_id, claimed.section_id)
                    return
                except Exception as exc:
                    if database_unavailable(exc):
                        raise  # the job is tried again; the section waits out its hold
                    _log_bug(claimed.section_id, exc)
                    held = (SectionModelPrompts.section_id == claimed.section_id) & (
                        SectionModelPrompts.state == ModelPromptState.WRITING
                    )
                    await self._settle(held, _failed(exc))
        await self._queue_next(guild_id)

    async def give_up(self, job: JobContext, error: BaseException) -> None:
        """A job that failed every try. Kept from its work (the database out of reach, a query
        that never came back, the process stopped at each try), the guild's waiting sections
        are taken up again later; a bug would only fail again, so they keep their prompts,
        with the reason."""
        if job.guild_id is None:
            return
        if database_unavailable(error) or isinstance(error, JobAbandoned | TimeoutError):
            await self._continue(job.guild_id, self.clock.now() + AFTER_GIVING_UP)
            return
        waiting = SectionModelPrompts.state.in_(
            (ModelPromptState.WAITING, ModelPromptState.WRITING)
        )
        await self._settle((SectionModelPrompts.guild_id == job.guild_id) & waiting, _failed(error))

    async def _continue(self, guild_id: int, due_at: datetime, key: str | None = None) -> None:
        await self.scheduler.enqueue(
            MODEL_PROMPTS_JOB, {}, due_at, guild_id=guild_id, dedupe_key=key
        )

    async def _queue_next(self, guild_id: int) -> None:
        """Queue the guild's next section now; or, when the only ones left are held by a job
        that stopped while writing (a restart, a database error), once the first hold ends."""
        now = self.clock.now()
        of_guild = SectionModelPrompts.guild_id == guild_id
        async with self.db.read() as session:
            waiting = await session.scalar(
                select(func.count())
                .select_from(SectionModelPrompts)
                .where(of_guild, self._claimable())
            )
            held_until = (
                None
                if waiting
                else await session.scalar(
                    select(func.min(SectionModelPrompts.lease_until)).where(
                        of_guild, SectionModelPrompts.state == ModelPromptState.WRITING
                    )
                )
            )
        if waiting:
            await self._continue(guild_id, now)
        elif held_until is not None:
            # One job a hold, however many jobs of the guild find it.
            key = f"{MODEL_PROMPTS_JOB}:{guild_id}:held:{held_until.isoformat()}"
            await self._continue(guild_id, max(held_until, now), key)

    def _claimable(self) -> ColumnElement[bool]:
        now = self.clock.now()
        expired = (SectionModelPrompts.state == ModelPromptState.WRITING) & (
            SectionModelPrompts.lease_until <= now
        )
        return (SectionModelPrompts.state == ModelPromptState.WAITING) | expired

    async def _claim(self, guild_id: int) -> _Claimed | None:
        """Take the guild's first waiting section (oldest first), unless another job did."""
        now = self.clock.now()
        async with self.db.session() as session:
            candidates = list(
                await session.scalars(
                    select(SectionModelPrompts.section_id)
                    .where(SectionModelPrompts.guild_id == guild_id, self._claimable())
                    .order_by(SectionModelPrompts.section_id)
                    .limit(5)
                )
            )
            for section_id in candidates:
                won = await session.execute(
                    update(SectionModelPrompts)
                    .where(SectionModelPrompts.section_id == section_id, self._claimable())
                    .values(
                        state=ModelPromptState.WRITING,
                        lease_until=now + CLAIM_LEASE,
                        updated_at=now,
                    )
                    .execution_options(synchronize_session=False)
                )
                if rows_matched(won) != 1:
                    continue
                section = await session.get_one(Section, section_id)
                reading = await session.get_one(Reading, section.reading_id)
                kind = await prompts.stored_kind(session, reading)
                return _Claimed(section_id, section.text, reading.language, kind)
        return None

    async def _write(self, guild_id: int, claimed: _Claimed) -> None:
        assert self.endpoint is not None
        engine = await asyncio.to_thread(
            generate_prompts, claimed.text, language=claimed.language, kind=claimed.kind
        )
        try:
            written = await write_prompts(
                self.endpoint,
                claimed.text,
                claimed.language,
                engine,
                cache=_DatabaseCache(self.db, clock=self.clock),
                spend=lambda: self._spend(guild_id),
            )
        except BudgetSpent:
            raise
        except Exception as exc:
            if database_unavailable(exc):
                raise
            # Met on an odd answer, say: the engine's prompts stand.
            _log_bug(claimed.section_id, exc)
            written = Written(engine, 0, (), _failed(exc), False)
        await self._apply(claimed.section_id, written)
        if written.failure is not None:
            others = await self._fall_back(guild_id, written) if written.unreachable else 0
            log.warning(
                "Model prompts for section %s: %s; the engine's prompts stand%s",
                claimed.section_id,
                written.failure,
                f" (and for the guild's {others} other waiting sections)" if others else "",
            )
        else:
            log.info(
                "Model wrote %d prompts for section %s (%d dropped%s)",
                written.by_model,
                claimed.section_id,
                len(written.dropped),
                ", from the cache" if written.from_cache else "",
            )
        for drop in written.dropped:
            log.debug("Section %s: model prompt %d dropped: %s", claimed.section_id, *_parts(drop))

    async def _fall_back(self, guild_id: int, written: Written) -> int:
        """An endpoint that cannot answer is not asked again for the guild's other waiting
        sections: they keep the engine's prompts, with the same note."""
        async with self.db.session() as session:
            result = await session.execute(
                update(SectionModelPrompts)
                .where(
                    SectionModelPrompts.guild_id == guild_id,
                    SectionModelPrompts.state == ModelPromptState.WAITING,
                )
                .values(
                    state=ModelPromptState.ENGINE, note=_note(written), updated_at=self.clock.now()
                )
                .execution_options(synchronize_session=False)
            )
            return rows_matched(result)

    async def _apply(self, section_id: int, written: Written) -> None:
        rows = prompts.generated_rows(written.prompts)
        async with self.db.session() as session:
            state = await session.get(SectionModelPrompts, section_id)
            if state is None or state.state != ModelPromptState.WRITING:
                return  # the reading was removed, or the model turned off meanwhile
            await prompts.apply_generated(session, section_id, rows)
            state.state = ModelPromptState.ENGINE if written.failure else ModelPromptState.WRITTEN
            state.lease_until = None
            state.note = _note(written)

    async def _settle(self, sections: ColumnElement[bool], failure: str) -> None:
        """The `sections` are done with, their prompts left as they are: writing them failed
        in a way another try would meet again."""
        async with self.db.session() as session:
            await session.execute(
                update(SectionModelPrompts)
                .where(sections)
                .values(
                    state=ModelPromptState.ENGINE,
                    lease_until=None,
                    note=f"The model's prompts could not be written ({failure}); these stay.",
                    updated_at=self.clock.now(),
                )
                .execution_options(synchronize_session=False)
            )

    async def _wait_for_tomorrow(self, guild_id: int, section_id: int) -> None:
        now = self.clock.now()
        async with self.db.session() as session:
            await session.execute(
                update(SectionModelPrompts)
                .where(
                    SectionModelPrompts.guild_id == guild_id,
                    self._claimable() | (SectionModelPrompts.section_id == section_id),
                )
                .values(
                    state=ModelPromptState.WAITING,
                    note=NOTE_BUDGET,
                    lease_until=None,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
        tomorrow = datetime.combine(now.date() + timedelta(days=1), time(0, 1), tzinfo=UTC)
        log.info("Model budget of guild %s is spent for today; its sections wait", guild_id)
        await self._continue(guild_id, tomorrow)

    async def _spend(self, guild_id: int) -> bool:
        """Count one request against the guild's budget for today; False when none is left."""
        assert self.config is not None
        day = self.clock.now().date()
        stmt = (
            self.db.insert(ModelPromptUsage)
            .values(guild_id=guild_id, day=day, requests=1)
            .on_conflict_do_update(
                index_elements=[ModelPromptUsage.guild_id, ModelPromptUsage.day],
                set_={"requests": ModelPromptUsage.requests + 1},
                where=ModelPromptUsage.requests < self.config.daily_requests,
            )
            .returning(ModelPromptUsage.requests)
        )
        async with self.db.write() as conn:
            return (await conn.execute(stmt)).first() is not None

    async def close(self) -> None:
        if self.endpoint is not None:
            await self.endpoint.close()


def _parts(drop: Drop) -> tuple[int, str]:
    return drop.number, drop.reason


def _failed(error: BaseException) -> str:
    return f"an error ({type(error).__name__})"


def _log_bug(section_id: int, error: Exception) -> None:
    """An error of the bot's own, by class and place, not by message: the message might
    quote the section's text or the model's answer."""
    log.error(
        "Model prompts for section %s met %s at\n%s",
        section_id,
        type(error).__name__,
        "".join(traceback.format_tb(error.__traceback__)).rstrip("\n"),
    )


def _note(written: Written) -> str | None:
    if written.failure is not None:
        return (
            f"The model could not write these prompts ({written.failure}); they are the engine's."
        )
    if written.dropped:
        n = len(written.dropped)
        return (
            f"{n} of the model's prompts did not pass the checks (quotes word for word, kinds, "
            "language, length) and were left out."
        )
    return None


class _DatabaseCache:
    """Model answers kept in `model_prompt_answers`."""

    def __init__(self, db: Database, *, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def get(self, key: str) -> str | None:
        async with self.db.read() as session:
            found = await session.get(ModelPromptAnswer, key)
            return found.answer if found is not None else None

    async def put(self, key: str, model: str, answer: str) -> None:
        stmt = (
            self.db.insert(ModelPromptAnswer)
            .values(key=key, model=model[:200], answer=answer, created_at=self.clock.now())
            .on_conflict_do_nothing(index_elements=[ModelPromptAnswer.key])
        )
        async with self.db.write() as conn:
            await conn.execute(stmt)


async def reading_with_model(
    reading: ParsedReading, config: ModelConfig, report: Callable[[str], None]
) -> ParsedReading:
    """A parsed reading whose prompts the model rewrote, section by section, as the job does
    (no cache, no budget): for trying a model on a text. `report` gets one line a section."""
    endpoint = ChatEndpoint(config)
    written_sets = []
    try:
        for section, engine in zip(reading.sections, reading.prompts, strict=True):
            written = await write_prompts(endpoint, section.text, reading.language, engine)
            written_sets.append(written.prompts)
            line = f"section {section.position}: the model wrote {written.by_model} prompts"
            if written.failure:
                line = f"section {section.position}: the engine's prompts ({written.failure})"
            reasons = sorted({d.reason for d in written.dropped})
            if reasons:
                line += f"; {len(written.dropped)} dropped: " + "; ".join(reasons)
            report(line)
    finally:
        await endpoint.close()
    return dataclasses.replace(reading, prompts=tuple(written_sets))
