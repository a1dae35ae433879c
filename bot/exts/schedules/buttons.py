"""The buttons under a section post: Reflect (the reflections feature answers it) and Done
(the members feature answers it). Each feature registers its own button's class, so the
buttons keep working after a restart."""

from __future__ import annotations

import discord

from bot.exts.interactions import dynamic_view
from bot.exts.members.buttons import DoneButton
from bot.exts.reflections.views import ReflectButton
from bot.services.posting import PostPlan


def section_view(plan: PostPlan) -> discord.ui.View:
    """Reflect and Done for the post (Done marks every section of a post of several)."""
    section_id = plan.sections[0].section_id
    return dynamic_view(ReflectButton(section_id), DoneButton(section_id))
