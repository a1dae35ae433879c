"""Command line: `python -m bot run | migrate | preview | sync | invite`."""

from bot.cli import main

raise SystemExit(main())
