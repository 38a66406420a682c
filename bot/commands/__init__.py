"""The `/denials` grammar: words in, typed requests out, one table that parses, answers and
documents every subcommand (so the help text cannot drift from what runs)."""
