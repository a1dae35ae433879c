"""Ballot components. All are dynamic items: the custom_id carries the vote (and, for the
private ranked ballot, the ranking so far), so they keep working after a restart.

- approval: a menu on the vote message (`sc:vote:<id>:approve`);
- single choice: a button per option (`sc:vote:<id>:pick:<n>`), or a menu past 20 options;
- ranked: a button (`sc:vote:<id>:rank`) opening a private ballot whose menu and buttons
  carry the ranking in base 26 (`sc:rank:<id>:<order>:add|undo|clear|submit`);
- motions: agree, disagree, stand aside, and block, which asks for a reason in a modal
  (`sc:vote:<id>:block`), a `DynamicModal` answered from the submission alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import discord

from bot.errors import UserError
from bot.exts.discord_limits import SELECT_LABEL_LIMIT
from bot.exts.interactions import (
    DynamicModal,
    ModalValues,
    OwnCog,
    dynamic_view,
    guild_member,
    reply,
    reports_errors,
    services_of,
    update,
    when_ready,
)
from bot.exts.options import chosen_ids
from bot.exts.votes import render
from bot.services.votes import VoteState
from bot.voting import VoteMethod
from bot.voting.consensus import MAX_REASON, STANCES, Stance
from bot.voting.results import BallotError, check_options

if TYPE_CHECKING:
    from bot.exts.votes.cog import VotesCog

SINGLE_BUTTONS_MAX = 20  # 4 rows of 5; more options go in a menu
DIGITS = "0123456789abcdefghijklmnop"  # one character per option index, 0 to 25
REASON_ID = "reason"
_STYLE = {
    Stance.AGREE: discord.ButtonStyle.success,
    Stance.DISAGREE: discord.ButtonStyle.secondary,
    Stance.STAND_ASIDE: discord.ButtonStyle.secondary,
    Stance.BLOCK: discord.ButtonStyle.danger,
}


# The votes cog, whose live tally a ballot pokes; `VotesCog.own` binds it.
VOTES_COG: OwnCog[VotesCog] = OwnCog()


async def cast(
    interaction: discord.Interaction,
    vote_id: int,
    choice: Any,
    *,
    reason: str | None = None,
    ranking: list[int] | None = None,
) -> None:
    """Cast (or change) the member's ballot and confirm it to them alone. Every ballot comes
    this way: a button, a menu, a block's reason, a submitted ranking (whose private ballot
    message becomes the confirmation)."""
    live = VOTES_COG.of(interaction).live
    guild, member = guild_member(interaction)
    receipt = await when_ready(
        interaction,
        services_of(interaction).votes.ballots.cast(guild.id, vote_id, member.id, choice, reason),
        edit=ranking is not None,
    )
    live.poke(vote_id)  # hidden results still show the number of ballots
    if ranking is None:
        await reply(interaction, render.receipt_text(receipt))
    else:
        saved = render.ranking_text(receipt.vote, ranking, saved=True)
        await update(interaction, content=saved, view=None)


async def show_ranking(interaction: discord.Interaction, vote_id: int, order: list[int]) -> None:
    """The private ranked ballot, edited to show `order` so far."""
    ballots = services_of(interaction).votes.ballots
    guild, _ = guild_member(interaction)
    vote = await when_ready(interaction, ballots.open_state(guild.id, vote_id), edit=True)
    try:  # a ranking so far names only the vote's options, as the ballot it becomes must
        check_options(order, len(vote.options))
    except BallotError as exc:
        raise UserError(str(exc)) from None
    await update(
        interaction, content=render.ranking_text(vote, order), view=ranking_view(vote, order)
    )


def encode_order(order: Sequence[int]) -> str:
    return "".join(DIGITS[i] for i in order)


def decode_order(text: str) -> list[int]:
    return [DIGITS.index(c) for c in text]


def _button(item: discord.ui.Item[Any]) -> discord.ui.Button | None:
    return item if isinstance(item, discord.ui.Button) else None


class PickButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"sc:vote:(?P<vote>\d+):pick:(?P<n>\d+)"
):
    """Single choice: a ballot for one option."""

    def __init__(
        self, vote_id: int, index: int, label: str = "", *, button: discord.ui.Button | None = None
    ) -> None:
        super().__init__(
            button
            or discord.ui.Button(
                label=label or str(index + 1),
                style=discord.ButtonStyle.primary,
                custom_id=f"sc:vote:{vote_id}:pick:{index}",
            )
        )
        self.vote_id, self.index = vote_id, index

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PickButton:
        # The clicked button, as discord.py read it from the message: a whole server clicks
        # these at once, and building a second button for each click is work for nothing.
        return cls(int(match["vote"]), int(match["n"]), button=_button(item))

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        await cast(interaction, self.vote_id, self.index)


def _options(vote: VoteState, indices: Sequence[int]) -> list[discord.SelectOption]:
    return [
        discord.SelectOption(
            label=render.option_label(i, vote.options[i], SELECT_LABEL_LIMIT), value=str(i)
        )
        for i in indices
    ]


class PickSelect(discord.ui.DynamicItem[discord.ui.Select], template=r"sc:vote:(?P<vote>\d+):pick"):
    """Single choice with many options: a menu."""

    def __init__(self, vote_id: int, options: list[discord.SelectOption] | None = None) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=f"sc:vote:{vote_id}:pick",
                placeholder="Choose one option",
                options=options or [],
            )
        )
        self.vote_id = vote_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PickSelect:
        return cls(int(match["vote"]))

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        await cast(interaction, self.vote_id, _chosen(interaction)[0])


class ApproveSelect(
    discord.ui.DynamicItem[discord.ui.Select], template=r"sc:vote:(?P<vote>\d+):approve"
):
    """Approval: every option the member accepts."""

    def __init__(
        self,
        vote_id: int,
        options: list[discord.SelectOption] | None = None,
        low: int = 1,
        high: int = 1,
    ) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=f"sc:vote:{vote_id}:approve",
                placeholder="Approve every option you accept",
                options=options or [],
                min_values=low,
                max_values=high,
            )
        )
        self.vote_id = vote_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ApproveSelect:
        return cls(int(match["vote"]))

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        await cast(interaction, self.vote_id, sorted(_chosen(interaction)))


class RankButton(discord.ui.DynamicItem[discord.ui.Button], template=r"sc:vote:(?P<vote>\d+):rank"):
    """Ranked: opens the member's private ballot."""

    def __init__(self, vote_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Rank the options",
                emoji="🗳️",
                style=discord.ButtonStyle.primary,
                custom_id=f"sc:vote:{vote_id}:rank",
            )
        )
        self.vote_id = vote_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> RankButton:
        return cls(int(match["vote"]))

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        service = services_of(interaction).votes
        guild, member = guild_member(interaction)
        vote, current = await when_ready(
            interaction, service.ballots.start_ballot(guild.id, self.vote_id, member.id)
        )
        order = list(current or [])
        await reply(interaction, render.ranking_text(vote, order), view=ranking_view(vote, order))


class RankAdd(
    discord.ui.DynamicItem[discord.ui.Select],
    template=r"sc:rank:(?P<vote>\d+):(?P<order>[0-9a-p]*):add",
):
    """The private ballot's menu: the next preference."""

    def __init__(
        self, vote_id: int, order: str, options: list[discord.SelectOption] | None = None
    ) -> None:
        place = len(order) + 1
        super().__init__(
            discord.ui.Select(
                custom_id=f"sc:rank:{vote_id}:{order}:add",
                placeholder=f"Your choice number {place}",
                options=options or [],
            )
        )
        self.vote_id, self.order = vote_id, order

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> RankAdd:
        return cls(int(match["vote"]), match["order"])

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        order = decode_order(self.order)
        picked = _chosen(interaction)[0]
        if picked not in order:
            order.append(picked)
        await show_ranking(interaction, self.vote_id, order)


class RankStep(StrEnum):
    """What a button of the private ranked ballot does; the value ends its custom_id."""

    UNDO = "undo"
    CLEAR = "clear"
    SUBMIT = "submit"


class RankAction(
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"sc:rank:(?P<vote>\d+):(?P<order>[0-9a-p]*):(?P<action>{'|'.join(RankStep)})",
):
    """The private ballot's buttons: undo the last choice, start again, or submit."""

    LABELS: dict[RankStep, tuple[str, discord.ButtonStyle]] = {  # noqa: RUF012
        RankStep.UNDO: ("Undo", discord.ButtonStyle.secondary),
        RankStep.CLEAR: ("Start again", discord.ButtonStyle.secondary),
        RankStep.SUBMIT: ("Submit ballot", discord.ButtonStyle.success),
    }

    def __init__(self, vote_id: int, order: str, action: RankStep) -> None:
        label, style = self.LABELS[action]
        super().__init__(
            discord.ui.Button(
                label=label,
                style=style,
                disabled=not order,
                custom_id=f"sc:rank:{vote_id}:{order}:{action}",
            )
        )
        self.vote_id, self.order, self.action = vote_id, order, action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> RankAction:
        return cls(int(match["vote"]), match["order"], RankStep(match["action"]))

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        order = decode_order(self.order)
        if self.action is RankStep.SUBMIT:
            await cast(interaction, self.vote_id, order, ranking=order)
            return
        kept = [] if self.action is RankStep.CLEAR else order[:-1]
        await show_ranking(interaction, self.vote_id, kept)


class StanceButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"sc:vote:(?P<vote>\d+):stance:(?P<stance>{'|'.join(Stance)})",
):
    """A motion's ballot: agree, disagree, stand aside, or block (with a reason)."""

    def __init__(
        self, vote_id: int, stance: Stance, *, button: discord.ui.Button | None = None
    ) -> None:
        super().__init__(
            button
            or discord.ui.Button(
                label=stance.label,
                emoji=render.STANCE_EMOJI[stance],
                style=_STYLE[stance],
                custom_id=f"sc:vote:{vote_id}:stance:{stance.value}",
            )
        )
        self.vote_id, self.stance = vote_id, stance

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> StanceButton:
        return cls(int(match["vote"]), Stance(match["stance"]), button=_button(item))

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        if self.stance is Stance.BLOCK:
            await interaction.response.send_modal(BlockReasonModal(self.vote_id).form())
            return
        await cast(interaction, self.vote_id, self.stance.value)


class BlockReasonModal(DynamicModal, template=r"sc:vote:(?P<vote>\d+):block"):
    """Why block: the group hears the reason with the result. Every member who blocks gets
    this modal under the same custom_id; each submission is answered from its own data."""

    def __init__(self, vote_id: int) -> None:
        super().__init__(f"sc:vote:{vote_id}:block")
        self.vote_id = vote_id

    @classmethod
    def from_custom_id(cls, match: re.Match[str]) -> BlockReasonModal:
        return cls(int(match["vote"]))

    def form(self) -> discord.ui.Modal:
        return self.modal(
            "Block this motion",
            discord.ui.TextInput(
                label="Your reason",
                style=discord.TextStyle.paragraph,
                placeholder="What would the group be getting wrong?",
                custom_id=REASON_ID,
                max_length=MAX_REASON,
                required=True,
            ),
        )

    async def on_submit(self, interaction: discord.Interaction, values: ModalValues) -> None:
        reason = values.text(REASON_ID)
        await cast(interaction, self.vote_id, Stance.BLOCK.value, reason=reason)


def _chosen(interaction: discord.Interaction) -> list[int]:
    """The options chosen in a vote's menu, by their numbers (from 0); whether the vote has
    them is checked with the ballot."""
    data: Mapping[str, object] = interaction.data or {}
    values = data.get("values")
    if not isinstance(values, list) or not values:
        raise UserError("Choose at least one option.")
    return chosen_ids([str(v) for v in values], "option")


def vote_view(vote: VoteState) -> discord.ui.View:
    """The components under a vote message."""
    if vote.is_motion:
        return dynamic_view(*(StanceButton(vote.id, stance) for stance in STANCES))
    if vote.method == VoteMethod.RANKED:
        return dynamic_view(RankButton(vote.id))
    every = _options(vote, range(len(vote.options)))
    if vote.method == VoteMethod.APPROVAL:
        return dynamic_view(ApproveSelect(vote.id, every, vote.min_choices, vote.max_choices))
    if len(vote.options) <= SINGLE_BUTTONS_MAX:
        return dynamic_view(
            *(
                PickButton(vote.id, i, render.option_label(i, text))
                for i, text in enumerate(vote.options)
            )
        )
    return dynamic_view(PickSelect(vote.id, every))


def ranking_view(vote: VoteState, order: Sequence[int]) -> discord.ui.View:
    """The private ranked ballot: a menu of the options not ranked yet, and the buttons."""
    code = encode_order(order)
    left = [i for i in range(len(vote.options)) if i not in order]
    menu = [RankAdd(vote.id, code, _options(vote, left))] if left else []
    return dynamic_view(*menu, *(RankAction(vote.id, code, action) for action in RankStep))


DYNAMIC_ITEMS = (
    PickButton,
    PickSelect,
    ApproveSelect,
    RankButton,
    RankAdd,
    RankAction,
    StanceButton,
)
