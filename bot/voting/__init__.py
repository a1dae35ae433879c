"""Ballots in, explained results out: approval, single choice, ranked (Schulze) and consensus
motions, with quorum and a published tie-break order. Pure: imports nothing else of the bot.

Options are identified by their index (0-based) in the `labels` given to each tally.
"""

from bot.voting.results import (
    METHOD_NAMES,
    NO_QUORUM,
    BallotError,
    OptionCount,
    QuorumCheck,
    QuorumRule,
    TieBreak,
    VoteMethod,
    VoteResult,
)

__all__ = [
    "METHOD_NAMES",
    "NO_QUORUM",
    "BallotError",
    "OptionCount",
    "QuorumCheck",
    "QuorumRule",
    "TieBreak",
    "VoteMethod",
    "VoteResult",
]
