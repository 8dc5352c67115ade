"""`newsroom-archive raw`: the page of an archived version exactly as served, from its
WARC record, and each way that can fail in one line, the archive untouched."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import brotli
import pytest

from newsroom_archive.warc.records import EncodingError, decoded
from tests.helpers.bad_input import assert_one_line_error, assert_unchanged, run_cli
from tests.helpers.warc_archive import (
    HEADERS_A2,
    HEADERS_A3,
    PAGE_A,
    PAGE_A_GZIP,
    PAGE_B,
    UNLISTED_ID,
    URL_A,
    URL_B,
    WarcArchive,
    build_broken_archive,
    build_warc_archive,
    sha1_base32,
)

try:
    from compression import zstd  # type: ignore[import-not-found,unused-ignore]
except ImportError:
    from backports import zstd  # type: ignore[import-not-found,no-redef,unused-ignore]


@pytest.fixture(scope="module")
def warcs(tmp_path_factory: pytest.TempPathFactory) -> WarcArchive:
    return build_warc_archive(tmp_path_factory.mktemp("raw"))


def _head(headers: list[tuple[str, str]], status: str = "200 OK") -> str:
    return "".join(
        f"{line}\n" for line in [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers)]
    )


@pytest.mark.parametrize(
    "spelling",
    [
        URL_A,
        "http://example.org/news/gzip-page",
        "https://www.example.org/news/gzip-page/?utm_source=newsletter",
        "1",
        "#1",
    ],
)
def test_the_page_is_the_body_served_with_its_gzip_undone(
    warcs: WarcArchive, spelling: str
) -> None:
    before = warcs.state()
    result = run_cli(["raw", spelling], warcs.path)
    assert result.exit_code == 0, result.output
    # The current version is a revisit: its body is the run-2 response's, unzipped.
    assert result.stdout_bytes == PAGE_A
    assert result.stderr == ""
    assert warcs.state() == before


def test_as_served_is_the_compressed_bytes_whose_sha1_is_the_payload_digest(
    warcs: WarcArchive,
) -> None:
    result = run_cli(["raw", URL_A, "--as-served"], warcs.path)
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == PAGE_A_GZIP
    assert sha1_base32(result.stdout_bytes) == warcs.records["a2"].payload_digest
    assert gzip.decompress(result.stdout_bytes) == PAGE_A


def test_the_charset_is_left_as_served(warcs: WarcArchive) -> None:
    for args in (["raw", URL_B], ["raw", URL_B, "--as-served"]):
        result = run_cli(args, warcs.path)
        assert result.exit_code == 0, result.output
        assert result.stdout_bytes == PAGE_B
        assert b"caf\xe9" in result.stdout_bytes  # windows-1252, not UTF-8's caf\xc3\xa9


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ([], _head(HEADERS_A3)),
        (["--version", "3"], _head(HEADERS_A3)),
        (["--version", "2"], _head(HEADERS_A2)),
        (["--as-of", "2026-02-15"], _head(HEADERS_A2)),
        # A date is the whole day: version 3 was seen on it, at 10:00:05.
        (["--as-of", "2026-03-01"], _head(HEADERS_A3)),
        (["--as-of", "2026-03-01T10:00:04Z"], _head(HEADERS_A2)),
        (["--as-of", "2026-03-01T11:00:05+01:00"], _head(HEADERS_A3)),
    ],
)
def test_headers_of_the_version_chosen(
    warcs: WarcArchive, choice: list[str], expected: str
) -> None:
    result = run_cli(["raw", URL_A, "--headers", *choice], warcs.path)
    assert result.exit_code == 0, result.output
    assert result.stdout == expected
    assert result.stderr == ""


def test_headers_of_a_plain_page(warcs: WarcArchive) -> None:
    result = run_cli(["raw", URL_B, "--headers"], warcs.path)
    assert result.stdout == (
        "HTTP/1.1 200 OK\n"
        "Content-Type: text/html; charset=windows-1252\n"
        f"Content-Length: {len(PAGE_B)}\n"
        'ETag: "b-1"\n'
    )


def test_every_version_with_a_record_gives_the_page(warcs: WarcArchive) -> None:
    for number in ("2", "3"):
        result = run_cli(["raw", URL_A, "--version", number], warcs.path)
        assert (result.exit_code, result.stdout_bytes) == (0, PAGE_A), number


def test_output_file(warcs: WarcArchive, tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    result = run_cli(["raw", URL_B, "-o", str(out)], warcs.path)
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == PAGE_B
    assert result.stdout == ""
    assert result.stderr == (
        f"wrote {len(PAGE_B)} bytes, version 1 of {URL_B}, as served, to {out} "
        f"(from WARC record {warcs.records['b1'].record_id})\n"
    )
    head = tmp_path / "head.txt"
    result = run_cli(["raw", URL_A, "--version", "2", "--headers", "-o", str(head)], warcs.path)
    assert result.exit_code == 0, result.output
    assert head.read_text(encoding="utf-8") == _head(HEADERS_A2)


def test_a_revisit_says_where_its_body_is_from(warcs: WarcArchive, tmp_path: Path) -> None:
    a2, a3 = warcs.records["a2"].record_id, warcs.records["a3"].record_id
    out = tmp_path / "page.gz"
    result = run_cli(["raw", URL_A, "--as-served", "-o", str(out)], warcs.path)
    assert out.read_bytes() == PAGE_A_GZIP
    assert result.stderr == (
        f"wrote {len(PAGE_A_GZIP)} bytes, version 3 of {URL_A}, as served, to {out} "
        f"(from WARC record {a2}, which revisit {a3} repeats)\n"
    )
    out = tmp_path / "page.html"
    result = run_cli(["raw", URL_A, "-o", str(out)], warcs.path)
    assert out.read_bytes() == PAGE_A
    assert result.stderr == (
        f"wrote {len(PAGE_A)} bytes, version 3 of {URL_A}, gzip undone, to {out} "
        f"(from WARC record {a2}, which revisit {a3} repeats)\n"
    )


def test_the_headers_of_a_revisit_need_not_its_original(tmp_path: Path) -> None:
    warcs = build_broken_archive(tmp_path, "missing-file")
    result = run_cli(["raw", URL_A, "--headers"], warcs.path)
    assert result.exit_code == 0, result.output
    assert result.stdout == _head(HEADERS_A3)


# -- Content-Encoding ------------------------------------------------------------------

PAGE = "<p>Grüße – 𝔘𝔫𝔦𝔠𝔬𝔡𝔢</p>".encode("utf-16")  # any bytes: no charset is read


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        (None, PAGE),
        ("", PAGE),
        ("identity", PAGE),
        ("gzip", gzip.compress(PAGE)),
        ("GZip", gzip.compress(PAGE)),
        ("x-gzip", gzip.compress(PAGE)),
        ("deflate", zlib.compress(PAGE)),
        ("deflate", _raw_deflate(PAGE)),  # bare deflate, as some servers send it
        ("br", brotli.compress(PAGE)),
        ("zstd", zstd.compress(PAGE)),
        # Codings in the order applied: gzip first, then br; undone br first.
        ("gzip, br", brotli.compress(gzip.compress(PAGE))),
    ],
)
def test_decoding_undoes_every_coding_scrapy_asks_for(encoding: str | None, body: bytes) -> None:
    assert decoded(body, encoding) == PAGE


@pytest.mark.parametrize(
    ("encoding", "body", "message"),
    [
        (
            "compress",
            b"\x1f\x9d...",
            "cannot undo Content-Encoding 'compress' (known: br, deflate,",
        ),
        ("gzip", PAGE, "the body does not decode as gzip (Error -3"),
        (
            "gzip",
            gzip.compress(PAGE)[:-6],
            "the body does not decode as gzip (the compressed data ends early)",
        ),
        ("gzip", gzip.compress(PAGE) + b"junk", "(4 bytes follow the compressed data)"),
        ("br", b"not brotli", "the body does not decode as br"),
        ("zstd", b"not zstd", "the body does not decode as zstd"),
    ],
)
def test_a_body_that_does_not_decode_is_refused(encoding: str, body: bytes, message: str) -> None:
    with pytest.raises(EncodingError) as error:
        decoded(body, encoding)
    assert message in str(error.value)
    assert str(error.value).endswith("--as-served gives the bytes as served")


# -- bad input ---------------------------------------------------------------------------

USAGE, FAILED = 2, 1
A2_FILE = "example-000002-20260201100000-00000.warc.gz"
A3_FILE = "example-000003-20260301100000-00000.warc.gz"

# (archive, arguments, exit status, text of the one line on stderr)
CASES: list[tuple[str, list[str], int, str]] = [
    ("good", ["raw", "999"], FAILED, "no article with id 999 in the archive"),
    (
        "good",
        ["raw", "https://www.example.org/news/other/"],
        FAILED,
        "no article with URL https://www.example.org/news/other/ in the archive",
    ),
    (
        "good",
        ["raw", URL_A, "--version", "4"],
        FAILED,
        f"{URL_A} has no version 4 (versions 1 to 3)",
    ),
    (
        "good",
        ["raw", URL_B, "--version", "2"],
        FAILED,
        f"{URL_B} has no version 2 (only version 1)",
    ),
    (
        "good",
        ["raw", URL_A, "--version", "1"],
        FAILED,
        f"version 1 of {URL_A} was archived before WARC capture "
        "(seen 2026-01-01T10:00:05.000000Z): there is no record of the page as served",
    ),
    (
        "good",
        ["raw", URL_A, "--as-of", "2026-01-31", "--headers"],
        FAILED,
        f"version 1 of {URL_A} was archived before WARC capture",
    ),
    (
        "good",
        ["raw", URL_A, "--as-of", "2025-12-31"],
        FAILED,
        f"{URL_A} was not archived by 2025-12-31: it was first seen 2026-01-01T10:00:05.000000Z",
    ),
    (
        "good",
        ["raw", URL_A, "--version", "2", "--as-of", "2026-02-01"],
        USAGE,
        "--version and --as-of both choose the version: give one",
    ),
    ("good", ["raw", URL_A, "--version", "0"], USAGE, "Invalid value for '--version'"),
    ("good", ["raw", URL_A, "--as-of", "soon"], USAGE, "'soon' is not a date or time"),
    ("good", ["raw", URL_A, "--decoded", "--headerz"], USAGE, "No such option '--headerz'"),
    (
        "good",
        ["raw", URL_A, "-o", "/nonexistent/dir/x.html"],
        FAILED,
        "cannot write /nonexistent/dir/x.html: No such file or directory",
    ),
    (
        "good",
        ["raw", URL_A, "--warc-dir", "/nonexistent/warc"],
        FAILED,
        f"WARC file /nonexistent/warc/{A3_FILE} is missing",
    ),
    # The revisit is there; the response with its body is in the file that is not.
    ("missing-file", ["raw", URL_A], FAILED, f"{A2_FILE} is missing"),
    ("missing-file", ["raw", URL_B, "--headers"], FAILED, f"{A2_FILE} is missing"),
    (
        "truncated",
        ["raw", URL_B],
        FAILED,
        f"({A2_FILE} at offset ",
    ),
    ("truncated", ["raw", URL_B, "--as-served"], FAILED, "is damaged: the file ends at byte"),
    ("flipped", ["raw", URL_B, "--as-served"], FAILED, "is damaged: its gzip member is damaged"),
    ("altered", ["raw", URL_B], FAILED, "is damaged: its body's payload digest is sha1:"),
    ("altered", ["raw", URL_B, "--as-served"], FAILED, "the body is not the one captured"),
    (
        "wrong-offset",
        ["raw", URL_A, "--version", "2"],
        FAILED,
        "the record at this offset is <urn:uuid:",
    ),
    (
        "unlisted",
        ["raw", URL_B],
        FAILED,
        f"version 1 of {URL_B} names WARC record {UNLISTED_ID}, which the archive's captures "
        "do not list",
    ),
    (
        "orphan-revisit",
        ["raw", URL_A],
        FAILED,
        "which the archive's captures do not list",
    ),
]


@pytest.fixture(scope="module")
def archives(
    tmp_path_factory: pytest.TempPathFactory, warcs: WarcArchive
) -> dict[str, WarcArchive]:
    made = {"good": warcs}
    for how in {case[0] for case in CASES} - {"good"}:
        made[how] = build_broken_archive(tmp_path_factory.mktemp(how), how)
    return made


@pytest.mark.parametrize(
    ("archive", "args", "exit_code", "expected"),
    CASES,
    ids=[f"{c[0]}: {' '.join(c[1][1:])}" for c in CASES],
)
def test_bad_input_is_refused_in_one_line(
    archives: dict[str, WarcArchive], archive: str, args: list[str], exit_code: int, expected: str
) -> None:
    warcs = archives[archive]
    before = warcs.state()
    result = run_cli(args, warcs.path)
    assert_one_line_error(result, expected, exit_code=exit_code)
    assert result.stdout_bytes == b""
    for path, state in before.items():
        assert_unchanged(path, state)


def test_an_orphan_revisit_names_both_records(archives: dict[str, WarcArchive]) -> None:
    warcs = archives["orphan-revisit"]
    a2, a3 = warcs.records["a2"].record_id, warcs.records["a3"].record_id
    result = run_cli(["raw", URL_A], warcs.path)
    assert result.stderr.strip() == (
        f"Error: revisit record {a3} refers to {a2}, which the archive's captures do not list"
    )


def test_a_304_has_no_body_and_says_so(tmp_path: Path) -> None:
    from sqlalchemy import update

    from newsroom_archive.archive import Archive
    from newsroom_archive.archive.models import Version

    warcs = build_warc_archive(tmp_path)
    # Not what the crawl does (a 304 keeps the version it confirms), but a record that
    # a version, sighting or change may name all the same.
    archive = Archive(warcs.url, create=False)
    with archive.engine.begin() as conn:
        conn.execute(
            update(Version)
            .where(Version.warc_record_id == warcs.records["b1"].record_id)
            .values(warc_record_id=warcs.records["b304"].record_id)
        )
    archive.close()
    result = run_cli(["raw", URL_B], warcs.path)
    assert (result.exit_code, result.stdout_bytes) == (0, b"")
    assert result.stderr == f"note: version 1 of {URL_B} is a 304 Not Modified response: no body\n"
    result = run_cli(["raw", URL_B, "--headers"], warcs.path)
    assert result.stdout == (
        'HTTP/1.1 304 Not Modified\nETag: "b-1"\nDate: Sun, 01 Mar 2026 10:00:06 GMT\n'
    )
