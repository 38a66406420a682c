"""The session factory every use case is given.

Services open, commit and close their own sessions; the layers above only pass the factory
along (`Deps.sessions`, `CommandContext.sessions`), so they need no SQLAlchemy of their own.
"""

from __future__ import annotations

from typing import TypeAlias

from sqlalchemy.orm import Session, sessionmaker

Sessions: TypeAlias = sessionmaker[Session]
