"""The import writes its JSON columns as text: byte for byte what json.dumps wrote before."""

from __future__ import annotations

import json
import random
from datetime import date
from decimal import Decimal

import pytest

from bot.domain.findings import DenialReason, RootCause
from bot.domain.records import Adjustment, ServiceLine
from storage.bulk.claim_json import adjustments_json, lines_json, reasons_json, strings_json
from tests.support.reference_rows import adjustment_dict, line_dict, reason_dict

ODD_TEXTS = ["", "99213", 'quote " inside', "back\\slash", "tab\there", "new\nline", "\x00\x1f"]
ODD_TEXTS += ["café", "日本", "emoji 🙂", "\u2028", "/slash/", "  spaced  "]
AMOUNTS = [Decimal(v) for v in ("0", "-0", "12.5", "12.50", "-3.14", "1E+2", "0.001", "1000000")]


def random_text(rnd: random.Random) -> str:
    return rnd.choice(ODD_TEXTS) + rnd.choice(["", "X", "é"]) * rnd.randrange(3)


def random_adjustment(rnd: random.Random) -> Adjustment:
    quantity = rnd.choice([None, *AMOUNTS])
    return Adjustment(random_text(rnd), random_text(rnd), rnd.choice(AMOUNTS), quantity)


def random_line(rnd: random.Random) -> ServiceLine:
    return ServiceLine(
        procedure=random_text(rnd),
        modifiers=tuple(random_text(rnd) for _ in range(rnd.randrange(4))),
        billed=rnd.choice(AMOUNTS),
        paid=rnd.choice(AMOUNTS),
        units=rnd.choice([None, *AMOUNTS]),
        qualifier=random_text(rnd),
        original_procedure=rnd.choice([None, random_text(rnd)]),
        service_date=rnd.choice([None, date(2026, 1, 31), date(1999, 12, 1)]),
        line_control=rnd.choice([None, random_text(rnd)]),
        adjustments=tuple(random_adjustment(rnd) for _ in range(rnd.randrange(4))),
        remarks=tuple(random_text(rnd) for _ in range(rnd.randrange(3))),
    )


@pytest.mark.parametrize("values", [[], ["N54"], ["N54", "MA130"], ODD_TEXTS])
def test_strings_are_written_as_json_dumps_writes_them(values: list[str]) -> None:
    assert strings_json(values) == json.dumps(values)
    assert strings_json(tuple(values)) == json.dumps(values)


def test_adjustments_are_written_as_json_dumps_writes_them() -> None:
    rnd = random.Random(1)
    for size in (0, 1, 2, 5):
        adjustments = [random_adjustment(rnd) for _ in range(size)]
        assert adjustments_json(adjustments) == json.dumps(
            [adjustment_dict(a) for a in adjustments]
        )


def test_a_shared_adjustment_is_written_the_same_each_time() -> None:
    shared = Adjustment("CO", "45", Decimal("20.50"))
    equal_but_other = Adjustment("CO", "45", Decimal("20.5"))
    for _ in range(3):
        assert adjustments_json([shared]) == json.dumps([adjustment_dict(shared)])
        assert adjustments_json([equal_but_other]) == json.dumps([adjustment_dict(equal_but_other)])


def test_lines_are_written_as_json_dumps_writes_them() -> None:
    rnd = random.Random(2)
    for _ in range(500):
        lines = [random_line(rnd) for _ in range(rnd.randrange(4))]
        assert lines_json(lines) == json.dumps([line_dict(line) for line in lines])


def test_reasons_are_written_as_json_dumps_writes_them() -> None:
    rnd = random.Random(3)
    for _ in range(200):
        reasons = [
            DenialReason(
                group=rnd.choice(["CO", "PR", ""]),
                carc=random_text(rnd),
                amount=rnd.choice(AMOUNTS),
                rarcs=tuple(random_text(rnd) for _ in range(rnd.randrange(3))),
                procedure=rnd.choice([None, random_text(rnd)]),
                category=rnd.choice(list(RootCause)),
                explanation=random_text(rnd),
            )
            for _ in range(rnd.randrange(4))
        ]
        assert reasons_json(reasons) == json.dumps([reason_dict(r) for r in reasons])
