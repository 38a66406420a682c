"""Header text → the words it means: `Adj Rsn Cd` → adjustment reason code.

PM exports write headers every way: `Paid Amt`, `PAIDAMOUNT`, `paidAmount`, `paid_amount`,
`Check #`, `Clm Nbr`, `Grp/Rsn`. Detection should not need each spelling listed, so a header
is split into words (punctuation, camelCase, digits, and run-together words found against a
billing word list), each word is expanded from the abbreviations billing exports use, and
plurals are made singular. Pure and total: any text gives a (possibly empty) tuple of words.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

# Abbreviation → the word(s) it stands for. Only abbreviations seen in billing exports:
# `pt` is patient (not part-time), `pd` paid, `cd` code, `dos` date of service.
ABBREVIATIONS: Final[dict[str, tuple[str, ...]]] = {
    "acct": ("account",),
    "acc": ("account",),
    "adj": ("adjustment",),
    "adjmt": ("adjustment",),
    "adjs": ("adjustment",),
    "allwd": ("allowed",),
    "alwd": ("allowed",),
    "allow": ("allowed",),
    "amt": ("amount",),
    "amnt": ("amount",),
    "appr": ("approved",),
    "aprv": ("approved",),
    "bal": ("balance",),
    "bill": ("billed",),
    "bld": ("billed",),
    "cd": ("code",),
    "cde": ("code",),
    "carrier": ("payer",),
    "chg": ("charge",),
    "chgs": ("charge",),
    "chrg": ("charge",),
    "chk": ("check",),
    "ck": ("check",),
    "clm": ("claim",),
    "cntrct": ("contract",),
    "coins": ("coinsurance",),
    "copay": ("copay",),
    "ctrl": ("control",),
    "ded": ("deductible",),
    "deduct": ("deductible",),
    "desc": ("description",),
    "descr": ("description",),
    "dob": ("birth", "date"),
    "dos": ("service", "date"),
    "dt": ("date",),
    "dte": ("date",),
    "eft": ("eft",),
    "enc": ("encounter",),
    "fac": ("facility",),
    "grp": ("group",),
    "id": ("id",),
    "ident": ("id",),
    "ins": ("insurance",),
    "insur": ("insurance",),
    "insco": ("insurance",),
    "loc": ("location",),
    "mbr": ("member",),
    "mem": ("member",),
    "mod": ("modifier",),
    "mods": ("modifier",),
    "msg": ("message",),
    "nam": ("name",),
    "nbr": ("number",),
    "nm": ("name",),
    "no": ("number",),
    "num": ("number",),
    "orig": ("original",),
    "pat": ("patient",),
    "pay": ("payment",),
    "payor": ("payer",),
    "insurer": ("payer",),
    "deny": ("denial",),
    "receipt": ("payment",),
    "pd": ("paid",),
    "pmt": ("payment",),
    "pmnt": ("payment",),
    "pymt": ("payment",),
    "pol": ("policy",),
    "prim": ("primary",),
    "pri": ("primary",),
    "proc": ("procedure",),
    "prov": ("provider",),
    "prv": ("provider",),
    "prvdr": ("provider",),
    "pt": ("patient",),
    "pyr": ("payer",),
    "qty": ("units",),
    "quantity": ("units",),
    "rarc": ("rarc",),
    "rc": ("reason", "code"),
    "rcvd": ("received",),
    "recd": ("received",),
    "recv": ("received",),
    "ref": ("reference",),
    "rem": ("remark",),
    "rend": ("rendering",),
    "rndrng": ("rendering",),
    "resp": ("responsibility",),
    "rsp": ("responsibility",),
    "rmk": ("remark",),
    "rmrk": ("remark",),
    "rsn": ("reason",),
    "sec": ("secondary",),
    "serv": ("service",),
    "srv": ("service",),
    "stat": ("status",),
    "sts": ("status",),
    "subscr": ("subscriber",),
    "svc": ("service",),
    "tot": ("total",),
    "ttl": ("total",),
    "trn": ("trace",),
    "trx": ("transaction",),
    "txn": ("transaction",),
    "unit": ("units",),
    "wo": ("write", "off"),
    "writeoff": ("write", "off"),
    "#": ("number",),
    "$": ("amount",),  # `Denied $`, `Paid $`
}
# Words that are whole already; with the abbreviations they are the list run-together headers
# (`PRIMARYINSURANCE`, `billedservicedate`) are split against.
_WORD_LIST: Final = """
    account adjudicated adjudication adjustment age allowed amount appeal applied approved
    balance batch billed billing birth by carc category charge check claim class
    clearinghouse client clinician co code coinsurance company contract control copay
    cpt cpt4 date days deductible denial denied deposit description diagnosis disallow doctor
    eft encounter end eob era facility file financial first from full group hcpcs icn
    id in insurance insured issue last level line location member message method modifier
    name network npi number of office on original other paid patient payer payment pcn
    per place plan policy post posted posting practice primary procedure process processed
    provider rarc reason received reference remark remit remittance rendering report
    responsibility revenue secondary sequence service short start status subscriber
    tax tertiary the to total trace transaction type units visit write off
"""
WORDS: Final = frozenset(_WORD_LIST.split())
FILLER: Final = frozenset({"of", "the", "by", "on", "in", "to", "for", "w", "and", "a"})
_CAMEL: Final = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+|[#$]")
_UNKNOWN_CHAR_COST: Final = 4.0
_ABBREVIATION_COST: Final = 1.8  # a whole word explains a run better than an abbreviation
_SHORT_RUN: Final = 8  # shorter runs are split only into known pieces (`payor` stays whole)
_MAX_RUN: Final = 40  # longer runs are not headers; keeping the search small keeps it total


def header_words(header: str) -> tuple[str, ...]:
    """The words a header means, abbreviations expanded and plurals made singular.

    `Check #` → (check, number); `CLAIMID` → (claim, id); `Grp/Rsn` → (group, reason);
    `PrimaryInsuranceCompanyName` → (primary, insurance, company, name).
    """
    words: list[str] = []
    for piece in split_header(header):
        words.extend(expand(piece))
    return tuple(words)


def content_words(header: str) -> frozenset[str]:
    """The header's words without filler (`Date of Service` → date, service)."""
    return frozenset(w for w in header_words(header) if w not in FILLER)


def split_header(header: str) -> list[str]:
    """Lower-case pieces: punctuation and spaces split, camelCase splits, digits stand alone,
    and a run of letters that is no known word is split against the word list."""
    pieces: list[str] = []
    for chunk in re.split(r"[^A-Za-z0-9#$]+", header):
        for part in _CAMEL.findall(chunk):
            lower = part.lower()
            if lower.isalpha() and not _known(lower):
                pieces.extend(segment(lower))
            else:
                pieces.append(lower)
    return pieces


def expand(word: str) -> tuple[str, ...]:
    """One piece → its words: abbreviations expanded, a plural `s` dropped when the singular
    is a known word (`charges` → charge, `codes` → code; `status` stays)."""
    if word in ABBREVIATIONS:
        return ABBREVIATIONS[word]
    if word in WORDS:
        return (word,)
    singular = word[:-1] if word.endswith("s") else ""
    if singular in ABBREVIATIONS:
        return ABBREVIATIONS[singular]
    if singular in WORDS:
        return (singular,)
    return (word,)


def segment(run: str) -> list[str]:
    """Split a run of letters into known words with the fewest pieces; unknown letters are
    kept together (`primaryinsurance` → primary insurance, `xyzclaim` → xyz claim)."""
    if len(run) > _MAX_RUN:
        return [run]
    pieces = list(_segment(run))
    if len(run) < _SHORT_RUN and not all(_known(piece) for piece in pieces):
        return [run]
    return pieces


@cache
def _segment(run: str) -> tuple[str, ...]:
    # best[i] = (cost, pieces) for run[:i]; a known word costs 1, an unknown letter more, so
    # known words are preferred and few long words beat many short ones.
    empty: tuple[str, ...] = ()
    best: list[tuple[float, tuple[str, ...]]] = [(0.0, empty)]
    best += [(float("inf"), empty)] * len(run)
    for end in range(1, len(run) + 1):
        for start in range(max(0, end - 20), end):
            cost_before, before = best[start]
            piece = run[start:end]
            if _known(piece):
                cost = cost_before + (1.0 if _whole_word(piece) else _ABBREVIATION_COST)
                cost += 0.5 if len(piece) <= 2 else 0.0
                candidate = (*before, piece)
            elif end - start == 1:
                cost = cost_before + _UNKNOWN_CHAR_COST
                # letters nobody knows stay one piece: glue to an unknown piece before
                if before and not _known(before[-1]):
                    candidate = (*before[:-1], before[-1] + piece)
                    cost -= _UNKNOWN_CHAR_COST - 0.5
                else:
                    candidate = (*before, piece)
            else:
                continue
            if cost < best[end][0]:
                best[end] = (cost, candidate)
    return best[len(run)][1]


def _whole_word(piece: str) -> bool:
    return piece in WORDS or (piece.endswith("s") and piece[:-1] in WORDS)


def _known(piece: str) -> bool:
    if piece in WORDS or piece in ABBREVIATIONS:
        return True
    return piece.endswith("s") and (piece[:-1] in WORDS or piece[:-1] in ABBREVIATIONS)
