"""Typed ORM models, one module per feature. Each feature adds its tables with a migration,
and is imported here so that Alembic and the tests see the whole schema."""

from bot.db.models.base import NAMING_CONVENTION, Base, UTCDateTime, utcnow
from bot.db.models.jobs import Job
from bot.db.models.meetings import (
    CalendarSequence,
    Meeting,
    MeetingPlan,
    ReminderPrefs,
    ReminderSuggestion,
)
from bot.db.models.model_prompts import (
    ModelPromptAnswer,
    ModelPromptSettings,
    ModelPromptUsage,
    SectionModelPrompts,
)
from bot.db.models.readings import Guild, Prompt, Reading, Section
from bot.db.models.reflections import Digest, MemberSettings, Reflection
from bot.db.models.schedules import Membership, Progress, Schedule, SectionPost
from bot.db.models.state import BotState
from bot.db.models.votes import Ballot, Topic, Vote, VoteSettings

__all__ = [
    "NAMING_CONVENTION",
    "Ballot",
    "Base",
    "BotState",
    "CalendarSequence",
    "Digest",
    "Guild",
    "Job",
    "Meeting",
    "MeetingPlan",
    "MemberSettings",
    "Membership",
    "ModelPromptAnswer",
    "ModelPromptSettings",
    "ModelPromptUsage",
    "Progress",
    "Prompt",
    "Reading",
    "Reflection",
    "ReminderPrefs",
    "ReminderSuggestion",
    "Schedule",
    "Section",
    "SectionModelPrompts",
    "SectionPost",
    "Topic",
    "UTCDateTime",
    "Vote",
    "VoteSettings",
    "utcnow",
]
