"""How `python -m bot run` starts the client: the start-up's objects are frozen out of the
garbage collector's work before the gateway's events begin."""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator

import pytest

from bot import runner
from bot.settings import load_settings
from tests.log_capture import bot_log


class _Client:
    """Records what the runner asked of it, and what the collector looked like then."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, tuple[int, int, int]]] = []

    async def login(self, token: str) -> None:
        self.calls.append((f"login {token}", gc.get_freeze_count(), gc.get_threshold()))

    async def connect(self) -> None:
        self.calls.append(("connect", gc.get_freeze_count(), gc.get_threshold()))


@pytest.fixture
def collector() -> Iterator[None]:
    threshold = gc.get_threshold()
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


@pytest.mark.usefixtures("collector")
async def test_the_start_up_is_frozen_after_login_and_before_the_gateway() -> None:
    client = _Client()

    await runner.start_bot(client, "token")  # type: ignore[arg-type]  # a stand-in bot

    (login, logged_in_frozen, _), (connect, frozen, threshold) = client.calls
    assert (login, connect) == ("login token", "connect")
    assert logged_in_frozen == 0
    assert frozen > 1000  # the modules, classes and objects made while starting
    assert threshold == runner.GC_THRESHOLDS


def test_the_model_endpoints_key_is_redacted_like_the_token(
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = load_settings(
        _env_file=None,
        DISCORD_TOKEN="abc.def.ghi",
        PROMPTS_LLM_BASE_URL="http://127.0.0.1:11434",
        PROMPTS_LLM_MODEL="llama3.1",
        PROMPTS_LLM_API_KEY="sk-very-secret-key",
    )
    logger = logging.getLogger("bot.services.model_prompts")

    async def leaky() -> int:
        logger.warning("calling with Authorization: Bearer %s", "sk-very-secret-key")
        return 0

    with bot_log(logging.INFO):  # restores the logging set-up afterwards
        assert runner.run_main(settings, leaky) == 0
    err = capsys.readouterr().err
    assert "sk-very-secret-key" not in err
    assert "Bearer [redacted]" in err
