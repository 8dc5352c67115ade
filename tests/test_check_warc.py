"""`newsroom-archive check --warc`: every record the archive lists is in its file, whole,
the one named, with the body its digest states; what is not is named, one line each, and
the exit says so. The archive and the WARC files are only read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.bad_input import FileState, assert_one_line_error, run_cli
from tests.helpers.small_archive import build_small_archive
from tests.helpers.warc_archive import (
    ALTERED_B,
    BREAKAGES,
    EMPTY_SHA1,
    LISTING_URL,
    PAGE_B,
    UNLISTED_ID,
    URL_A,
    URL_B,
    WarcArchive,
    build_broken_archive,
    build_warc_archive,
    sha1_base32,
)

RUN2_FILE = "example-000002-20260201100000-00000.warc.gz"


def _check(warcs: WarcArchive, *args: str) -> tuple[int, list[str], str]:
    before = warcs.state()
    result = run_cli(["check", "--warc", *args], warcs.path)
    assert "Traceback" not in result.output, result.output
    assert warcs.state() == before, "check --warc wrote to the archive or a WARC file"
    return result.exit_code, result.stdout.splitlines(), result.stderr


@pytest.fixture(scope="module")
def warcs(tmp_path_factory: pytest.TempPathFactory) -> WarcArchive:
    return build_warc_archive(tmp_path_factory.mktemp("check-warc"))


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> dict[str, WarcArchive]:
    return {
        how: build_broken_archive(tmp_path_factory.mktemp(how), how)
        for how in (*BREAKAGES, "altered")
    }


def test_a_good_archive(warcs: WarcArchive) -> None:
    # The listing, A's response and revisit, B's response and its 304.
    assert _check(warcs) == (0, ["5 records checked, 0 missing, 0 damaged"], "")


def test_the_digests_in_the_archive_are_those_of_the_bodies_served(warcs: WarcArchive) -> None:
    # What the check compares with: the rows say what the server sent.
    assert warcs.records["b1"].payload_digest == sha1_base32(PAGE_B)
    assert warcs.records["b304"].payload_digest == EMPTY_SHA1 == sha1_base32(b"")
    assert warcs.records["a3"].payload_digest == warcs.records["a2"].payload_digest


@pytest.mark.parametrize(
    ("args", "summary"),
    [
        (["--run", "2"], "3 records checked, 0 missing, 0 damaged"),
        (["--run", "3"], "2 records checked, 0 missing, 0 damaged"),
        (["--run", "1"], "0 records checked, 0 missing, 0 damaged"),
        (["--source", "example"], "5 records checked, 0 missing, 0 damaged"),
        (["--source", "example", "--run", "3"], "2 records checked, 0 missing, 0 damaged"),
        # --no-record is what a wrapper passes to the health check; --warc records nothing.
        (["--no-record"], "5 records checked, 0 missing, 0 damaged"),
    ],
)
def test_runs_narrow_the_check(warcs: WarcArchive, args: list[str], summary: str) -> None:
    code, lines, _ = _check(warcs, *args)
    assert (code, lines) == (0, [summary])


def test_json(warcs: WarcArchive) -> None:
    result = run_cli(["check", "--warc", "--json"], warcs.path)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "ok": True,
        "checked": 5,
        "missing": 0,
        "damaged": 0,
        "problems": [],
    }


def test_a_missing_file(broken: dict[str, WarcArchive]) -> None:
    warcs = broken["missing-file"]
    code, lines, stderr = _check(warcs)
    path = warcs.folder / RUN2_FILE
    r = warcs.records
    assert code == 1
    assert lines == [
        f"missing  {r['listing'].record_id}  {RUN2_FILE} at offset {r['listing'].offset}  "
        f"{LISTING_URL}: WARC file {path} is missing",
        f"missing  {r['a2'].record_id}  {RUN2_FILE} at offset {r['a2'].offset}  "
        f"{URL_A}: WARC file {path} is missing",
        f"missing  {r['b1'].record_id}  {RUN2_FILE} at offset {r['b1'].offset}  "
        f"{URL_B}: WARC file {path} is missing",
        "5 records checked, 3 missing, 0 damaged",
    ]
    assert stderr == ""


def _damaged(warcs: WarcArchive, name: str, uri: str, reason: str) -> str:
    w = warcs.records[name]
    return f"damaged  {w.record_id}  {w.filename} at offset {w.offset}  {uri}: {reason}"


def _only(line: str) -> tuple[int, list[str]]:
    """What the check says of an archive with one damaged record: that record, the count."""
    return 1, [line, "5 records checked, 0 missing, 1 damaged"]


def test_a_truncated_file(broken: dict[str, WarcArchive]) -> None:
    warcs = broken["truncated"]
    b1 = warcs.records["b1"]
    # The file was cut 100 bytes into B's record; the records before it are whole.
    reason = (
        f"the file ends at byte {b1.offset + 100}, inside the record "
        f"(bytes {b1.offset} to {b1.offset + b1.length}): it is cut short"
    )
    assert _check(warcs)[:2] == _only(_damaged(warcs, "b1", URL_B, reason))


def test_an_altered_body(broken: dict[str, WarcArchive]) -> None:
    warcs = broken["altered"]
    reason = (
        f"its body's payload digest is {sha1_base32(ALTERED_B)}, not {sha1_base32(PAGE_B)}: "
        "the body is not the one captured"
    )
    assert _check(warcs)[:2] == _only(_damaged(warcs, "b1", URL_B, reason))


def test_a_damaged_gzip_member(broken: dict[str, WarcArchive]) -> None:
    code, lines, _ = _check(broken["flipped"])
    assert code == 1
    assert len(lines) == 2
    assert lines[0].startswith(
        _damaged(broken["flipped"], "b1", URL_B, "its gzip member is damaged (")
    )
    assert lines[1] == "5 records checked, 0 missing, 1 damaged"


def test_a_row_pointing_at_another_record(broken: dict[str, WarcArchive]) -> None:
    warcs = broken["wrong-offset"]
    listing = warcs.records["listing"]
    code, lines, _ = _check(warcs)
    # A's row now has the listing's offset: the record there is the listing's.
    line = (
        f"damaged  {warcs.records['a2'].record_id}  {RUN2_FILE} at offset {listing.offset}  "
        f"{URL_A}: the record at this offset is {listing.record_id}"
    )
    assert (code, lines) == _only(line)


def test_a_record_named_but_not_listed(broken: dict[str, WarcArchive]) -> None:
    code, lines, _ = _check(broken["unlisted"])
    assert (code, lines) == (
        1,
        [
            f"missing  {UNLISTED_ID}: named by version, not in the captures",
            "6 records checked, 1 missing, 0 damaged",
        ],
    )


def test_a_revisit_whose_original_is_not_listed(broken: dict[str, WarcArchive]) -> None:
    warcs = broken["orphan-revisit"]
    code, lines, _ = _check(warcs)
    assert (code, lines) == (
        1,
        [
            f"missing  {warcs.records['a2'].record_id}: named by version, revisit, "
            "not in the captures",
            "5 records checked, 1 missing, 0 damaged",
        ],
    )


def test_missing_and_damaged_in_json(broken: dict[str, WarcArchive]) -> None:
    warcs = broken["truncated"]
    result = run_cli(["check", "--warc", "--json"], warcs.path)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    b1 = warcs.records["b1"]
    assert report["problems"] == [
        {
            "kind": "damaged",
            "record_id": b1.record_id,
            "where": f"{RUN2_FILE} at offset {b1.offset}",
            "uri": URL_B,
            "reason": f"the file ends at byte {b1.offset + 100}, inside the record "
            f"(bytes {b1.offset} to {b1.offset + b1.length}): it is cut short",
        }
    ]
    assert (report["ok"], report["checked"], report["missing"], report["damaged"]) == (
        False,
        5,
        0,
        1,
    )


def test_another_warc_folder(warcs: WarcArchive, tmp_path: Path) -> None:
    elsewhere = tmp_path / "copy"
    code, lines, stderr = _check(warcs, "--warc-dir", str(elsewhere))
    assert code == 1
    assert lines[-1] == "5 records checked, 5 missing, 0 damaged"
    assert stderr == f"note: there is no WARC folder {elsewhere} (--warc-dir names it)\n"
    elsewhere.mkdir()
    for path in warcs.folder.iterdir():
        (elsewhere / path.name).write_bytes(path.read_bytes())
    assert _check(warcs, "--warc-dir", str(elsewhere)) == (
        0,
        ["5 records checked, 0 missing, 0 damaged"],
        "",
    )


def test_an_archive_without_records(tmp_path: Path) -> None:
    small = build_small_archive(tmp_path / "archive.sqlite")
    before = FileState.of(small.path)
    result = run_cli(["check", "--warc"], small.path)
    assert (result.exit_code, result.stdout) == (0, "0 records checked, 0 missing, 0 damaged\n")
    assert result.stderr == "note: the archive lists no WARC records\n"
    assert FileState.of(small.path) == before


NO_VERDICT, USAGE = 2, 2

BAD: list[tuple[list[str], int, str]] = [
    (["--run", "9"], NO_VERDICT, "no crawl run 9 in the archive"),
    (["--source", "nosuch"], NO_VERDICT, "no newsroom 'nosuch' in the archive"),
    (
        ["--config", "thresholds.toml"],
        USAGE,
        "--config is an option of the health check, not of --warc",
    ),
    (
        ["--notify", "mail", "--config", "t.toml"],
        USAGE,
        "--config and --notify are options of the health check, not of --warc",
    ),
    (["--run", "two"], USAGE, "Invalid value for '--run': 'two' is not a valid integer"),
]


@pytest.mark.parametrize(("args", "exit_code", "expected"), BAD, ids=[" ".join(b[0]) for b in BAD])
def test_bad_input_is_refused_in_one_line(
    warcs: WarcArchive, args: list[str], exit_code: int, expected: str
) -> None:
    before = warcs.state()
    result = run_cli(["check", "--warc", *args], warcs.path)
    assert_one_line_error(result, expected, exit_code=exit_code)
    assert result.stdout == ""
    assert warcs.state() == before


def test_warc_dir_belongs_to_warc(warcs: WarcArchive) -> None:
    result = run_cli(["check", "--warc-dir", str(warcs.folder)], warcs.path)
    assert_one_line_error(result, "--warc-dir goes with --warc", exit_code=USAGE)


def test_no_archive(tmp_path: Path) -> None:
    result = run_cli(["check", "--warc"], tmp_path / "nothing.sqlite")
    assert_one_line_error(result, f"no archive at {tmp_path / 'nothing.sqlite'}", exit_code=2)
    assert not (tmp_path / "nothing.sqlite").exists()
