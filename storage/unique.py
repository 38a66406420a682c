"""Insert a row unless its unique key is taken: the one step every exactly-once ledger takes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import Base


def insert_if_new(
    session: Session, model: type[Base], values: dict[str, Any], unique: list[str]
) -> bool:
    """INSERT ... ON CONFLICT (`unique`) DO NOTHING RETURNING id: True when this row went in,
    False when another transaction (another thread, another replica) had the key first.

    (`rowcount` cannot tell: with RETURNING, psycopg reports -1 whatever happened.)
    """
    name = session.get_bind().dialect.name
    if name not in ("postgresql", "sqlite"):  # any other database: the constraint decides
        try:
            with session.begin_nested():
                session.execute(insert(model).values(**values))
        except IntegrityError:
            return False
        return True
    dialect_insert = postgresql.insert if name == "postgresql" else sqlite.insert
    statement = (
        dialect_insert(model)
        .values(**values)
        .on_conflict_do_nothing(index_elements=unique)
        .returning(model.__table__.c.id)
    )
    return session.execute(statement).scalar_one_or_none() is not None
