"""A fake OpenAI-compatible model server on loopback (aiohttp), scripted by each test.

By default it answers like a good model: prompts of the three kinds in the requested
language, each quoting words it copied from the section it was sent. A test queues other
behaviours for the next requests:

    fake_model.then(status(500), status(429, retry_after=0), answer("not json"))
    fake_model.then(hang(5))             # answers after 5 s (past a short timeout)
    fake_model.then(refuse_schemas())    # 400 while `response_format` is sent

`fake_model.requests` holds every request's JSON body and headers.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

WAIT = 20.0
Behaviour = Callable[[dict[str, Any]], "Reply | None"]

_QUESTIONS = {
    "en": (
        ("factual", "What exactly does the text say when it writes “{q}”?"),
        ("interpretive", "Why might the author put it as “{q}”, and what follows from that?"),
        ("evaluative", "Where have you met something like “{q}” in your own life or work?"),
    ),
    "it": (
        ("factual", "Che cosa dice esattamente il testo quando scrive «{q}»?"),
        ("interpretive", "Perché l'autore lo dice così, «{q}», e che cosa ne segue?"),
        ("evaluative", "Dove hai incontrato qualcosa come «{q}» nella tua vita o nel tuo lavoro?"),
    ),
}


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Request:
    body: dict[str, Any]
    headers: dict[str, str]

    @property
    def section(self) -> str:
        user: str = self.body["messages"][-1]["content"]
        return user.split("\n-----\n", 1)[1].rsplit("\n-----", 1)[0]

    @property
    def language(self) -> str:
        user: str = self.body["messages"][-1]["content"]
        found = re.search(r'"language": "(\w+)"', user)
        return found[1] if found else "en"


def section_quotes(section: str, count: int = 3, words: int = 8) -> list[str]:
    """Runs of `words` words copied from the section's sentences, one per sentence."""
    quotes = []
    for block in section.split("\n\n"):
        for sentence in re.split(r"(?<=[.!?])\s+", block):
            parts = sentence.split()
            if len(parts) >= words:
                quotes.append(" ".join(parts[:words]).rstrip(",;:"))
    return quotes[:count]


def good_prompts(section: str, language: str) -> list[dict[str, str]]:
    quotes = section_quotes(section)
    templates = _QUESTIONS.get(language, _QUESTIONS["en"])
    return [
        {"kind": kind, "text": text.format(q=quote), "quote": quote}
        for (kind, text), quote in zip(templates, quotes, strict=False)
    ]


def completion(content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
    }


def answer(content: str | Callable[[Request], str]) -> Behaviour:
    """Reply 200 with this content (or the content made from the request)."""

    def reply(request: dict[str, Any]) -> Reply:
        made = content(Request(request, {})) if callable(content) else content
        return Reply(body=completion(made))

    return reply


def prompts_answer(make: Callable[[Request], list[dict[str, str]]]) -> Behaviour:
    """Reply with `{"prompts": make(request)}`."""
    return answer(lambda request: json.dumps({"prompts": make(request)}, ensure_ascii=False))


def status(code: int, *, retry_after: float | None = None) -> Behaviour:
    headers = {} if retry_after is None else {"Retry-After": f"{retry_after:g}"}
    return lambda _request: Reply(status=code, body={"error": {"message": "busy"}}, headers=headers)


def hang(seconds: float) -> Behaviour:
    """Answer well, but only after `seconds` (or never, if the server closes first)."""

    def reply(request: dict[str, Any]) -> Reply:
        made = Request(request, {})
        body = completion(json.dumps({"prompts": good_prompts(made.section, made.language)}))
        return Reply(body=body, delay=seconds)

    return reply


def refuse_schemas() -> Behaviour:
    """Refuse `response_format` as a server without structured output does; a request
    without it gets the good answer."""

    def reply(request: dict[str, Any]) -> Reply | None:
        if "response_format" in request:
            return Reply(status=400, body={"error": {"message": "unknown field response_format"}})
        return None

    return reply


class FakeModel:
    """The server. `base_url` ends in /v1, as an Ollama or OpenAI base URL does."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.script: deque[Behaviour] = deque()
        self._runner: web.AppRunner | None = None
        self._arrived = asyncio.Event()
        self._closing = asyncio.Event()
        self.base_url = ""

    async def wait_for_requests(self, count: int) -> None:
        """Return once `count` requests have come in (failing after WAIT seconds)."""
        async with asyncio.timeout(WAIT):
            while len(self.requests) < count:
                self._arrived.clear()
                await self._arrived.wait()

    def then(self, *behaviours: Behaviour) -> None:
        self.script.extend(behaviours)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}/v1"

    async def close(self) -> None:
        # A reply still held back is never sent: closing does not wait out its delay.
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.requests.append(Request(body, dict(request.headers)))
        self._arrived.set()
        behaviour = self.script.popleft() if self.script else None
        reply = behaviour(body) if behaviour is not None else None
        if reply is None:
            made = Request(body, {})
            prompts = good_prompts(made.section, made.language)
            reply = Reply(body=completion(json.dumps({"prompts": prompts}, ensure_ascii=False)))
        if reply.delay:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), reply.delay)
        return web.json_response(reply.body, status=reply.status, headers=reply.headers)


@pytest.fixture
async def fake_model() -> AsyncIterator[FakeModel]:
    server = FakeModel()
    await server.start()
    try:
        yield server
    finally:
        await server.close()
