"""The one exception tree: what can go wrong that a caller must tell apart, and nothing else.

    DenialsError              the root: `str(error)` is what to tell the person, as it is
    ├── InputError            what they gave is wrong (a file, a row, a setting, a word)
    ├── ConflictError         someone else changed it meanwhile, or it is gone
    ├── NotAllowedError       this person may not do this
    ├── SlackUnavailableError Slack cannot be reached or asked us to wait: retried later
    └── DatabaseBusyError     other work holds the database: try again in a moment

Raise the kind that says what the caller should do; catch `DenialsError` where any refusal is
shown as it is (a listener's ephemeral reply, the CLI's one line). Messages never carry patient
data. None of these is used for ordinary control flow: a function that can end early returns
a value that says so.
"""

from __future__ import annotations


class DenialsError(Exception):
    """Something we refuse, or cannot do now; `str(error)` says why and what to do next."""


class InputError(DenialsError):
    """The input is wrong (a file, a row, a setting, a typed word): fix it and try again."""


class ConflictError(DenialsError):
    """Someone changed the thing meanwhile, or it is gone: look at it again, then retry."""


class NotAllowedError(DenialsError):
    """This person may not do this; the message says who may."""


class SlackUnavailableError(DenialsError):
    """Slack cannot be reached, or asked us to slow down: the work is retried later."""


class DatabaseBusyError(DenialsError):
    """Other work holds the database: nothing was changed, and trying again shortly works."""
