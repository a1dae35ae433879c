"""Ballots in, explained results out: approval, single choice, ranked (Schulze) and consensus
motions, with quorum and a published tie-break order. Pure: imports nothing else of the bot.

Options are identified by their index (0-based) in the `labels` given to each tally.

Every method by its name: `METHODS[method]` gives the method module's `check_ballot` and
`count`, which take what they need of the vote from `VoteRules`. A vote is checked and
tallied by looking its method up there, so a new method is a module of its own and one entry
here.
"""

from collections.abc import Mapping

from bot.voting import approval, consensus, ranked, single
from bot.voting.results import (
    METHOD_NAMES,
    NO_QUORUM,
    BallotError,
    Method,
    OptionCount,
    QuorumCheck,
    QuorumRule,
    Reasons,
    TieBreak,
    VoteMethod,
    VoteResult,
    VoteRules,
)

METHODS: Mapping[VoteMethod, Method] = {
    VoteMethod.APPROVAL: Method(approval.check_ballot, approval.count),
    VoteMethod.SINGLE: Method(single.check_ballot, single.count),
    VoteMethod.RANKED: Method(ranked.check_ballot, ranked.count),
    VoteMethod.CONSENSUS: Method(consensus.check_ballot, consensus.count),
}

__all__ = [
    "METHODS",
    "METHOD_NAMES",
    "NO_QUORUM",
    "BallotError",
    "Method",
    "OptionCount",
    "QuorumCheck",
    "QuorumRule",
    "Reasons",
    "TieBreak",
    "VoteMethod",
    "VoteResult",
    "VoteRules",
]
