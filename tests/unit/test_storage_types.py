"""Money stores whole cents: the faster conversion keeps every stored value."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from storage.types import Money

VALUES = [0, 5, -7, "12.345", "0.005", "0.015", "-0.005", "12.5", "-3.14", "1E+3", "1e-9"]
VALUES += [Decimal(v) for v in ("0", "-0", "12.34", "12.345", "12.355", "99999999.995", "1E+2")]


def old_cents(value: object) -> int:
    return int((Decimal(value) * 100).quantize(Decimal(1)))  # type: ignore[arg-type]


DIALECTS = [sqlite.dialect(), postgresql.dialect()]  # type: ignore[no-untyped-call]


@pytest.mark.parametrize("value", VALUES, ids=repr)
@pytest.mark.parametrize("dialect", DIALECTS, ids=["sqlite", "pg"])
def test_money_is_stored_as_the_same_cents(value: object, dialect: object) -> None:
    money = Money()
    stored = money.process_bind_param(value, dialect)  # type: ignore[arg-type]
    assert stored == old_cents(value)
    assert type(stored) is int
    back = money.process_result_value(stored, dialect)  # type: ignore[arg-type]
    assert back == (Decimal(stored) / 100).quantize(Decimal("0.01"))


def test_no_amount_stays_null() -> None:
    money = Money()
    assert money.process_bind_param(None, DIALECTS[0]) is None
    assert money.process_result_value(None, DIALECTS[0]) is None
