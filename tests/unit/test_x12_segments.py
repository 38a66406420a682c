"""The X12 tokenizer: separators from ISA, layout tolerance, streaming, refusals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.errors import InputError
from bot.importers.x12_segments import SegmentReader, Separators, parse_isa, read_segments

DATA = Path(__file__).resolve().parents[1] / "data" / "x12"


def make_isa(
    *,
    element: str = "*",
    repetition: str = "^",
    component: str = ":",
    version: str = "00501",
    padded: bool = True,
) -> str:
    """An ISA without its terminator; `padded=False` strips the fixed-width padding."""
    sender = "SENDER         " if padded else "SENDER"
    receiver = "RECEIVER       " if padded else "RECEIVER"
    blank = "          " if padded else ""
    values = [
        "ISA", "00", blank, "00", blank, "ZZ", sender, "ZZ", receiver,
        "260115", "1200", repetition, version, "000000001", "0", "P", component,
    ]  # fmt: skip
    return element.join(values)


def make_file(
    *body: str,
    element: str = "*",
    component: str = ":",
    terminator: str = "~",
    after: str = "",
    isa: str | None = None,
) -> bytes:
    """ISA + GS + `body` + GE + IEA; `body` is written with `*` and re-separated."""
    segments = [
        "GS*HP*SENDER*RECEIVER*20260115*1200*1*X*005010X221A1",
        *body,
        "GE*1*1",
        "IEA*1*000000001",
    ]
    head = isa if isa is not None else make_isa(element=element, component=component)
    text = head + terminator + after
    text += "".join(seg.replace("*", element) + terminator + after for seg in segments)
    return text.encode()


def tokens(data: bytes, *, chunk_size: int = 64 * 1024) -> list[tuple[int, str, list[str]]]:
    return list(SegmentReader(io.BytesIO(data), chunk_size=chunk_size))


def ids(data: bytes, **kwargs: int) -> list[str]:
    return [segment_id for _, segment_id, _ in tokens(data, **kwargs)]


BODY = ("ST*835*0001", "CLP*C1*1*100*80**12*PCN:1", "SE*3*0001")


def test_separators_are_read_from_isa() -> None:
    data = make_file(*BODY, element="|", component="^", terminator="!")
    reader = SegmentReader(io.BytesIO(data))
    segments = list(reader)
    assert reader.separators == Separators(
        element="|", component="^", terminator="!", repetition="^"
    )
    assert segments[3] == (4, "CLP", ["CLP", "C1", "1", "100", "80", "", "12", "PCN:1"])


def test_isa_elements_are_yielded_with_the_id_first() -> None:
    number, segment_id, fields = tokens(make_file(*BODY))[0]
    assert (number, segment_id, len(fields)) == (1, "ISA", 17)
    assert fields[16] == ":"
    assert fields[12] == "00501"


def test_4010_isa11_is_not_a_repetition_separator() -> None:
    isa = make_isa(repetition="U", version="00401")
    reader = SegmentReader(io.BytesIO(make_file(*BODY, isa=isa)))
    list(reader)
    assert reader.separators is not None
    assert reader.separators.repetition is None


def test_isa_without_fixed_width_padding_is_read_by_counting_separators() -> None:
    data = make_file(*BODY, isa=make_isa(padded=False))
    assert ids(data) == ["ISA", "GS", "ST", "CLP", "SE", "GE", "IEA"]


def test_utf8_bom_is_skipped() -> None:
    data = b"\xef\xbb\xbf" + make_file(*BODY)
    assert ids(data)[0] == "ISA"


def test_crlf_and_indentation_after_terminators_are_layout() -> None:
    data = make_file(*BODY, after="\r\n    ")
    segments = tokens(data)
    assert [s[1] for s in segments] == ["ISA", "GS", "ST", "CLP", "SE", "GE", "IEA"]
    assert segments[3][2][-1] == "PCN:1"


def test_newline_is_the_terminator_when_there_is_no_tilde() -> None:
    data = make_file(*BODY, terminator="\n")
    reader = SegmentReader(io.BytesIO(data))
    assert [s[1] for s in reader] == ["ISA", "GS", "ST", "CLP", "SE", "GE", "IEA"]
    assert reader.separators is not None
    assert reader.separators.terminator == "\n"


def test_crlf_newline_terminators_keep_no_carriage_return() -> None:
    segments = tokens(make_file(*BODY, terminator="\r\n"))
    assert segments[3][2][-1] == "PCN:1"


def test_terminator_at_the_start_of_the_next_line() -> None:
    # tigershark_835-example_pipe_4010.txt: "…|^\n~GS|…\n~ST|…" and no `~` after IEA.
    segments = ["GS|HP|A|B|20120323|1938|1|X|004010X091A1", "ST|835|0001", "SE|2|0001"]
    text = make_isa(element="|", component="^", repetition="U", version="00401")
    text += "".join(f"\n~{segment}" for segment in [*segments, "GE|1|1", "IEA|1|000000001"])
    reader = SegmentReader(io.BytesIO((text + "\n").encode()))
    result = list(reader)
    assert [s[1] for s in result] == ["ISA", "GS", "ST", "SE", "GE", "IEA"]
    assert result[2][2] == ["ST", "835", "0001"]
    assert reader.unterminated_tail  # the IEA has no `~` after it; the reader judges that


def test_every_interchange_declares_its_own_separators() -> None:
    first = make_file(*BODY)
    second = make_file(*BODY, element="|", component="^", terminator="\n")
    third = make_file(*BODY)
    segments = tokens(first + b"\r\n" + second + third)
    assert [s[1] for s in segments].count("ISA") == 3
    assert len(segments) == 21
    assert segments[10][2] == ["CLP", "C1", "1", "100", "80", "", "12", "PCN:1"]
    assert [s[0] for s in segments] == list(range(1, 22))


def test_segments_are_numbered_from_one_across_the_file() -> None:
    assert [s[0] for s in tokens(make_file(*BODY) * 2)] == list(range(1, 15))


def test_file_without_envelope_starts_at_st_with_a_warning() -> None:
    reader = SegmentReader(io.BytesIO(b"ST*835*0001~CLP*C1*1*100*80~SE*3*0001~"))
    assert [s[1] for s in reader] == ["ST", "CLP", "SE"]
    assert reader.separators == Separators(element="*", component=":", terminator="~")
    assert [(w.segment_number, w.segment_id) for w in reader.warnings] == [(1, "ST")]


def test_file_without_envelope_detects_its_element_separator_and_newlines() -> None:
    reader = SegmentReader(io.BytesIO(b"ST|835|0001\nCLP|C1|1|100|80\nSE|3|0001\n"))
    assert [s[2] for s in reader][1] == ["CLP", "C1", "1", "100", "80"]


@pytest.mark.parametrize("chunk_size", [1, 2, 7, 64, 1000])
def test_chunk_boundaries_do_not_change_the_segments(chunk_size: int) -> None:
    data = make_file(*BODY, after="\r\n  ") + make_file(*BODY, element="|", terminator="\n")
    assert tokens(data, chunk_size=chunk_size) == tokens(data)


def test_multibyte_characters_split_across_chunks_are_decoded() -> None:
    data = make_file("ST*835*0001", "N1*PE*CLÍNICA SÃO JOSÉ", "SE*3*0001")
    names = [s[2] for s in tokens(data, chunk_size=1) if s[1] == "N1"]
    assert names == [["N1", "PE", "CLÍNICA SÃO JOSÉ"]]


def test_last_segment_without_terminator_is_flagged() -> None:
    reader = SegmentReader(io.BytesIO(make_file(*BODY).rstrip(b"~")))
    assert [s[1] for s in reader][-1] == "IEA"
    assert reader.unterminated_tail


def test_bytes_read_counts_the_stream() -> None:
    data = make_file(*BODY)
    reader = SegmentReader(io.BytesIO(data), chunk_size=16)
    list(reader)
    assert reader.bytes_read == len(data)


def test_read_segments_shortcut() -> None:
    assert [s[1] for s in read_segments(io.BytesIO(make_file(*BODY)))][:3] == ["ISA", "GS", "ST"]


@pytest.mark.parametrize("data", [b"", b"  \r\n\r\n  ", b"\xef\xbb\xbf"])
def test_empty_file_is_refused(data: bytes) -> None:
    with pytest.raises(InputError, match="the file is empty"):
        tokens(data)


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", b"PK\x03\x04\x14\x00\x00\x00", b"claim,payer\n1,2\n"],
)
def test_binary_or_other_files_are_refused_as_not_x12(data: bytes) -> None:
    with pytest.raises(InputError, match="this is not an X12 file: it does not start with ISA"):
        tokens(data)


def test_cut_isa_is_refused() -> None:
    with pytest.raises(InputError, match="ISA header is cut short") as refused:
        tokens(b"ISA*00*          *00*    ")
    assert (refused.value.segment_number, refused.value.segment_id) == (1, "ISA")


def test_parse_isa_needs_the_character_after_isa16() -> None:
    isa = make_isa()
    assert parse_isa(isa) is None
    parsed = parse_isa(isa + "~GS")
    assert parsed is not None
    assert parsed[0].terminator == "~"
    assert parsed[2] == len(isa) + 1


CLEAN_FILES = [
    "lfh_secondary-payment.835",
    "pyx12_835_simple_4010.txt",
    "tigershark_5010-835-example-1.txt",
    "x12parserjs_multi-line-not-delimited.edi",
    "synthetic/malformed/crlf_indented.835",
    "synthetic/malformed/pipe_newline.835",
]


@pytest.mark.parametrize("name", CLEAN_FILES)
def test_segments_match_pyx12_on_clean_files(name: str) -> None:
    rawx12file = pytest.importorskip("pyx12.rawx12file")
    path = DATA / name
    with path.open(encoding="utf-8") as handle:
        raw = rawx12file.RawX12File(handle)
        theirs = [line.strip().split(raw.ele_term) for line in raw]
    with path.open("rb") as handle:
        ours = [fields for _, _, fields in SegmentReader(handle)]
    assert ours == theirs
