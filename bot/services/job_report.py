"""What one run of a scheduled job did, in words for the CLI and the error report."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class JobReport:
    """What one run of a job did, in words for the CLI and the error report (no PHI)."""

    job: str
    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        if not (self.sent or self.skipped or self.errors):
            return [f"{self.job}: nothing to do."]
        lines = [f"{self.job}: {line}" for line in self.sent + self.skipped]
        return lines + [f"{self.job}: error: {line}" for line in self.errors]
