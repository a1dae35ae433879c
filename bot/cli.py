"""The command-line interface. Each command returns a process exit code:

0 done; 1 failed in a way that may pass (a file that cannot be read or split, Discord or the
database out of reach); 2 a setting or an argument must change first (a missing or rejected
token, a wrong setting; argparse's usage errors are 2 as well). `health` is 0 or 1.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bot import __version__

if TYPE_CHECKING:
    from bot.settings import Settings

NO_TOKEN_HELP = """\
Study Circle needs a Discord bot token to run.

  1. Open https://discord.com/developers/applications and create an application.
  2. Under "Bot", press "Reset Token" and copy the token.
  3. Put it in the environment, or in a file named .env in this folder:
         DISCORD_TOKEN=your-token-here
  4. Run `python -m bot invite` to get the link that adds the bot to your server.

To look at how a text would be split without Discord, try `python -m bot preview`."""

# Inside the image (its Dockerfile sets STUDY_CIRCLE_IMAGE) there is no folder to speak of.
NO_TOKEN_HELP_IN_IMAGE = """\
Study Circle needs a Discord bot token to run.

  1. Open https://discord.com/developers/applications and create an application.
  2. Under "Bot", press "Reset Token" and copy the token.
  3. Give it to the container as the environment variable DISCORD_TOKEN:
         docker run --env DISCORD_TOKEN=your-token-here ...
     With docker compose, write DISCORD_TOKEN=your-token-here in the .env file next to
     docker-compose.yml, then `docker compose up -d` again.
  4. `docker compose run --rm bot invite` prints the link that adds the bot to your server.

The container stops here: restarting it will not help until the token is set."""


def no_token_help() -> str:
    """How to get a token and where to put it, for this way of running the bot."""
    return NO_TOKEN_HELP_IN_IMAGE if os.environ.get("STUDY_CIRCLE_IMAGE") else NO_TOKEN_HELP


def _fail(message: str, code: int = 2) -> int:
    print(f"study-circle: {message}", file=sys.stderr)
    return code


def _settings() -> Settings:
    from bot.settings import load_settings

    return load_settings()


def cmd_preview(args: argparse.Namespace) -> int:
    from bot.drafting import parse_on_every_core
    from bot.preview import render
    from bot.reading.prompts import TextKind
    from bot.reading.text import TextFormatError
    from bot.seeds import default_seed, load_seed

    seed = default_seed() if args.file is None else None
    path = seed.path if seed else Path(args.file)
    if seed is None and path.resolve().parent == default_seed().path.parent:
        seed = load_seed(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return _fail(f"there is no file at {path}", 1)
    except (IsADirectoryError, PermissionError) as exc:
        return _fail(f"cannot read {path}: {exc.strerror}", 1)
    try:
        reading = parse_on_every_core(
            data,
            path.name,
            title=args.title or (seed.title if seed else None),
            language=args.language or (seed.language if seed else None),
            target_words=args.target_words,
            kind=TextKind(args.kind) if args.kind else None,
        )
    except TextFormatError as exc:
        return _fail(str(exc), 1)
    if args.llm:
        from bot.services.model_prompts import ModelConfig, reading_with_model

        config = ModelConfig.from_settings(_settings())
        if config is None:
            return _fail("--llm needs PROMPTS_LLM_BASE_URL and PROMPTS_LLM_MODEL to be set.")
        print(f"Asking {config.model} at {config.url} …", file=sys.stderr)
        report = lambda line: print(line, file=sys.stderr)  # noqa: E731
        reading = asyncio.run(reading_with_model(reading, config, report))
    sys.stdout.write(render(reading, args.format))
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from bot.db import trouble
    from bot.db.migrate import BASE, current_revision, migrate_to, upgrade_to_head

    if args.to == BASE:
        return _fail(
            "`--to base` would delete every table of the bot; to start over, remove the "
            "database itself (its SQLite file, or `dropdb`)."
        )
    settings = _settings()

    undone: list[str] = []

    async def migrate() -> str | None:
        try:
            if args.to is None:
                await upgrade_to_head(settings.database_url)
            else:
                undone.extend(await migrate_to(settings.database_url, args.to, undo=args.yes))
            return await current_revision(settings.database_url)
        except Exception:
            await trouble.sqlite_threads_finished()
            raise

    try:
        revision = asyncio.run(migrate())
    except Exception as exc:
        problem = trouble.explain(exc, settings.database_url)
        if problem is None:
            raise
        return _fail(problem.message, problem.exit_code)
    for step in undone:
        print(f"Undid {step}.")
    print(f"Database is at revision {revision}.")
    return 0


def cmd_run(_args: argparse.Namespace) -> int:
    settings = _settings()
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        print(no_token_help(), file=sys.stderr)
        return 2
    from bot import runner

    return runner.run(settings)


def cmd_sync(_args: argparse.Namespace) -> int:
    settings = _settings()
    if settings.discord_token is None:
        return _fail("DISCORD_TOKEN is not set; `python -m bot run` explains how to get one.")
    from bot import runner

    return runner.sync(settings)


def cmd_invite(args: argparse.Namespace) -> int:
    from bot import runner

    return runner.invite(_settings(), args.client_id)


def cmd_health(_args: argparse.Namespace) -> int:
    from bot import heartbeat

    settings = _settings()
    if settings.health_file is None:
        return _fail("HEALTH_FILE is not set, so the bot writes no heartbeat to check.", 1)
    health = heartbeat.judge(heartbeat.read(settings.health_file), time.time())
    if not health.healthy:
        return _fail(f"unhealthy: {health.summary}", 1)
    print(f"healthy: {health.summary}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    called = Path(sys.argv[0]).name
    parser = argparse.ArgumentParser(
        prog=called if called == "study-circle" else "python -m bot",
        description="Study Circle: a Discord bot for reading groups.",
    )
    parser.add_argument("--version", action="version", version=f"Study Circle {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="migrate the database, then run the bot")
    run.set_defaults(handler=cmd_run)

    migrate = commands.add_parser("migrate", help="upgrade the database to the newest schema")
    migrate.add_argument(
        "--to",
        metavar="REVISION",
        help="move the schema up or down to this revision instead, e.g. before running an "
        "older release (its newest migration's number, such as 0012)",
    )
    migrate.add_argument(
        "--yes",
        action="store_true",
        help="with --to, allow a step down: it drops what the newer migrations added, with "
        "its contents (stop the bot and back the database up first)",
    )
    migrate.set_defaults(handler=cmd_migrate)

    preview = commands.add_parser(
        "preview", help="show how a text is split into sections (no Discord, no database)"
    )
    preview.add_argument(
        "file", nargs="?", help="a .txt, .md, .html, .epub or .pdf file (default: bundled reading)"
    )
    preview.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    preview.add_argument(
        "--title", help="title to show (default: the book's own, else the file name)"
    )
    preview.add_argument(
        "--language", help="the text's language code, e.g. en or it (default: detected)"
    )
    preview.add_argument(
        "--kind",
        # TextKind's values, written out: the parser is built for every command (the health
        # check's too), and importing TextKind imports the whole prompt engine.
        choices=("argument", "story", "drama", "verse", "dialogue"),
        help="the kind of text, which shapes the prompts (default: detected)",
    )
    preview.add_argument(
        "--target-words", type=_target_words, default=1500, help="section length to aim for"
    )
    preview.add_argument(
        "--llm",
        action="store_true",
        help="have the model set by PROMPTS_LLM_* rewrite the prompts (sends each section)",
    )
    preview.set_defaults(handler=cmd_preview)

    sync = commands.add_parser("sync", help="push the slash commands to Discord now")
    sync.set_defaults(handler=cmd_sync)

    invite = commands.add_parser("invite", help="print the link that adds the bot to a server")
    invite.add_argument("--client-id", type=int, help="application id (default: from the token)")
    invite.set_defaults(handler=cmd_invite)
    health = commands.add_parser(
        "health", help="exit 0 if the running bot is connected and its scheduler alive"
    )
    health.set_defaults(handler=cmd_health)
    return parser


def _target_words(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if not 50 <= number <= 100_000:
        raise argparse.ArgumentTypeError("choose a number between 50 and 100000")
    return number


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run one command, return its exit code."""
    from bot.settings import SettingsError

    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except SettingsError as exc:
        return _fail(f"configuration problem: {exc}")
    except KeyboardInterrupt:
        return 130
