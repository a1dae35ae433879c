"""The shared options: an id is read one way wherever it is picked or typed; an enum's members
are offered by their labels and carry their stored values; through the fake Discord, a time
zone is offered from the IANA list, saved by its name, and an unknown one stops every command
that takes it, in the same words, before anything changes."""

from __future__ import annotations

import pytest

from bot.app import StudyCircleBot
from bot.exts.options import BadOption, EnumOption, parse_id, typed_id
from bot.voting import VoteMethod
from tests.exts.readings.helpers import seed_reading_id
from tests.fakediscord import FakeDiscord, InteractionResult

UNKNOWN_ZONE = (
    "“Mars/Olympus” is not a time zone I know. Use an IANA name such as Europe/Rome, "
    "America/New_York or Asia/Kolkata (start typing to see suggestions)."
)


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("12", 12),
        ("#12", 12),
        (" #12 ", 12),
        ("012", 12),
        ("1" * 18, int("1" * 18)),
        ("twelve", None),
        ("#", None),
        ("-3", None),
        ("1" * 19, None),  # longer than any Discord id
        ("²", None),  # a digit to str.isdigit(), not to int()
        ("١٢", None),  # digits of another script: never what the bot writes
    ],
)
def test_an_id_is_read_the_same_whether_picked_or_typed(typed: str, found: int | None) -> None:
    assert typed_id(typed) == found
    if found is None:
        with pytest.raises(BadOption, match="Pick a vote from the list"):
            parse_id(typed, "vote")
    else:
        assert parse_id(typed, "vote") == found


def _choices(fake: FakeDiscord, path: str, option: str) -> list[tuple[str, str]]:
    group, _, name = path.partition(" ")
    [command] = [c for c in fake.commands() if c["name"] == group]
    [sub] = [o for o in command.get("options", []) if o["name"] == name]
    [spec] = [o for o in sub.get("options", []) if o["name"] == option]
    return [(choice["name"], choice["value"]) for choice in spec["choices"]]


async def test_an_enum_option_lists_its_labels_and_carries_the_stored_values(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    assert _choices(fake_discord, "vote open", "method") == [
        ("approval", "approval"),
        ("single choice", "single"),
        ("ranked", "ranked"),
    ]
    assert _choices(fake_discord, "schedule create", "cadence") == [
        ("weekly", "weekly"),
        ("daily", "daily"),
        ("every n days", "every_n_days"),
    ]
    assert _choices(fake_discord, "motion propose", "threshold") == [
        ("majority", "majority"),
        ("two-thirds", "two-thirds"),
        ("three-quarters", "three-quarters"),
    ]


async def test_an_enum_option_reads_a_value_or_an_older_label_and_refuses_anything_else() -> None:
    option = EnumOption({VoteMethod.SINGLE: "single choice", VoteMethod.RANKED: "ranked"})
    # No interaction is read: None stands in for it.
    assert await option.transform(None, "single") is VoteMethod.SINGLE  # type: ignore[arg-type]
    # What the choice carried before it carried the stored value, from a client not synced yet.
    older = await option.transform(None, "single choice")  # type: ignore[arg-type]
    assert older is VoteMethod.SINGLE
    assert await option.transform(None, "ranked") is VoteMethod.RANKED  # type: ignore[arg-type]
    with pytest.raises(KeyError):  # discord.py answers it as an option it could not read
        await option.transform(None, "approval")  # type: ignore[arg-type]


async def _create(fake: FakeDiscord, timezone: str) -> InteractionResult:
    reading = await seed_reading_id(fake)
    values = {
        "reading": reading,
        "channel": fake.world.reading,
        "start": "2027-03-01",
        "at": "18:00",
        "timezone": timezone,
    }
    return await fake.command("schedule create", values, user=fake.world.facilitator)


async def test_every_command_that_takes_a_time_zone_offers_the_iana_names(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    for command in ("settings", "schedule create"):
        offered = await fake_discord.autocomplete(
            command, {"timezone": "rome"}, focused="timezone", user=fake_discord.world.facilitator
        )
        assert offered.choices is not None, command
        assert "Europe/Rome" in [c["value"] for c in offered.choices], command


async def test_an_unknown_time_zone_stops_every_command_that_takes_it_in_the_same_words(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    member = fake_discord.world.member
    before = await fake_discord.command("settings", user=member)

    refused = await fake_discord.command(
        "settings", {"timezone": "Mars/Olympus", "visibility": "now"}, user=member
    )
    not_created = await _create(fake_discord, "Mars/Olympus")

    for answer in (refused, not_created):
        assert answer.ephemeral
        assert answer.text == UNKNOWN_ZONE
    after = await fake_discord.command("settings", user=member)
    assert after.text == before.text  # the visibility asked for beside the zone is not set
    listed = await fake_discord.command("schedule list", user=fake_discord.world.facilitator)
    assert "no reading schedule yet" in listed.text


async def test_a_time_zone_typed_with_markdown_is_repeated_escaped_on_one_line(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    typed = "# Mars **Olympus** [base](http://x)\n@everyone"
    refused = await fake_discord.command(
        "settings", {"timezone": typed}, user=fake_discord.world.member
    )
    assert refused.ephemeral
    shown = r"\# Mars \*\*Olympus\*\* \[base\](http://x) @" + "\u200beveryone"
    assert refused.text == UNKNOWN_ZONE.replace("Mars/Olympus", shown)


async def test_a_value_no_choice_carries_is_repeated_escaped(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    # A request no client sends: the method option carries text instead of a choice's value.
    payload = fake_discord.payloads.command(
        "vote open",
        {"question": "Q?", "options": "a; b", "method": "single"},
        user=world.facilitator,
        channel=world.general,
    )
    [subcommand] = payload["data"]["options"]
    [method] = [o for o in subcommand["options"] if o["name"] == "method"]
    method["value"] = "**single** [choice](http://x)\n@everyone"
    refused = await fake_discord.interact(payload)
    assert refused.ephemeral
    assert refused.text == (
        "I couldn't understand “\\*\\*single\\*\\* \\[choice\\](http://x) @\u200beveryone” "
        "for this option."
    )
    assert fake_discord.messages_in(world.general) == []


async def test_a_time_zone_typed_with_spaces_is_saved_by_its_name(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    saved = await fake_discord.command(
        "settings", {"timezone": "  America/New_York "}, user=fake_discord.world.member
    )
    assert saved.text.startswith("Your time zone is now America/New_York:")
    created = await _create(fake_discord, " Europe/Rome")
    assert created.embeds[0]["title"] == "Schedule #1 created", created.text
    assert "(Europe/Rome)" in str(created.embeds[0]["fields"])


async def test_a_bare_hash_lists_everything_and_a_hashed_id_lists_its_item(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    reading = await seed_reading_id(fake_discord)

    async def offered(typed: str) -> list[str]:
        result = await fake_discord.autocomplete(
            "schedule create",
            {"reading": typed},
            focused="reading",
            user=fake_discord.world.facilitator,
        )
        return [choice["value"] for choice in result.choices or []]

    everything = await offered("")
    assert reading in everything
    # "#" is how the choices begin ("#1 · Mass Organizations"): typing it narrows nothing yet.
    assert await offered("#") == everything
    assert await offered(f"#{reading}") == [reading]
