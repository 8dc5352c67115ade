"""`reparse`: the stored pages read again by today's parsers; a different reading is a
version of cause `reparse`, never an edit by the newsroom."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from newsroom_archive.profiles import PACKAGE_DIR, PROFILES_ENV
from newsroom_archive.sample_site import SampleNewsroom
from newsroom_archive.serve import EDITED_SQL
from tests.helpers.bad_input import FileState, assert_unchanged
from tests.helpers.crawling import crawl
from tests.helpers.exports import export

pytestmark = pytest.mark.crawl


def _reparse(
    db: Path, *args: str, profiles: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop(PROFILES_ENV, None)
    if profiles is not None:
        env[PROFILES_ENV] = str(profiles)
    return subprocess.run(
        [sys.executable, "-m", "newsroom_archive", "--db", str(db), "reparse", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return list(conn.execute(sql))


def test_today_s_parser_reads_stored_pages_again_and_records_reparses(tmp_path: Path) -> None:
    db = tmp_path / "archive.sqlite"
    with SampleNewsroom("base") as site:
        site.start()
        crawl(site, db)
    # Today's profile reads every stored page as the crawl did.
    before = FileState.of(db)
    same = _reparse(db, "--dry-run")
    assert same.returncode == 0, same.stderr
    assert same.stdout.splitlines() == [
        "read 32 stored pages again: 32 unchanged, 0 would change (dry run: nothing written)"
    ]
    assert_unchanged(db, before)
    # A newer profile of the newsroom: its press releases are now read as statements.
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    text = (PACKAGE_DIR / "amnestyusa.toml").read_text(encoding="utf-8")
    (profiles / "amnestyusa.toml").write_text(
        text.replace("[[layouts]]", '[kinds]\n"Press Release" = "statement"\n\n[[layouts]]', 1),
        encoding="utf-8",
    )
    releases = [
        url
        for (url,) in _rows(
            db,
            "select a.url from articles a join versions v on v.id = a.current_version_id "
            "where v.type_label = 'Press Release' and v.kind = 'press-release' order by a.url",
        )
    ]
    assert releases
    seen_before = _rows(db, "select url, last_seen_at, last_run_id from articles order by url")
    dry = _reparse(db, "--dry-run", profiles=profiles)
    assert dry.returncode == 0, dry.stderr
    lines = dry.stdout.splitlines()
    n = len(releases)
    assert lines[0] == (
        f"read 32 stored pages again: {32 - n} unchanged, {n} would change "
        "(dry run: nothing written)"
    )
    assert lines[1] == f"  kind: {n} articles"
    assert lines[2] == f"    {releases[0]}: 'press-release' -> 'statement'"
    assert len(lines) == 2 + min(n, 3)
    assert_unchanged(db, before)
    done = _reparse(db, "--source", "amnestyusa", profiles=profiles)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (
        f"read 32 stored pages again: {32 - n} unchanged, {n} changed"
    )
    changes = [r for r in export(db, "changes") if r["change"] == "reparsed"]
    assert sorted((r["url"], r["field"], r["old_value"], r["new_value"]) for r in changes) == [
        (url, "kind", "press-release", "statement") for url in releases
    ]
    versions = [r for r in export(db, "versions") if r["cause"] == "reparse"]
    assert sorted(r["url"] for r in versions) == releases
    assert {r["version"] for r in versions} == {"2"}
    # The page behind the new version is the one behind the old: no new fetch.
    assert all(r["warc_record_id"] for r in versions)
    assert {r["url"]: r["kind"] for r in export(db)} == {
        r["url"]: ("statement" if r["url"] in releases else r["kind"]) for r in export(db)
    }
    # Not an edit: the edited-articles query and the crawl bookkeeping do not move.
    assert _rows(db, EDITED_SQL) == []
    assert _rows(db, "select url, last_seen_at, last_run_id from articles order by url") == (
        seen_before
    )
    again = _reparse(db, profiles=profiles)
    assert again.stdout.splitlines()[0] == "read 32 stored pages again: 32 unchanged, 0 changed"


def test_a_reparse_of_an_unknown_newsroom_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "archive.sqlite"
    with SampleNewsroom("base") as site:
        site.start()
        crawl(site, db, max_pages=1)
    before = FileState.of(db)
    result = _reparse(db, "--source", "nosuch")
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert "no newsroom 'nosuch' in the archive (known: amnestyusa)" in line
    result = _reparse(db, "--since", "May 2021")
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert "'May 2021' is not a date (YYYY-MM-DD)" in line
    assert_unchanged(db, before)
