"""Which X12 transaction set a file holds, from its first bytes: which reader to hand it to."""

from __future__ import annotations

import io
from typing import Final

from bot.errors import InputError
from bot.importers.x12_segments import SegmentReader
from bot.importers.x835_values import element

HEAD_BYTES: Final = 64 * 1024  # enough for an envelope and the first ST, however padded
_LOOKED_AT: Final = 50  # segments before the first ST, at most (ISA, GS, a TA1 or two)


def transaction_set(head: bytes) -> str | None:
    """ST01 of the first transaction ("835", "277" …), or None when none is found in `head`.

    A damaged envelope answers None: the reader the caller picks then refuses the file with
    the precise reason.
    """
    try:
        for count, (_, segment_id, fields) in enumerate(SegmentReader(io.BytesIO(head))):
            if segment_id == "ST":
                return element(fields, 1).strip() or None
            if count >= _LOOKED_AT:
                return None
    except InputError:
        return None
    return None
