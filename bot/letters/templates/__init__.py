"""The built-in appeal letter templates (package data; a practice overrides them by file name)."""
