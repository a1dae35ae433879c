"""`Reflections`: every reflection use-case, assembled from the package's parts."""

from __future__ import annotations

from bot.services.reflections.forgetting import ForgettingUseCases
from bot.services.reflections.reading import ReadingUseCases
from bot.services.reflections.sections import TargetUseCases
from bot.services.reflections.settings import SettingsUseCases
from bot.services.reflections.settling import SettlingUseCases
from bot.services.reflections.summary import SummaryUseCases
from bot.services.reflections.writing import WritingUseCases


class Reflections(
    TargetUseCases,
    WritingUseCases,
    ReadingUseCases,
    SummaryUseCases,
    SettingsUseCases,
    ForgettingUseCases,
    SettlingUseCases,
):
    """Reflection use-cases, bound to the database, the clock and the job queue."""
