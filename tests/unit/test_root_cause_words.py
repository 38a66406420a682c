"""Every root cause a card, a digest or a pattern review can show has its words: a label, what
usually went wrong, and the workflow change that usually prevents it."""

from __future__ import annotations

import pytest

from bot.domain.findings import LABELS, RootCause
from bot.domain.likely_causes import LIKELY_CAUSE, PREVENTION, likely_cause, prevention


@pytest.mark.parametrize("cause", list(RootCause))
def test_every_root_cause_has_a_label_a_likely_cause_and_a_prevention_tip(
    cause: RootCause,
) -> None:
    assert cause.label.strip()
    assert likely_cause(cause).strip().endswith(".")
    assert prevention(cause).strip().endswith(".")


def test_no_words_for_a_root_cause_that_does_not_exist() -> None:
    for table in (LABELS, LIKELY_CAUSE, PREVENTION):
        assert set(table) == set(RootCause)


def test_labels_and_tips_say_different_things_for_each_cause() -> None:
    for table in (LABELS, LIKELY_CAUSE, PREVENTION):
        assert len(set(table.values())) == len(RootCause)
