"""Command line: `python -m bot run | migrate | preview | sync | invite | health`."""

from bot.cli import main

raise SystemExit(main())
