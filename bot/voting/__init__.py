"""Ballots in, explained results out: approval, single choice, ranked (Schulze) and consensus
motions, with quorum and a published tie-break order. Pure: of the bot it imports only the
shared text rules (`bot.reading.text`: a count with its noun, a list in words).

Options are identified by their index (0-based) in the `labels` given to each tally.

Every method by its name: `METHODS[method]` gives the method module's `check_ballot` and
`count`, which take what they need of the vote from `VoteRules`. A ballot is checked and a
vote tallied by looking its method up there. A new method is a module of its own with those
two rules and an entry here, and then what members see of it: its name (`METHOD_NAMES`),
whether it has options (`plan.CHOICE_METHODS`), its export's columns
(`bot/services/votes/export.py`), and its command option and ballot components
(`bot/exts/votes`).
"""

from collections.abc import Mapping

from bot.voting import approval, consensus, ranked, single
from bot.voting.results import (
    METHOD_NAMES,
    NO_QUORUM,
    BallotError,
    Method,
    MotionThreshold,
    OptionCount,
    QuorumCheck,
    QuorumRule,
    Reasons,
    TieBreak,
    VoteMethod,
    VoteReminder,
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
    "MotionThreshold",
    "OptionCount",
    "QuorumCheck",
    "QuorumRule",
    "Reasons",
    "TieBreak",
    "VoteMethod",
    "VoteReminder",
    "VoteResult",
    "VoteRules",
]
