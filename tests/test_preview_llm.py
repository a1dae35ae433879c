"""`python -m bot preview --llm`: the model rewrites a text's prompts the way the bot's job
does, against a fake OpenAI-compatible server on loopback."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.cli import main
from tests.fakemodel import FakeModel, status

ESSAY = """# The Commons

A commons is a resource that a community manages together, by rules it sets for itself. Its
members decide who may use the pasture, when, and how much, and they change the rules when
the pasture tells them to.

Critics said that shared land is always overused. Elinor Ostrom showed that many villages
kept their common pastures healthy for centuries, because neighbours watched each other and
punished cheats with small fines first.
"""


@pytest.fixture
def essay(clean_environment: None, tmp_path: Path) -> Path:
    path = tmp_path / "commons.md"
    path.write_text(ESSAY, "utf-8")
    return path


async def test_preview_llm_marks_the_models_prompts(
    essay: Path,
    fake_model: FakeModel,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PROMPTS_LLM_BASE_URL", fake_model.base_url)
    monkeypatch.setenv("PROMPTS_LLM_MODEL", "study-test")
    code = await asyncio.to_thread(main, ["preview", str(essay), "--llm", "--format", "json"])
    assert code == 0
    out, err = capsys.readouterr()
    [section] = json.loads(out)["sections"]
    assert [p["by_model"] for p in section["prompts"]] == [True, True, True]
    assert "section 1: the model wrote 3 prompts" in err
    assert len(fake_model.requests) == 1


async def test_preview_llm_falls_back_to_the_engine_and_says_why(
    essay: Path,
    fake_model: FakeModel,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PROMPTS_LLM_BASE_URL", fake_model.base_url)
    monkeypatch.setenv("PROMPTS_LLM_MODEL", "study-test")
    fake_model.then(status(404))
    code = await asyncio.to_thread(main, ["preview", str(essay), "--llm"])
    assert code == 0
    out, err = capsys.readouterr()
    assert "· model]" not in out
    assert out.count("[factual]") == 1
    assert "section 1: the engine's prompts (it answered HTTP 404)" in err


def test_preview_llm_without_an_endpoint_says_what_to_set(
    essay: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["preview", str(essay), "--llm"]) == 2
    assert "PROMPTS_LLM_BASE_URL" in capsys.readouterr().err
