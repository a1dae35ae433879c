"""`Votes`: every topic and vote use-case, assembled from the package's parts."""

from __future__ import annotations

from bot.services.votes.ballots import BallotUseCases
from bot.services.votes.closing import ClosingUseCases
from bot.services.votes.contributions import ContributionUseCases
from bot.services.votes.export import ExportUseCases
from bot.services.votes.opening import OpeningUseCases
from bot.services.votes.settings import SettingsUseCases
from bot.services.votes.state import LookupUseCases
from bot.services.votes.topics import TopicUseCases


class Votes(
    TopicUseCases,
    SettingsUseCases,
    OpeningUseCases,
    LookupUseCases,
    BallotUseCases,
    ClosingUseCases,
    ExportUseCases,
    ContributionUseCases,
):
    """Topic and vote use-cases, bound to the database, the job scheduler and the clock."""
