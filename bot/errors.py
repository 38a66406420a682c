"""The one exception tree: what can go wrong that a caller must tell apart, and nothing else.

    DenialsError                 the root: `str(error)` is what to tell the person, as it is
    ├── InputError               what they gave is wrong (a file, a row, a setting, a word);
    │   │                        says where (segment, line) when it is in a file
    │   ├── MissingColumnsError  (bot.importers.csv_report) a report lacks a column every
    │   │                        import needs, with what was understood: the person is asked
    │   ├── BadRowsError         (bot.importers.csv_report) claim rows of a report cannot be
    │   │                        read: which, and how many others `--skip-bad-rows` imports
    │   └── AboveBilledError     (bot.domain.bounds) more recovered than was billed: the
    │                            caller says how to confirm it
    ├── ConflictError            the thing is not in a state that allows it: changed
    │                            meanwhile, closed, already done, or gone. Look again
    ├── NotAllowedError          this person may not do this; the message says who may
    ├── SlackUnavailableError    Slack cannot be reached or asked us to wait: retried later
    └── DatabaseBusyError        other work holds the database: try again in a moment

Raise the kind that says what the caller should do: a listener shows any `DenialsError` to the
person (and redraws the card after a `ConflictError`), a form keeps it open beside the field,
the CLI prints it (exit 2 for `InputError`, 1 for the rest). Messages never carry patient data.
None of these is used for ordinary control flow: a function that can end early, or find nothing,
returns a value that says so.
"""

from __future__ import annotations


class DenialsError(Exception):
    """Something we refuse, or cannot do now; `str(error)` says why and what to do next."""


class InputError(DenialsError):
    """The input is wrong (a file, a row, a setting, a typed word): fix it and try again.

    In a file, `segment_number` and `segment_id` (X12) or `line_number` (CSV, YAML) say where;
    `str(error)` then starts with it ("segment 12 (CAS): …", "line 4: …").
    """

    def __init__(
        self,
        message: str,
        *,
        segment_number: int | None = None,
        segment_id: str | None = None,
        line_number: int | None = None,
    ) -> None:
        self.message = message
        self.segment_number = segment_number
        self.segment_id = segment_id
        self.line_number = line_number
        super().__init__(self.describe())

    def describe(self) -> str:
        if self.segment_number is not None:
            where = f"segment {self.segment_number}"
            if self.segment_id:
                where += f" ({self.segment_id})"
            return f"{where}: {self.message}"
        if self.line_number is not None:
            return f"line {self.line_number}: {self.message}"
        return self.message


class ConflictError(DenialsError):
    """The thing is not in a state that allows this (changed meanwhile, closed, already done,
    or gone): look at it again, then decide."""


class NotAllowedError(DenialsError):
    """This person may not do this; the message says who may."""


class SlackUnavailableError(DenialsError):
    """Slack cannot be reached, or asked us to slow down: the work is retried later.

    `maybe_sent`: the call left and its answer was lost, late or a server error, so Slack may
    have done it (posted the message): look for it before sending it again. `retry_after`: the
    seconds Slack asked us to wait (a 429); nothing was done. See `bot.slack.taken`.
    """

    def __init__(
        self, message: str = "", *, maybe_sent: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(message or "Slack cannot be reached right now; it is tried again later.")
        self.maybe_sent = maybe_sent
        self.retry_after = retry_after


class DatabaseBusyError(DenialsError):
    """Other work holds the database: nothing was changed, and trying again shortly works."""
