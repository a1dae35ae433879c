"""The files of ours a ballot click runs, from the gateway event to the receipt and the edit
of the vote message, are the ones CONTRIBUTING.md lists ("Following a ballot click")."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from bot.app import StudyCircleBot
from tests.clocked import clocked_bot_with_instant_tallies, instant_tallies  # noqa: F401
from tests.exts.votes.test_votes import _single_choice_vote
from tests.fakediscord import FakeDiscord

ROOT = Path(__file__).resolve().parents[3]
LISTED = re.compile(r"^\| `(bot/[\w/]+\.py)` \|", re.MULTILINE)


def _listed_in_contributing() -> set[str]:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("# Following a ballot click", 1)[1].split("\n# ", 1)[0]
    return set(LISTED.findall(section))


async def test_a_ballot_click_runs_the_files_the_contributing_guide_lists(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    message, first = await _single_choice_vote(fake_discord)
    await fake_discord.command("join", user=world.other_member)
    live = instant_tallies(bot).live
    await fake_discord.click(message, first, user=world.member)  # what a first click loads
    await live.idle()
    bot_files = str(ROOT / "bot") + "/"
    ran: set[str] = set()

    def record(frame: FrameType, event: str, _: Any) -> None:
        path = frame.f_code.co_filename
        if event == "call" and path.startswith(bot_files):
            ran.add(Path(path).relative_to(ROOT).as_posix())

    sys.setprofile(record)
    try:
        clicked = await fake_discord.click(message, first, user=world.other_member)
        await live.idle()
    finally:
        sys.setprofile(None)

    assert "is counted: 1. Tactics" in clicked.text
    assert "`██████████` 2 (100%)" in message.embeds[0]["description"]
    assert ran == _listed_in_contributing()
