"""Discord features, one package each (`bot/exts/<feature>/`).

Every module here that defines `async def setup(bot)` is loaded at start (`bot.app`), so a
new feature is a new package whose `__init__.py` adds its cog. Keep the glue thin: parse the
interaction, call a service, render the answer (`render.py` beside the cog). Every handler
answers through `interactions` (`when_ready`, then `reply` or `update`), which also says who is
asking (`guild_member`, `@facilitator_only`) and is how a button, menu, modal or transformer
reaches the services (`services_of`) and its feature's own cog (an `OwnCog`); a cog reaches
the services as `self.bot.services`; id options are the Transformers of `options`;
text goes through `text`. A feature never imports another feature's cog.

Buttons, menus and modals that must keep working after a restart are declared on the cog as
`dynamic_items`: `discord.ui.DynamicItem` subclasses and `interactions.DynamicModal`s, each
answered from its custom_id (which encodes the ids), registered by `setup_hook` once all
features are loaded.

Errors: raise `bot.errors.UserError` for anything the user should be told;
`interactions.report_interaction_error` shows it ephemerally (the `errors` extension installs it on
the command tree). Component callbacks are wrapped in `@interactions.reports_errors`; `bot.modals`
reports a modal handler's failure the same way.
"""
