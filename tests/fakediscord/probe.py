"""A test-only cog that exercises every kind of interaction the fake Discord can build.

Its answers echo what discord.py parsed, so tests can check that the fake's payloads are
understood exactly as Discord's would be.
"""

from __future__ import annotations

import asyncio
import time

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserError

BOOKS = ["Mass Organizations", "Pedagogy of the Oppressed", "The Dispossessed", "Walden"]


class ProbeModal(discord.ui.Modal, title="Reflect"):
    reflection: discord.ui.Label[ProbeModal] = discord.ui.Label(
        text="Your reflection",
        component=discord.ui.TextInput(
            custom_id="probe:reflection", style=discord.TextStyle.paragraph, max_length=4000
        ),
    )
    note: discord.ui.TextInput[ProbeModal] = discord.ui.TextInput(
        label="A short note", custom_id="probe:note", required=False
    )
    visibility: discord.ui.Label[ProbeModal] = discord.ui.Label(
        text="Who may see it",
        component=discord.ui.Select(
            custom_id="probe:visibility",
            options=[
                discord.SelectOption(label="Only me", value="private"),
                discord.SelectOption(label="Everyone, later", value="later"),
            ],
        ),
    )

    def __init__(self) -> None:
        super().__init__(custom_id="probe:modal")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        text_input = self.reflection.component
        select = self.visibility.component
        assert isinstance(text_input, discord.ui.TextInput)
        assert isinstance(select, discord.ui.Select)
        await interaction.response.send_message(
            f"reflection={text_input.value};note={self.note.value};visibility={','.join(select.values)}",
            ephemeral=True,
        )


class ProbeView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=60)

    @discord.ui.button(
        label="Reflect", custom_id="probe:reflect", style=discord.ButtonStyle.primary
    )
    async def reflect(
        self, interaction: discord.Interaction, _button: discord.ui.Button[ProbeView]
    ) -> None:
        await interaction.response.send_modal(ProbeModal())

    @discord.ui.button(label="Count", custom_id="probe:count")
    async def count(
        self, interaction: discord.Interaction, button: discord.ui.Button[ProbeView]
    ) -> None:
        button.label = "Counted"
        await interaction.response.edit_message(content="counted", view=self)

    @discord.ui.select(
        custom_id="probe:books",
        options=[discord.SelectOption(label=book, value=str(i)) for i, book in enumerate(BOOKS)],
        max_values=2,
    )
    async def books(
        self, interaction: discord.Interaction, select: discord.ui.Select[ProbeView]
    ) -> None:
        await interaction.response.send_message(f"books={','.join(select.values)}", ephemeral=True)

    @discord.ui.select(cls=discord.ui.UserSelect, custom_id="probe:people", max_values=2)
    async def people(
        self, interaction: discord.Interaction, select: discord.ui.UserSelect[ProbeView]
    ) -> None:
        names = ",".join(sorted(str(user.id) for user in select.values))
        await interaction.response.send_message(f"people={names}", ephemeral=True)


class Probe(commands.GroupCog, group_name="probe", group_description="Test probe"):
    def __init__(self) -> None:
        self.later_posts: list[asyncio.Task[None]] = []

    async def cog_unload(self) -> None:
        for task in self.later_posts:
            task.cancel()

    @app_commands.command(name="echo", description="Echo what discord.py parsed")
    async def echo(
        self,
        interaction: discord.Interaction,
        text: str,
        count: app_commands.Range[int, 1, 10],
        who: discord.Member,
        where: discord.TextChannel | discord.Thread | discord.ForumChannel,
        role: discord.Role,
        file: discord.Attachment | None = None,
    ) -> None:
        attached = "none"
        if file is not None:
            attached = f"{file.filename}:{(await file.read()).decode()}"
        await interaction.response.send_message(
            f"text={text};count={count};who={who.id}:{type(who).__name__};where={where.id};"
            f"role={role.id};file={attached};guild={interaction.guild_id}",
            ephemeral=True,
        )

    @app_commands.command(name="defer", description="Defer, then answer with follow-ups")
    async def defer(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await asyncio.sleep(0.05)
        await interaction.followup.send("first")
        await interaction.followup.send("second", ephemeral=True)

    @app_commands.command(name="panel", description="Post a message with buttons and selects")
    async def panel(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("panel", view=ProbeView())

    @app_commands.command(name="pick", description="Pick a book (autocomplete)")
    async def pick(self, interaction: discord.Interaction, book: str) -> None:
        await interaction.response.send_message(f"picked={book}", ephemeral=True)

    @pick.autocomplete("book")
    async def pick_book(
        self, _interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=b, value=b) for b in BOOKS if current.lower() in b.lower()]

    @app_commands.command(name="slow", description="Answer after a pause")
    async def slow(self, interaction: discord.Interaction, seconds: float) -> None:
        await asyncio.sleep(seconds)
        await interaction.response.send_message("late", ephemeral=True)

    @app_commands.command(name="work", description="Answer, work a while, then follow up")
    async def work(self, interaction: discord.Interaction, seconds: float) -> None:
        await interaction.response.send_message("started", ephemeral=True)
        # Work that sends nothing for a while, as a slow database query does.
        await asyncio.to_thread(time.sleep, seconds)
        await interaction.followup.send("finished", ephemeral=True)

    @app_commands.command(name="later", description="Answer now, post again after a while")
    async def later(self, interaction: discord.Interaction, seconds: float) -> None:
        await interaction.response.send_message("now", ephemeral=True)
        channel = interaction.channel
        assert isinstance(channel, discord.TextChannel)
        self.later_posts.append(asyncio.create_task(self._post_later(channel, seconds)))

    async def _post_later(self, channel: discord.TextChannel, seconds: float) -> None:
        await asyncio.sleep(seconds)
        await channel.send("later")

    @app_commands.command(name="mistake", description="Raise a UserError")
    async def mistake(self, interaction: discord.Interaction, deferred: bool = False) -> None:
        if deferred:
            await interaction.response.defer(ephemeral=True)
        raise UserError("There is no reading #42 in this server.", hint="See /reading list.")

    @app_commands.command(name="bug", description="Raise an unexpected error")
    async def bug(self, interaction: discord.Interaction) -> None:
        raise RuntimeError("the probe broke on purpose")

    @app_commands.command(name="admin", description="Needs Manage Server")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def admin(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("admin ok", ephemeral=True)
