"""Messages for topics and votes: the vote message (live or hidden tally), the private ballot
for ranked votes, receipts, the reminder, and the result with its explanation."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import discord

from bot.exts.discord_limits import (
    BUTTON_LABEL_LIMIT,
    CONTENT_LIMIT,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_VALUE_LIMIT,
)
from bot.exts.text import (
    block,
    channel_mention,
    inline,
    label,
    plural,
    shorten,
    timestamp,
    user_mention,
)
from bot.services.votes import (
    BallotReceipt,
    Opened,
    Reminder,
    TopicInfo,
    TopicScope,
    VoteState,
)
from bot.services.votes.export import Export
from bot.voting import VoteMethod, VoteResult
from bot.voting.consensus import THRESHOLDS, Stance
from bot.voting.results import bar, describe_order

DIGEST_QUESTION_CHARS = 100
OPEN_COLOUR = discord.Colour.gold()
CLOSED_COLOUR = discord.Colour.dark_grey()
RESULT_COLOUR = discord.Colour.green()
STANCE_EMOJI = {
    Stance.AGREE: "👍",
    Stance.DISAGREE: "👎",
    Stance.STAND_ASIDE: "🤚",
    Stance.BLOCK: "✋",
}
METHOD_HELP = {
    VoteMethod.APPROVAL: "Approval: pick every option you accept in the menu.",
    VoteMethod.SINGLE: "Single choice: press the option you want.",
    VoteMethod.RANKED: "Ranked: press **Rank the options** for your private ballot; unranked "
    "options share the last place. Decided by the Schulze method.",
}


def option_label(index: int, text: str, limit: int = BUTTON_LABEL_LIMIT) -> str:
    """ "3. Tactics" for buttons and menus, shortened to Discord's limit."""
    return label(f"{index + 1}. {text}", limit)


def option_line(index: int, text: str, limit: int = 200) -> str:
    """ "3. Tactics" inside a message or an embed."""
    return f"{index + 1}. {inline(text, limit)}"


def kind_word(state: VoteState) -> str:
    return "Motion" if state.is_motion else "Vote"


def file_stem(state: VoteState) -> str:
    """ "motion-12": how the files about a vote begin."""
    return f"{kind_word(state).lower()}-{state.id}"


def vote_title(state: VoteState) -> str:
    if state.is_motion:
        return f"Motion #{state.id}"
    return f"Vote #{state.id} · {inline(state.question, EMBED_TITLE_LIMIT - 20)}"


def _rules(state: VoteState) -> str:
    if state.is_motion:
        threshold = THRESHOLDS[state.threshold].describe()
        lines = [
            "Agree, disagree, stand aside (let it pass without joining in), or block "
            "(a block needs a reason and stops the motion).",
            f"It passes when nobody blocks and {threshold} among those not standing aside; "
            "a tie fails.",
        ]
        if state.fallback:
            lines.append(
                "If blocked, it still passes with a 3/4 supermajority (this group's rule)."
            )
        return "\n".join(lines)
    text = METHOD_HELP[state.method]
    if state.method == VoteMethod.APPROVAL:
        low, high = state.min_choices, state.max_choices
        if (low, high) != (1, len(state.options)):
            text += f" ({low} to {high} options.)"
    return text


def _quorum(state: VoteState) -> str:
    if state.quorum_percent is None:
        return "none"
    if state.eligible is None:
        return f"{state.quorum_percent}% of the circle"
    return (
        f"{state.quorum_percent}% of {plural(state.eligible, 'member')}: "
        f"{plural(state.quorum_required or 0, 'ballot')} needed"
    )


def _tally_lines(state: VoteState, result: VoteResult, label_limit: int = 120) -> list[str]:
    lines = []
    for count in result.counts:
        name = (
            inline(count.label, label_limit)
            if state.is_motion
            else option_line(count.index, count.label, label_limit)
        )
        lines.append(f"**{name}**\n`{bar(count.share)}` {count.count} ({count.percent})")
    return lines


def vote_embed(state: VoteState) -> discord.Embed:
    """The vote message while it is open: question, options, rules, live tally if shown."""
    lines: list[str] = []
    if state.is_motion:
        lines.append(block(state.question, 1500))
    elif state.result is not None:
        lines.extend(_tally_lines(state, state.result))
    else:
        lines.extend(f"**{i + 1}.** {inline(text, 200)}" for i, text in enumerate(state.options))
    embed = discord.Embed(
        title=vote_title(state),
        description=shorten("\n".join(lines), EMBED_DESCRIPTION_LIMIT),
        colour=OPEN_COLOUR,
    )
    if state.is_motion and state.result is not None:
        embed.add_field(
            name="So far",
            value=shorten("\n".join(_tally_lines(state, state.result)), FIELD_VALUE_LIMIT),
            inline=False,
        )
    embed.add_field(name="How to vote", value=_rules(state), inline=False)
    embed.add_field(
        name="Closes",
        value=f"{timestamp(state.closes_at, 'F')} ({timestamp(state.closes_at, 'R')})",
        inline=True,
    )
    embed.add_field(name="Quorum", value=_quorum(state), inline=True)
    turnout = f"{state.ballots}" + (f" of {state.eligible} members" if state.eligible else "")
    embed.add_field(name="Ballots so far", value=turnout, inline=True)
    ballot = (
        "secret: nobody, facilitators included, can see who voted what"
        if state.secret
        else "open: the export lists who voted what"
    )
    results = "hidden until the close" if state.hidden else "shown live"
    embed.add_field(name="Ballot", value=f"{ballot}; results {results}", inline=False)
    if not state.is_motion:
        embed.add_field(
            name="Tie-break order",
            value=(
                f"{describe_order(state.tiebreak_order)} (drawn with seed `{state.tiebreak_seed}`)"
            ),
            inline=False,
        )
    embed.set_footer(text="One ballot each; change it until the close, the latest counts.")
    return embed


def closed_embed(state: VoteState, result_url: str | None) -> discord.Embed:
    """The vote message once closed: it points to the result."""
    embed = discord.Embed(
        title=vote_title(state),
        description=(block(state.question, 1500) + "\n\n" if state.is_motion else "")
        + "This vote is closed."
        + (f" [See the result]({result_url})." if result_url else ""),
        colour=CLOSED_COLOUR,
    )
    if not state.is_motion:
        embed.add_field(
            name="Options",
            value=shorten(
                "\n".join(f"**{i + 1}.** {inline(t, 120)}" for i, t in enumerate(state.options)),
                FIELD_VALUE_LIMIT,
            ),
            inline=False,
        )
    return embed


def result_embed(state: VoteState) -> tuple[discord.Embed, discord.File | None]:
    """The result: headline, counts with bars, ties, turnout and quorum, how it was decided,
    and for ranked votes the pairwise table and strongest paths. When all that would pass
    Discord's embed limits, the embed is shortened and the full explanation comes as a file."""
    result = state.result
    assert result is not None
    embed = _result_embed(state, result, label_limit=120, compact=False)
    fields_fit = all(len(str(f.value)) <= FIELD_VALUE_LIMIT for f in embed.fields)
    if fields_fit and len(embed) <= EMBED_TOTAL_LIMIT:
        return embed, None
    return _result_embed(state, result, label_limit=60, compact=True), explanation_file(
        state, result
    )


def _result_embed(
    state: VoteState, result: VoteResult, *, label_limit: int, compact: bool
) -> discord.Embed:
    lines = [f"**{inline(result.headline(), 600)}**", ""]
    lines.extend(_tally_lines(state, result, label_limit))
    ties = result.tie_lines()
    if ties:
        lines.append("")
        lines.extend(inline(tie, 600) for tie in ties)
    if state.from_topics and result.winner is not None and state.schedule_id is not None:
        lines.append("")
        lines.append("The winning topic will lead the next session.")
    if state.is_motion:
        lines.insert(0, f"> {inline(state.question, 1500)}")
    embed = discord.Embed(
        title=shorten(f"Result · {vote_title(state)}", EMBED_TITLE_LIMIT),
        description=shorten("\n".join(lines), EMBED_DESCRIPTION_LIMIT),
        colour=RESULT_COLOUR if result.decided else CLOSED_COLOUR,
    )
    embed.add_field(name="Turnout", value=result.quorum.describe_turnout(), inline=True)
    embed.add_field(name="Quorum", value=result.quorum.describe(), inline=True)
    notes = [inline(note, FIELD_VALUE_LIMIT) for note in result.notes]
    notes += [
        "Reason for a block: "
        + (f"{user_mention(reason.voter)}: " if reason.voter else "")
        + inline(reason.text, 600)
        for reason in result.reasons
    ]
    if compact:
        embed.add_field(
            name="How it was decided",
            value=shorten("\n".join(notes), FIELD_VALUE_LIMIT - 60)
            + "\nThe full explanation is in the attached file.",
            inline=False,
        )
    else:
        for number, chunk in enumerate(_chunks(notes, FIELD_VALUE_LIMIT)):
            name = "How it was decided" if number == 0 else "How it was decided (continued)"
            embed.add_field(name=name, value=chunk, inline=False)
        if result.pairwise is not None and result.ballots:
            embed.add_field(
                name="Head to head (row over column)",
                value=f"```\n{result.pairwise.table()}\n```",
                inline=False,
            )
            embed.add_field(
                name="Strongest paths",
                value=f"```\n{result.pairwise.table(result.pairwise.strongest)}\n```",
                inline=False,
            )
    embed.set_footer(text=f"{kind_word(state)} #{state.id} · {result.method_name}")
    return embed


def _chunks(lines: Sequence[str], limit: int) -> list[str]:
    """Lines joined into pieces of at most `limit` characters (a long line is shortened)."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        line = shorten(line, limit)
        if current and len(current) + 1 + len(line) > limit:
            chunks.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        chunks.append(current)
    return chunks


def explanation_file(state: VoteState, result: VoteResult) -> discord.File:
    """The whole result as text: counts, ties, quorum, notes, and the pairwise tables."""
    parts = [vote_title(state), "", *result.explain()]
    if result.pairwise is not None and result.ballots:
        legend = [f"{i + 1}. {label}" for i, label in enumerate(result.labels)]
        parts += [
            "",
            *legend,
            "",
            "Head to head (ballots preferring the row's option to the column's):",
            result.pairwise.table(),
            "",
            "Strongest paths:",
            result.pairwise.table(result.pairwise.strongest),
        ]
    body = "\n".join(parts) + "\n"
    return discord.File(io.BytesIO(body.encode()), filename=f"{file_stem(state)}-result.txt")


def describe_choice(state: VoteState, choice: Any, reason: str | None = None) -> str:
    if state.is_motion:
        stance = Stance(choice)
        text = f"{STANCE_EMOJI[stance]} {stance.label}"
        return text + (f" (reason: {inline(reason, 300)})" if reason else "")
    if state.method == VoteMethod.SINGLE:
        return option_line(int(choice), state.options[int(choice)])
    if not choice:
        return "no option approved"
    # Long ballots get shorter labels, so the whole ballot fits in one message.
    limit = max(24, min(200, 1500 // len(choice)))
    joiner = ", " if state.method == VoteMethod.APPROVAL else "\n"
    return joiner.join(option_line(i, state.options[i], limit) for i in choice)


def receipt_text(receipt: BallotReceipt) -> str:
    state = receipt.vote
    verb = "changed" if receipt.changed else "counted"
    choice = describe_choice(state, receipt.choice, receipt.reason)
    joiner = ":\n" if state.method == VoteMethod.RANKED and not state.is_motion else ": "
    lines = [f"Your ballot in {kind_word(state).lower()} #{state.id} is {verb}{joiner}{choice}"]
    lines.append(
        f"You can change it until {timestamp(state.closes_at, 'F')}; the latest ballot counts."
    )
    if state.secret:
        lines.append("The ballot is secret: nobody can see what you chose.")
    return shorten("\n".join(lines), CONTENT_LIMIT)


def ranking_text(state: VoteState, order: Sequence[int], *, saved: bool = False) -> str:
    """The private ranked ballot as it stands."""
    head = f"**{vote_title(state)}**"
    if saved:
        lines = [f"{head}\nYour ballot is counted:"]
    else:
        lines = [
            f"{head}\nPick your options best first; the ones you leave out share the last "
            "place. Submit when done."
        ]
    if order:
        limit = max(24, min(BUTTON_LABEL_LIMIT, 1500 // len(order)))
        lines.extend(
            f"{place}. {inline(state.options[i], limit)}" for place, i in enumerate(order, 1)
        )
    else:
        lines.append("*Nothing ranked yet.*")
    if saved:
        lines.append(
            f"You can change it until {timestamp(state.closes_at, 'F')}; the latest counts."
        )
    return shorten("\n".join(lines), CONTENT_LIMIT)


def opened_text(opened: Opened, url: str | None) -> str:
    state = opened.vote
    lines = [
        f"{kind_word(state)} #{state.id} is open"
        + (f": {url}" if url else ".")
        + f" It closes {timestamp(state.closes_at, 'F')}."
    ]
    if state.schedule_id is not None:
        lines.append(f"Members of the circle of schedule #{state.schedule_id} can vote.")
    lines.extend(opened.notes)
    return "\n".join(lines)


def closed_text(state: VoteState, result_url: str | None) -> str:
    """The answer to /vote close, with a link to the result message."""
    result = f" The result: {result_url}" if result_url else ""
    return f"{kind_word(state)} #{state.id} is closed.{result}"


def export_files(exported: Export) -> list[discord.File]:
    """The CSV files /vote export attaches: the results, and the ballots."""
    stem = file_stem(exported.vote)
    return [
        discord.File(io.BytesIO(exported.results_csv.encode()), filename=f"{stem}-results.csv"),
        discord.File(io.BytesIO(exported.ballots_csv.encode()), filename=f"{stem}-ballots.csv"),
    ]


def export_text(state: VoteState, result_url: str | None) -> str:
    """The answer to /vote export: the result's headline, and how the ballots are listed."""
    note = (
        "The ballot was secret: ballots are listed without names, in no particular order."
        if state.secret
        else "The ballot was open: each ballot carries the member's id."
    )
    link = f" ({result_url})" if result_url else ""
    headline = state.result.headline() if state.result else ""
    return f"{kind_word(state)} #{state.id}{link}: {headline}\n{note}"


def motion_fallback_text(fallback: bool) -> str:
    """The answer to /vote settings."""
    rule = (
        "From now on, a blocked motion still passes with a 3/4 supermajority of those who "
        "took a side (blocks count against)."
        if fallback
        else "From now on, a block stops a motion."
    )
    return f"{rule} Motions already open keep their rules."


def reminder_message(reminder: Reminder) -> tuple[str, discord.AllowedMentions]:
    """One message in the vote's channel; it names non-voters only for open ballots set to ping."""
    state = reminder.vote
    when = timestamp(state.closes_at, "R")
    what = f"{kind_word(state).lower()} #{state.id}"
    if reminder.not_voted is None:
        text = f"Reminder: {what} closes {when}. {plural(state.ballots, 'ballot')} so far."
        return text, discord.AllowedMentions.none()
    if not reminder.ping:
        people = plural(
            reminder.not_voted, "member of the circle has", "members of the circle have"
        )
        text = f"Reminder: {what} closes {when}, and {people} not voted yet."
        return shorten(text, CONTENT_LIMIT), discord.AllowedMentions.none()
    named: list[int] = []
    head = f"Reminder: {what} closes {when}. Not voted yet: "
    for user_id in reminder.ping:
        mentions = " ".join(user_mention(u) for u in [*named, user_id])
        if len(head) + len(mentions) > CONTENT_LIMIT - 40:
            break
        named.append(user_id)
    rest = len(reminder.ping) - len(named)
    text = head + " ".join(map(user_mention, named)) + (f" and {rest} more." if rest else "")
    # Exactly the members named ping: the ids the text was written from.
    allowed = discord.AllowedMentions(
        everyone=False, roles=False, users=[discord.Object(u) for u in named]
    )
    return text, allowed


def proposed_text(topic: TopicInfo) -> str:
    """The answer to /topic propose."""
    return (
        f"Topic #{topic.id} is proposed: {inline(topic.text, 300)}\n"
        "It goes into the next `/vote open` without options."
    )


def withdrawn_text(topic: TopicInfo) -> str:
    """The answer to /topic withdraw."""
    return f"Topic #{topic.id} is withdrawn."


def merged_text(kept: TopicInfo) -> str:
    """The answer to /topic merge: the topic the duplicate joined."""
    return f"Merged into topic #{kept.id}: {inline(kept.text, 300)}"


def topic_removed_text(topic: TopicInfo) -> str:
    """The answer to /topic remove."""
    return f"Topic #{topic.id} is removed."


def cleared_text(removed: int, scope: TopicScope, proposer_mention: str | None) -> str:
    """The answer to /topic clear: how many went, whose (when one member's), and where."""
    whose = f" proposed by {proposer_mention}" if proposer_mention else ""
    return f"Removed {plural(removed, 'open topic')}{whose} for {scope_text(scope)}."


def topic_line(topic: TopicInfo) -> str:
    by = f" · {user_mention(topic.proposed_by)}" if topic.proposed_by else ""
    return f"**#{topic.id}** {inline(topic.text, 300)}{by}"


def scope_text(scope: TopicScope) -> str:
    """Whose topics: a circle's, or a channel's (as a link to it)."""
    if scope.schedule_id is not None:
        return f"the circle of schedule #{scope.schedule_id}"
    return channel_mention(scope.channel_id)


def topics_embed(scope: TopicScope, topics: Sequence[TopicInfo]) -> discord.Embed:
    lines = [f"For {scope_text(scope)}:"]
    if not topics:
        lines.append("No open topics yet. Propose one with `/topic propose`.")
    for shown, topic in enumerate(topics):
        line = topic_line(topic)
        if len("\n".join(lines)) + len(line) > EMBED_DESCRIPTION_LIMIT - 120:
            lines.append(
                f"…and {len(topics) - shown} more. Merge or remove duplicates with "
                "`/topic merge` and `/topic remove`."
            )
            break
        lines.append(line)
    embed = discord.Embed(
        title=f"Open topics ({len(topics)})", description="\n".join(lines), colour=OPEN_COLOUR
    )
    embed.set_footer(text="/vote open without options puts these to a vote")
    return embed


def _outcome(state: VoteState) -> str:
    """A closed vote's outcome in a few words."""
    result = state.result
    assert result is not None  # a closed vote's result is always shown
    if state.is_motion:
        m = result.motion
        counts = (
            f"{m.agree} agree, {m.disagree} disagree, {m.stand_aside} stood aside, "
            f"{m.block} blocked"
            if m is not None
            else ""
        )
        return f"{'passed' if result.passed else 'failed'} ({counts})"
    ballots = plural(result.ballots, "ballot")
    if result.winner is not None:
        how = " on the tie-break" if result.tie_break is not None else ""
        return f"“{result.labels[result.winner]}” won{how} ({ballots})"
    if not result.ballots:
        return "no decision: nobody voted"
    if not result.quorum.met:
        return f"no decision: quorum not met ({ballots})"
    return f"no single winner ({ballots})"


def digest_line(state: VoteState) -> str:
    """A closed vote's plain line in its section's digest. The question is cut short so that
    the outcome after it stays within the digest's line (a motion may run to 1,000
    characters)."""
    question = shorten(state.question, DIGEST_QUESTION_CHARS)
    return f"{kind_word(state)} #{state.id}, “{question}”: {_outcome(state)}."
