"""Bad input to the read commands: each case a non-zero exit, one line on stderr naming
the problem (and, for an unknown value, the known ones and the closest), the archive
untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.bad_input import FileState, assert_one_line_error, assert_unchanged, run_cli
from tests.helpers.small_archive import SmallArchive, build_small_archive

USAGE = 2
FAILED = 1

CASES: list[tuple[list[str], int, str]] = [
    # An output nobody can write to, in each format.
    (
        ["export", "articles", "-o", "/nonexistent/dir/x.csv"],
        1,
        "cannot write /nonexistent/dir/x.csv: No such file or directory",
    ),
    (
        ["export", "articles", "--format", "parquet", "-o", "/nonexistent/dir/x.parquet"],
        1,
        "cannot write /nonexistent/dir/x.parquet: No such file or directory",
    ),
    (
        ["export", "versions", "--format", "jsonl", "-o", "/nonexistent/dir/x.jsonl"],
        1,
        "cannot write /nonexistent/dir/x.jsonl: No such file or directory",
    ),
    # Unknown values, refused with the known ones and the closest match.
    (
        ["search", "law", "--kind", "pressrelease"],
        USAGE,
        "--kind: 'pressrelease' is not a known kind (did you mean 'press-release'?); known: blog,",
    ),
    (["stats", "--kind", "Report"], USAGE, "(did you mean 'report'?)"),
    (["export", "credits", "--kind", "reprot"], USAGE, "(did you mean 'report'?)"),
    (["changes", "--kind", "nosuch"], USAGE, "'nosuch' is not a known kind"),
    (
        ["export", "articles", "--source", "nosuch"],
        USAGE,
        "--source: 'nosuch' is not a known source; known: example",
    ),
    (["search", "law", "--source", "exampel"], USAGE, "(did you mean 'example'?)"),
    (["runs", "--source", "examples"], USAGE, "(did you mean 'example'?); known: example"),
    (["stats", "--source", "nosuch"], USAGE, "'nosuch' is not a known source"),
    (
        ["changes", "--field", "nosuch"],
        USAGE,
        "'nosuch' is not a known change field; known: attachments, body, caption,",
    ),
    (["changes", "--field", "titel"], USAGE, "(did you mean 'title'?)"),
    (["changes", "--field", "http-status"], USAGE, "(did you mean 'http_status'?)"),
    # Ranges that end before they start.
    (
        ["stats", "--since", "2022-01-01", "--until", "2021-01-01"],
        USAGE,
        "--since 2022-01-01 is after --until 2021-01-01: nothing can match",
    ),
    (
        [
            "export",
            "articles",
            "--published-since",
            "2022-01-01",
            "--published-until",
            "2021-12-31",
        ],
        USAGE,
        "--since 2022-01-01 is after --until 2021-12-31",
    ),
    (
        ["changes", "--detected-since", "2026-01-02", "--detected-until", "2026-01-01"],
        USAGE,
        "--detected-since 2026-01-02 is after --detected-until 2026-01-01",
    ),
    # A filter the table does not have is refused, not ignored.
    (
        ["export", "runs", "--kind", "report"],
        USAGE,
        "export runs has no filter --kind (its filters: --source, --as-of)",
    ),
    (["export", "quarantine", "--agency", "AP"], USAGE, "export quarantine has no filter --agency"),
    (
        ["export", "runs", "--since", "2021-01-01", "--status", "active"],
        USAGE,
        "export runs has no filter --since, --status",
    ),
    (
        ["export", "versions", "--detected-since", "2021-01-01"],
        USAGE,
        "export versions has no filter --detected-since (its filters: --source, --kind,",
    ),
    # Dates: publication dates are days; a time belongs to the detection filters.
    (["search", "law", "--since", "2020-13-45"], USAGE, "'2020-13-45' is not a date (YYYY-MM-DD)"),
    (
        ["changes", "--since", "2026-12-01T10:00:00Z"],
        USAGE,
        "publication dates are days; a detection time is --detected-since/--detected-until",
    ),
    (["changes", "--detected-since", "soon"], USAGE, "'soon' is not a date or time"),
    (["export", "changes", "--detected-until", "2026-02-30"], USAGE, "is not a date or time"),
    (["export", "articles", "--as-of", "yesterday"], USAGE, "'yesterday' is not a date or time"),
    # Articles that are not there.
    (["show", "999"], FAILED, "no article with id 999 in the archive"),
    (["history", "999"], FAILED, "no article with id 999 in the archive"),
    # `search` prints ids as #12; pasted back whole they are ids still.
    (["show", "#999"], FAILED, "no article with id 999 in the archive"),
    (
        ["show", "https://www.example.org/reports/other/"],
        FAILED,
        "no article with URL https://www.example.org/reports/other/ in the archive",
    ),
    (["history", "https://elsewhere.example/reports/short/"], FAILED, "no article with URL"),
    # Option errors of click itself are one line too.
    (
        ["search", "law", "--kindd", "report"],
        USAGE,
        "No such option '--kindd'. Did you mean '--kind'?",
    ),
    (
        ["export", "nosuch"],
        USAGE,
        "'nosuch' is not one of 'articles', 'changes', 'credits', 'quarantine', 'runs',",
    ),
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> SmallArchive:
    return build_small_archive(tmp_path_factory.mktemp("bad-input-read") / "archive.sqlite")


@pytest.mark.parametrize(
    ("args", "exit_code", "expected"), CASES, ids=[" ".join(c[0]) for c in CASES]
)
def test_bad_input_is_refused_in_one_line(
    archive: SmallArchive, args: list[str], exit_code: int, expected: str
) -> None:
    before = FileState.of(archive.path)
    result = run_cli(args, archive.path)
    assert_one_line_error(result, expected, exit_code=exit_code)
    assert_unchanged(archive.path, before)


def test_every_unknown_value_names_the_known_ones(archive: SmallArchive) -> None:
    from newsroom_archive.normalise.kinds import KINDS

    result = run_cli(["search", "law", "--kind", "nosuch"], archive.path)
    line = result.stderr.strip()
    # The list ends the message; the group then points at the command's help.
    assert line.endswith("known: " + ", ".join(sorted(KINDS)) + " (see 'main search --help')")
    assert "did you mean" not in line


def test_an_archive_without_sources_says_so(tmp_path: Path) -> None:
    from newsroom_archive.archive import Archive

    Archive(f"sqlite:///{tmp_path / 'empty.sqlite'}").close()
    before = FileState.of(tmp_path / "empty.sqlite")
    result = run_cli(["export", "articles", "--source", "example"], tmp_path / "empty.sqlite")
    assert_one_line_error(result, "'example' is not a known source; known: none yet", exit_code=2)
    assert_unchanged(tmp_path / "empty.sqlite", before)
