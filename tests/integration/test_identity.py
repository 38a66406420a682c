"""One truth per adjudication: a remittance or report sent again, in whatever envelope, layout
or line endings, is recognised, stored once, and posts no card; imports take turns."""

from __future__ import annotations

import csv
import io
import re
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.domain.rulebook import Rulebook
from bot.services.importing import FileOutcome, ImportContext, import_file
from storage.models import Claim, Denial, ImportFile, ProviderLevelAdjustment, SlackPost
from tests.conftest import DATA
from tests.support.x835 import ClaimSpec, Line, denied, make_835, paid

Sessions = sessionmaker[Session]
X12 = DATA / "x12"


@pytest.fixture
def context(sessions: Sessions, rulebook: Rulebook, clock: Clock) -> ImportContext:
    return ImportContext(
        sessions=sessions,
        rulebook=rulebook,
        actor="cli:test",
        now=clock.now(),
        today=clock.today(),
        zone=clock.zone,
    )


def stored(sessions: Sessions) -> tuple[int, int, int]:
    """Claims, denials and cards in the database."""
    with sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(Claim)) or 0,
            session.scalar(select(func.count()).select_from(Denial)) or 0,
            session.scalar(select(func.count()).select_from(SlackPost)) or 0,
        )


def remit() -> str:
    claims = [denied(f"C{i}", amount=str(100 + i)) for i in range(6)]
    claims += [paid(f"P{i}", amount="80") for i in range(4)]
    return make_835(claims, check="EFT1").decode()


def crlf(text: str) -> str:
    return text.replace("~", "~\r\n")


def another_envelope(text: str) -> str:
    """What a clearinghouse re-send changes: ISA09/10/13, IEA02, GS04/05/06, GE02, ST02/SE02."""
    text = text.replace("*261016*1200*^*00501*000000001*", "*261120*0815*^*00501*000004711*")
    text = text.replace("IEA*1*000000001", "IEA*1*000004711")
    text = text.replace("*20261016*1200*1*X*", "*20261120*0815*4711*X*").replace(
        "GE*1*1~", "GE*1*4711~"
    )
    return re.sub(r"(ST\*835\*|SE\*\d+\*)0001", r"\g<1>9001", text)


def other_separators(text: str) -> str:
    """Element `|`, component `^`, repetition `{`, a newline as the segment terminator."""
    isa, rest = text.split("~", 1)
    isa = isa.replace("*^*00501", "*{*00501")[:-1] + "^"  # ISA11, and ISA16 last
    rest = rest.replace(":", "^")  # the composites (HC:99213): nothing else has a colon
    return (isa + "\n" + rest.replace("~", "\n")).replace("*", "|")


def split_in_two(text: str) -> str:
    """The same check re-split into two transaction sets (the header repeated)."""
    head, body = text.split("LX*1~", 1)
    body, tail = body.split("SE*", 1)
    clps = ["CLP*" + part for part in body.split("CLP*")[1:]]
    first, second = clps[: len(clps) // 2], clps[len(clps) // 2 :]
    st_head = head[head.index("ST*835") :]
    envelope = head[: head.index("ST*835")]
    trailer = tail[tail.index("~") + 1 :].replace("GE*1*", "GE*2*")

    def transaction(number: str, claims: list[str]) -> str:
        segments = st_head.replace("ST*835*0001", f"ST*835*{number}") + "LX*1~" + "".join(claims)
        count = segments.count("~") + 1
        return segments + f"SE*{count}*{number}~"

    return envelope + transaction("0001", second) + transaction("0002", first) + trailer


@pytest.mark.parametrize(
    "resend",
    [crlf, another_envelope, other_separators, split_in_two],
    ids=["crlf", "isa13", "separators", "re-split"],
)
def test_a_remittance_sent_again_is_recognised_and_changes_nothing(
    context: ImportContext, sessions: Sessions, resend: object
) -> None:
    first = import_file(remit().encode(), context, file_name="remit_a.835")
    assert (first.claims, first.denials) == (10, 6)
    before = stored(sessions)

    again = import_file(resend(remit()).encode(), context, file_name="remit_b.835")  # type: ignore[operator]

    assert again.status == "duplicate", again.summary_line()
    assert again.summary_line() == (
        "remit_b.835: already imported (10 claims already imported from remit_a.835 on "
        "Nov 30, 2026); nothing changed."
    )
    assert stored(sessions) == before  # no claim, no denial, no card
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(ImportFile)) == 1


def test_a_file_that_repeats_part_of_an_earlier_one_stores_only_what_is_new(
    context: ImportContext, sessions: Sessions
) -> None:
    import_file(remit().encode(), context, file_name="remit_a.835")
    overlap = [denied(f"C{i}", amount=str(100 + i)) for i in range(6)]
    overlap += [paid(f"P{i}", amount="80") for i in range(4)]
    overlap += [denied("N1", amount="55")]
    outcome = import_file(make_835(overlap, check="EFT1"), context, file_name="remit_c.835")
    assert outcome.summary_line() == (
        "remit_c.835: imported 1 claim, 1 denial ($55.00). 10 claims already imported from "
        "remit_a.835 on Nov 30, 2026."
    )
    assert stored(sessions)[:2] == (11, 7)


def test_the_same_claim_on_another_check_is_another_adjudication(
    context: ImportContext, sessions: Sessions
) -> None:
    """A re-adjudication, a re-issued check: the payer said it again on another remittance."""
    import_file(make_835([denied("C1")], check="EFT1"), context, file_name="a.835")
    outcome = import_file(
        make_835([denied("C1")], check="EFT2", production_date="20261101"), context
    )
    assert (outcome.status, outcome.claims) == ("imported", 1)


def test_a_reversal_and_its_correction_are_two_adjudications(
    context: ImportContext, sessions: Sessions
) -> None:
    original = ClaimSpec(
        number="R1", billed="100", paid="80", lines=[Line(billed="100", paid="80")]
    )
    import_file(make_835([original], check="EFT1"), context, file_name="a.835")
    reversal = ClaimSpec(
        number="R1", status="22", billed="-100", paid="-80", lines=[Line(billed="-100", paid="-80")]
    )
    correction = ClaimSpec(
        number="R1", billed="100", paid="80", lines=[Line(billed="100", paid="80")]
    )
    outcome = import_file(
        make_835([reversal, correction], check="EFT2", production_date="20261101"), context
    )
    assert (outcome.status, outcome.claims) == ("imported", 2)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Claim)) == 3


def test_the_public_file_of_156_identical_interchanges_is_three_claims(
    context: ImportContext, sessions: Sessions
) -> None:
    """x12parserjs_profee-multiple.edi: one interchange (ISA13 006000600, check 10100000000)
    156 times. It used to be 468 claims, 312 denials and 311 "recovered", $5,320.25."""
    outcome = import_file(X12 / "x12parserjs_profee-multiple.edi", context)
    assert outcome.summary_line() == (
        "x12parserjs_profee-multiple.edi: imported 3 claims, 2 denials ($56.75). 465 claims "
        "repeated in this file, stored once."
    )
    assert outcome.recovered == 0
    assert stored(sessions)[:2] == (3, 2)


def test_a_file_repeating_a_known_interchange_counts_each_claim_once(
    context: ImportContext, sessions: Sessions
) -> None:
    """The eMedNY sample holds profee-multiple's interchange once: the 156 copies are its 3
    claims already imported and 465 repeats, not "468 claims already imported"."""
    import_file(X12 / "edi835parser_emedny_sample.txt", context)
    outcome = import_file(X12 / "x12parserjs_profee-multiple.edi", context)
    assert outcome.summary_line() == (
        "x12parserjs_profee-multiple.edi: already imported (3 claims already imported from "
        "edi835parser_emedny_sample.txt on Nov 30, 2026; 465 claims repeated in this file, "
        "stored once); nothing changed."
    )
    assert stored(sessions)[:2] == (3, 2)


def test_provider_adjustments_sent_again_are_stored_once(
    context: ImportContext, sessions: Sessions
) -> None:
    import_file(X12 / "pyx12_835_simple_4010.txt", context)
    again = crlf((X12 / "pyx12_835_simple_4010.txt").read_text())
    assert import_file(again.encode(), context, file_name="again.txt").status == "duplicate"
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(ProviderLevelAdjustment)) == 3


# -- reports ------------------------------------------------------------------------------------


def resaved(text: str) -> str:
    """What a spreadsheet program's "Save as CSV" can do: CRLF, every cell quoted, the columns
    in another order, money without thousands separators, dates without leading zeros."""
    rows = list(csv.reader(io.StringIO(text)))
    order = list(reversed(range(len(rows[0]))))
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    for row in rows:
        cells = [row[i] if i < len(row) else "" for i in order]
        cells = [re.sub(r"^(\d{1,3}),(\d{3}\.\d\d)$", r"\1\2", c) for c in cells]
        cells = [re.sub(r"\b0(\d)-", r"\1-", c) for c in cells]
        writer.writerow(cells)
    return out.getvalue()


def test_a_report_saved_again_is_recognised(context: ImportContext, sessions: Sessions) -> None:
    text = (DATA / "csv" / "generic_denial_export.csv").read_text(encoding="utf-8-sig")
    first = import_file(text.encode(), context, file_name="denials.csv")
    assert first.status == "imported", first.summary_line()
    before = stored(sessions)

    again = import_file(resaved(text).encode(), context, file_name="denials (1).csv")

    assert again.status == "duplicate", again.summary_line()
    assert "already imported from denials.csv" in again.summary_line()
    assert stored(sessions) == before


# -- imports take turns --------------------------------------------------------------------------


def at_once(*imports: object) -> list[FileOutcome]:
    barrier = threading.Barrier(len(imports))
    outcomes: list[FileOutcome] = []

    def run(go: object) -> None:
        barrier.wait()
        outcomes.append(go())  # type: ignore[operator]

    threads = [threading.Thread(target=run, args=(go,)) for go in imports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_the_same_file_imported_twice_at_once_is_one_import_and_one_already_imported(
    context: ImportContext, sessions: Sessions
) -> None:
    data = remit().encode()
    outcomes = at_once(
        lambda: import_file(data, context, file_name="remit.835"),
        lambda: import_file(data, context, file_name="remit.835"),
    )
    assert sorted(o.status for o in outcomes) == ["duplicate", "imported"], [
        o.summary_line() for o in outcomes
    ]
    assert "internal error" not in " ".join(o.summary_line() for o in outcomes)
    assert stored(sessions)[:2] == (10, 6)


def test_two_files_with_the_same_claims_imported_at_once_store_them_once(
    context: ImportContext, sessions: Sessions
) -> None:
    outcomes = at_once(
        lambda: import_file(remit().encode(), context, file_name="a.835"),
        lambda: import_file(crlf(remit()).encode(), context, file_name="b.835"),
    )
    assert sorted(o.status for o in outcomes) == ["duplicate", "imported"]
    assert stored(sessions)[:2] == (10, 6)
