"""The answer to `/circle facilitator-role`, with a role chosen and with it cleared."""

from __future__ import annotations

from bot.exts.meta.render import facilitator_role_text


def test_the_facilitator_role_answer_names_the_role_or_says_it_is_cleared() -> None:
    assert facilitator_role_text("<@&42>") == (
        "Members with <@&42> can now run facilitator commands, as can members with Manage Server."
    )
    assert facilitator_role_text(None) == (
        "Only members with Manage Server can run facilitator commands now."
    )
