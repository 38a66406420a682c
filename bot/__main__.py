"""`python -m bot` is the `denials` command."""

from bot.cli import main

raise SystemExit(main())
