"""Reflections: members write what a section made them think, and choose who may read it.

Privacy is kept here, not in the Discord layer:

- a reflection's text leaves this package only for its author (`reading.mine`, `.own`,
  `.export`), or once it is shared with the circle (`reading.shared_in`: posted now, or
  revealed by the digest);
- a private reflection is never shared, and facilitators get no more than members do: the
  summary (`counts.summary`) holds counts only, never text.

Every query is scoped to one guild: an id from another guild is "not found".

What the Discord side does with a `Change` (from `writing`): post the reflection in its
section's thread when `post` is set (then `settling.record_post`), and re-render each of the
`stale` messages from `reading.shared_in` (deleting a message that no longer holds any shared
reflection). A crash between the decision to post and `record_post` is settled by
`SETTLE_JOB` (see `settling`).

`/forget-me` counts and deletes this package's data through the `MemberData` protocol
(`bot.services.features`), as every feature's: `Reflections.forget_member` settles and
refreshes the messages through the Discord side the extension attaches (`messages`, which
the settle job uses too).
"""

from bot.db.models.reflections import Visibility
from bot.services.reflections.info import (
    SHARED,
    WAITING,
    PostedRef,
    ReflectionInfo,
    is_shared,
    is_waiting,
    queried_reflection,
    reflection_info,
    reflection_query,
)
from bot.services.reflections.sections import PromptChoice, Target, find_section
from bot.services.reflections.service import (
    REFLECTIONS,
    SETTINGS,
    NewReflection,
    Reflections,
)
from bot.services.reflections.settling import SETTLE_JOB, PendingPost, ReflectionMessages
from bot.services.reflections.summary import Summary
from bot.services.reflections.writing import MAX_TEXT_CHARS, RATE_LIMIT, Change

__all__ = [
    "MAX_TEXT_CHARS",
    "RATE_LIMIT",
    "REFLECTIONS",
    "SETTINGS",
    "SETTLE_JOB",
    "SHARED",
    "WAITING",
    "Change",
    "NewReflection",
    "PendingPost",
    "PostedRef",
    "PromptChoice",
    "ReflectionInfo",
    "ReflectionMessages",
    "Reflections",
    "Summary",
    "Target",
    "Visibility",
    "find_section",
    "is_shared",
    "is_waiting",
    "queried_reflection",
    "reflection_info",
    "reflection_query",
]
