"""Modals as `DynamicModal`s: answered from the submission alone through the bot's `modals`,
never kept by discord.py, every one registered, a failure answered privately."""

from __future__ import annotations

import re

import discord
import pytest

from bot.app import StudyCircleBot
from bot.errors import UserError
from bot.exts.interactions import DynamicModal, Modals, ModalValues, reply
from tests.fakediscord import FakeDiscord

SAID = "test:said"


class Echo(DynamicModal, template=r"test:echo:(?P<n>\d+)"):
    """Says back what was typed, with the number its custom_id carries."""

    def __init__(self, n: int) -> None:
        super().__init__(f"test:echo:{n}")
        self.n = n

    @classmethod
    def from_custom_id(cls, match: re.Match[str]) -> Echo:
        return cls(int(match["n"]))

    def form(self) -> discord.ui.Modal:
        return self.modal("Echo", discord.ui.TextInput(label="Say", custom_id=SAID))

    async def on_submit(self, interaction: discord.Interaction, values: ModalValues) -> None:
        said = values.text(SAID)
        if said == "mistake":
            raise UserError("That is not something to say.")
        if said == "bug":
            raise RuntimeError("a bug")
        await reply(interaction, f"{self.n}: {said}")


async def _submit(fake: FakeDiscord, n: int, said: str) -> str:
    payload = fake.payloads.modal_submit(
        Echo(n).form().to_dict(), {SAID: said}, user=fake.world.member, channel=fake.world.general
    )
    return (await fake.interact(payload)).text


async def test_a_modal_is_answered_from_its_submission_without_having_been_opened(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    bot.modals.add(Echo)
    # As after a restart: this bot never opened the modal, and keeps nothing for it.
    assert await _submit(fake_discord, 7, "hello") == "7: hello"
    assert await _submit(fake_discord, 8, "again") == "8: again"


async def test_a_modal_handlers_failure_is_answered_privately(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    bot.modals.add(Echo)
    assert await _submit(fake_discord, 1, "mistake") == "That is not something to say."
    assert "logged as error" in await _submit(fake_discord, 1, "bug")


async def test_every_dynamic_modal_of_the_bot_is_registered_by_its_feature(
    bot: StudyCircleBot,
) -> None:
    # By name: each bot loads its extensions afresh, so each has its own classes.
    ours = {
        f"{c.__module__}.{c.__qualname__}"
        for c in DynamicModal.__subclasses__()
        if c.__module__.startswith("bot.")
    }
    registered = {f"{c.__module__}.{c.__qualname__}" for c in bot.modals.handlers}
    assert ours == registered
    assert registered == {
        "bot.exts.readings.modals.EditPromptModal",
        "bot.exts.reflections.modals.ReflectionModal",
        "bot.exts.votes.views.BlockReasonModal",
    }


async def test_a_dynamic_modal_is_not_kept_by_discordpy_and_carries_its_custom_id() -> None:
    modal = Echo(3).form()
    assert modal.custom_id == "test:echo:3"
    assert modal.is_finished()  # so discord.py's view store never answers it too
    # A custom_id its own template does not match would reach no handler: refused at once.
    with pytest.raises(ValueError, match="template does not match 'test:other:3'"):
        DynamicModal.__init__(Echo.__new__(Echo), "test:other:3")


def test_a_custom_id_finds_the_handler_whose_template_matches_it_whole() -> None:
    modals = Modals()
    modals.add(Echo, Echo)
    found = modals.find("test:echo:12")
    assert isinstance(found, Echo)
    assert found.n == 12
    assert modals.find("test:echo:12:more") is None
    assert modals.find("test:echo:") is None


def test_submitted_values_are_read_from_rows_and_labels() -> None:
    values = ModalValues(
        {
            "custom_id": "test:echo:1",
            "components": [
                {"type": 10, "id": 1},
                {"type": 1, "components": [{"type": 4, "custom_id": "a", "value": "typed"}]},
                {"type": 18, "component": {"type": 3, "custom_id": "b", "values": ["1", "2"]}},
            ],
        }
    )
    assert values.text("a") == "typed"
    assert values.choices("b") == ["1", "2"]
    assert values.text("b") == ""
    assert values.choices("a") == []
    assert values.text("missing") == ""
    assert values.choices("missing") == []
