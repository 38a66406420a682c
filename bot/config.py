"""Settings from the environment or a `.env` file; every problem is reported at once."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.domain.schedule import WeeklySlot
from bot.errors import InputError

DEFAULT_DATABASE_URL = "sqlite:///denials.db"


class PhiMode(StrEnum):
    MINIMAL = "minimal"  # no patient names, birth dates or member ids in Slack or logs
    FULL = "full"


class Settings(BaseSettings):
    """Everything the bot reads from its environment (DESIGN.md section 3)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    slack_bot_token: str | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_api_url: str | None = Field(default=None, alias="SLACK_API_URL")
    database_url: str = Field(default=DEFAULT_DATABASE_URL, alias="DENIALS_DATABASE_URL")
    channel: str | None = Field(default=None, alias="DENIALS_CHANNEL")
    managers: Annotated[tuple[str, ...], NoDecode] = Field(default=(), alias="DENIALS_MANAGERS")
    timezone: str = Field(default="America/New_York", alias="DENIALS_TIMEZONE")
    payer_rules: Path | None = Field(default=None, alias="DENIALS_PAYER_RULES")
    root_cause_table: Path | None = Field(default=None, alias="DENIALS_ROOT_CAUSES")
    inbox: Path | None = Field(default=None, alias="DENIALS_INBOX")
    phi: PhiMode = Field(default=PhiMode.MINIMAL, alias="DENIALS_PHI")
    letter_templates: Path | None = Field(default=None, alias="DENIALS_TEMPLATES")
    letters_dir: Path | None = Field(default=None, alias="DENIALS_LETTERS_DIR")
    port: int = Field(default=3000, alias="PORT")
    digest_cron: str = Field(default="mon 08:00", alias="DENIALS_DIGEST_AT")
    warning_days: Annotated[tuple[int, ...], NoDecode] = Field(
        default=(14, 7, 3, 1), alias="DENIALS_WARNING_DAYS"
    )

    @field_validator("managers", mode="before")
    @classmethod
    def _split_managers(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("warning_days", mode="before")
    @classmethod
    def _split_days(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return tuple(int(part) for part in value.split(",") if part.strip())
            except ValueError:
                raise ValueError(
                    f"DENIALS_WARNING_DAYS={value!r} must be whole days, like 14,7,3,1"
                ) from None
        return value

    @field_validator("digest_cron")
    @classmethod
    def _weekly_slot(cls, value: str) -> str:
        WeeklySlot.parse(value)  # raises with what a valid value looks like
        return value

    @field_validator("warning_days")
    @classmethod
    def _positive_days(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value or any(day < 1 for day in value):
            raise ValueError(
                "DENIALS_WARNING_DAYS must be whole days before the deadline, like 14,7,3,1"
            )
        return tuple(sorted(set(value), reverse=True))

    @field_validator("letter_templates")
    @classmethod
    def _templates_folder(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError(
                f"DENIALS_TEMPLATES={value} is not a folder: point it at the folder that holds "
                "your letter templates (files named like the built-in ones), or unset it"
            )
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}; use an IANA name") from error
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def slack_problems(self) -> list[str]:
        """What stops the bot from talking to Slack, each with how to fix it."""
        problems: list[str] = []
        if not self.slack_bot_token:
            problems.append(
                "SLACK_BOT_TOKEN is not set: install the app (created from manifest.yml) to your "
                "workspace and copy the Bot User OAuth Token (xoxb-...) from OAuth & Permissions."
            )
        elif not self.slack_bot_token.startswith("xoxb-"):
            problems.append(
                "SLACK_BOT_TOKEN must be the bot token starting with xoxb- "
                "(OAuth & Permissions), not a user or app token."
            )
        if self.slack_app_token:
            if not self.slack_app_token.startswith("xapp-"):
                problems.append(
                    "SLACK_APP_TOKEN must be an app-level token starting with xapp- "
                    "(Basic Information > App-Level Tokens, scope connections:write)."
                )
        elif not self.slack_signing_secret:
            problems.append(
                "SLACK_SIGNING_SECRET is not set: copy the Signing Secret from Basic Information "
                "(HTTP mode), or set SLACK_APP_TOKEN (xapp-...) to use Socket Mode instead."
            )
        if not self.channel:
            problems.append(
                "DENIALS_CHANNEL is not set: the id of the channel for new denials and digests "
                "(channel details > About, starts with C); invite the bot to it."
            )
        elif not self.channel.startswith(("C", "G")):
            problems.append(
                f"DENIALS_CHANNEL={self.channel} is not a channel id: "
                "use the id (C...), not the name."
            )
        return problems


def load_settings(**overrides: object) -> Settings:
    """Read settings; turn pydantic's errors into one readable message."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        lines = []
        for problem in error.errors():
            where = ".".join(str(part) for part in problem["loc"]) or "settings"
            lines.append(f"- {where}: {problem['msg']}")
        raise InputError("The settings have problems:\n" + "\n".join(lines)) from None
