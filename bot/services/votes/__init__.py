"""Votes and motions: open them, take ballots, close them once, export and summarise them.

Who votes: a vote is attached to a circle (a schedule) when there is one: the schedule whose
section thread the command ran in, the one chosen, the one posting in that channel, or the
server's only one. Only that circle's members may cast ballots, and its quorum counts them.
A server with no schedule has votes without a circle: anyone may vote and there is no quorum.

Secret ballots: a ballot's voter key is HMAC-SHA256(member id) under a random per-vote key
kept on the vote while it is open, so one member has one ballot and can change it. Closing
destroys the key, rewrites the ballots in a random order under fresh random keys, and
(SQLite) empties the write-ahead log, retrying while another program reads (see `closing`),
so that nothing in the database links a ballot to a member any more.

Closing happens once: `closing.begin_close` moves the vote to "closing" (tallied, key
destroyed) in one transaction; the Discord side posts the result with a nonce derived from
the vote, then `finish_close` marks it closed. A retry finds "closing" and posts with the
same nonce.
"""

from bot.services.votes._common import CLOSE_JOB, REMIND_JOB, WAL_JOB
from bot.services.votes.ballots import BallotReceipt, VoteState
from bot.services.votes.closing import Reminder, reminder_nonce, result_nonce
from bot.services.votes.focus import mark_focus_used
from bot.services.votes.opening import (
    DEFAULT_CLOSES,
    MAX_MOTION_CHARS,
    MAX_QUESTION_CHARS,
    Opened,
    VoteRequest,
    parse_options,
)
from bot.services.votes.service import Votes
from bot.services.votes.topics import MAX_TOPIC_CHARS, TopicInfo, TopicScope

__all__ = [
    "CLOSE_JOB",
    "DEFAULT_CLOSES",
    "MAX_MOTION_CHARS",
    "MAX_QUESTION_CHARS",
    "MAX_TOPIC_CHARS",
    "REMIND_JOB",
    "WAL_JOB",
    "BallotReceipt",
    "Opened",
    "Reminder",
    "TopicInfo",
    "TopicScope",
    "VoteRequest",
    "VoteState",
    "Votes",
    "mark_focus_used",
    "parse_options",
    "reminder_nonce",
    "result_nonce",
]
