"""The raw evidence: real crawls of the sample newsroom write every response as WARC, and
every version, sighting and removal names its record, byte for byte what was served."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from newsroom_archive.cli import main
from newsroom_archive.crawl import LOOPBACK_SETTINGS, run_crawl
from newsroom_archive.sample_site import SampleNewsroom
from newsroom_archive.warc.capture import REVISIT_PROFILE
from tests.helpers.crawling import crawl, run_site_crawl, start_crawl, wait_for
from tests.helpers.exports import export

pytestmark = pytest.mark.crawl


def _rows(db: Path, sql: str) -> list[sqlite3.Row]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        return list(conn.execute(sql))


def _record(folder: Path, filename: str, offset: int) -> tuple[dict[str, str], bytes, object]:
    with open(folder / filename, "rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)))
        headers = dict(record.rec_headers.headers)
        body = record.content_stream().read()
        return headers, body, record.http_headers


def _warcio(*args: str) -> subprocess.CompletedProcess[str]:
    script = "import sys; from warcio.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=False
    )


def test_every_response_is_captured_and_every_row_names_its_record(tmp_path: Path) -> None:
    db = tmp_path / "archive.sqlite"
    folder = tmp_path / "warc"
    with SampleNewsroom("base") as site:
        site.start()
        crawl(site, db)
        served = {
            urlsplit(row["uri"]).path: site.page(urlsplit(row["uri"]).path).body
            for row in _rows(db, "select uri from captures where status = 200")
        }
        site.set_state("edited")
        crawl(site, db)
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 2 and all(f.startswith("amnestyusa-00000") for f in files)
    assert [f.split("-")[1] for f in files] == ["000001", "000002"]
    # warcio itself accepts every file the crawl wrote.
    checked = _warcio("check", "-v", *(str(folder / f) for f in files))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    captures = _rows(db, "select * from captures where run_id = 1 order by id")
    # robots.txt, four listing pages and 32 articles, every one a response record.
    assert len(captures) == 37
    assert {row["warc_type"] for row in captures} == {"response"}
    assert {urlsplit(row["uri"]).path for row in captures} >= {"/robots.txt", "/news/"}
    for row in captures:
        headers, body, http = _record(folder, row["filename"], row["offset"])
        assert headers["WARC-Record-ID"] == row["record_id"]
        assert headers["WARC-Target-URI"] == row["uri"]
        assert headers["WARC-Payload-Digest"] == row["payload_digest"]
        assert headers["WARC-Type"] == "response"
        if row["status"] == 200:
            # The body exactly as the newsroom served it.
            assert body == served[urlsplit(row["uri"]).path]
        assert http.get_statuscode() == str(row["status"])  # type: ignore[attr-defined]
    index = _warcio("index", "-f", "warc-type,offset", str(folder / files[0]))
    offsets = {
        int(entry["offset"])
        for entry in map(json.loads, index.stdout.splitlines())
        if entry["warc-type"] == "response"
    }
    assert offsets == {row["offset"] for row in captures}
    # Every version, sighting and removal names a record the archive lists.
    versions = _rows(
        db,
        "select a.url, v.warc_record_id, v.parser_version, v.cause, c.uri, c.status "
        "from versions v join articles a on a.id = v.article_id "
        "left join captures c on c.record_id = v.warc_record_id",
    )
    assert len(versions) >= 32
    assert all(v["uri"] == v["url"] and v["status"] == 200 for v in versions)
    assert {v["cause"] for v in versions} == {"crawl"}
    assert all(v["parser_version"] for v in versions)
    sightings = _rows(
        db,
        "select s.listing_url, c.uri from sightings s "
        "left join captures c on c.record_id = s.warc_record_id",
    )
    assert sightings and all(s["uri"] == s["listing_url"] for s in sightings)
    removals = _rows(
        db,
        "select a.url, c.uri, c.status from changes ch join articles a on a.id = ch.article_id "
        "join captures c on c.record_id = ch.warc_record_id where ch.change = 'removed'",
    )
    assert removals and all(r["uri"] == r["url"] and r["status"] == 404 for r in removals)
    # export versions carries each version's record, as the captures table says.
    exported = CliRunner().invoke(
        main, ["--db", str(db), "export", "versions", "--format", "jsonl"]
    )
    assert exported.exit_code == 0, exported.output
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    by_record = {row["record_id"]: row for row in _rows(db, "select * from captures")}
    assert len(rows) == len(versions)
    for row in rows:
        capture = by_record[row["warc_record_id"]]
        assert (row["warc_filename"], row["warc_offset"], row["warc_length"]) == (
            capture["filename"],
            capture["offset"],
            capture["length"],
        )
        assert (row["payload_digest"], row["cause"]) == (capture["payload_digest"], "crawl")
    # Each file opens with its warcinfo; each article response has its metadata record.
    with open(folder / files[0], "rb") as fh:
        records = list(ArchiveIterator(fh))
    assert records[0].rec_type == "warcinfo"
    metadata = [r for r in records if r.rec_type == "metadata"]
    assert len(metadata) == 32
    by_id = {row["record_id"]: row for row in captures}
    for record in metadata:
        concurrent = record.rec_headers.get_header("WARC-Concurrent-To")
        assert by_id[concurrent]["uri"] == record.rec_headers.get_header("WARC-Target-URI")


def test_a_quiet_recrawl_writes_revisits_of_the_first_capture(tmp_path: Path) -> None:
    db = tmp_path / "archive.sqlite"
    with SampleNewsroom("base") as site:
        site.start()
        crawl(site, db)
        crawl(site, db)
    first = {row["uri"]: row for row in _rows(db, "select * from captures where run_id = 1")}
    again = _rows(db, "select * from captures where run_id = 2")
    revisits = [row for row in again if row["warc_type"] == "revisit"]
    # Listing pages and robots.txt come back the same; articles answer 304 (empty bodies).
    assert revisits and all(first[r["uri"]]["record_id"] == r["refers_to"] for r in revisits)
    assert {row["status"] for row in again if row["warc_type"] == "response"} == {304}
    folder = tmp_path / "warc"
    for row in revisits:
        headers, body, _ = _record(folder, row["filename"], row["offset"])
        assert headers["WARC-Type"] == "revisit"
        assert headers["WARC-Profile"] == REVISIT_PROFILE
        assert headers["WARC-Refers-To"] == row["refers_to"]
        assert body == b""
    sizes = {
        run: sum(
            (folder / f["filename"]).stat().st_size
            for f in _rows(db, f"select distinct filename from captures where run_id = {run}")
        )
        for run in (1, 2)
    }
    assert sizes[2] < sizes[1] / 3, sizes


def test_capture_can_be_turned_off(tmp_path: Path) -> None:
    db = tmp_path / "archive.sqlite"
    with SampleNewsroom("base") as site:
        site.start()
        result = run_site_crawl(site, db, settings={"WARC_ENABLED": "False"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert not (tmp_path / "warc").exists()
    assert _rows(db, "select count(*) n from captures")[0]["n"] == 0
    assert _rows(db, "select count(warc_record_id) n from versions")[0]["n"] == 0


def test_a_killed_crawl_leaves_whole_records_and_links_that_resolve(tmp_path: Path) -> None:
    db = tmp_path / "archive.sqlite"
    folder = tmp_path / "other-folder"
    with SampleNewsroom("base") as site:
        site.start()
        settings = {**LOOPBACK_SETTINGS, "WARC_DIR": str(folder), "ARCHIVE_BATCH_SIZE": "3"}
        process = start_crawl(
            db, site.start_url, settings, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            found = wait_for(db, "select count(*) from versions", 6, process)
            assert found >= 6
            process.send_signal(signal.SIGKILL)
        finally:
            process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    (name,) = [p.name for p in folder.iterdir()]
    with open(folder / name, "rb") as fh:
        read = [record.rec_headers.get_header("WARC-Record-ID") for record in ArchiveIterator(fh)]
    assert read
    captures = _rows(db, "select * from captures")
    assert {row["record_id"] for row in captures} <= set(read)
    for row in captures:
        headers, _, _ = _record(folder, row["filename"], row["offset"])
        assert headers["WARC-Record-ID"] == row["record_id"]
    links = _rows(
        db,
        "select warc_record_id from versions union all select warc_record_id from sightings",
    )
    assert links and {row["warc_record_id"] for row in links} <= {r["record_id"] for r in captures}
    # The next run leaves the cut file alone and starts one of its own.
    cut = (folder / name).read_bytes()
    with SampleNewsroom("base") as site:
        site.start()
        result = run_site_crawl(site, db, settings={"WARC_DIR": str(folder)})
    assert result.returncode == 0, result.stderr[-2000:]
    assert (folder / name).read_bytes() == cut
    assert len(list(folder.iterdir())) == 2


def test_a_captured_crawl_replays_into_a_fresh_archive_with_the_same_records(
    tmp_path: Path,
) -> None:
    first = tmp_path / "crawled" / "archive.sqlite"
    first.parent.mkdir()
    with SampleNewsroom("base") as site:
        site.start()
        crawl(site, first)
        start_url = site.start_url
    # The sample newsroom is gone: the replay has only the WARC files the crawl wrote.
    again = tmp_path / "replayed" / "archive.sqlite"
    again.parent.mkdir()
    result = run_crawl(
        "amnestyusa",
        archive_url=f"sqlite:///{again}",
        spider_args={"start_url": start_url, "replay": str(first.parent / "warc")},
        settings={**LOOPBACK_SETTINGS, "WARC_ENABLED": "False"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    original = export(first)
    replayed = export(again)
    assert len(original) == 32
    keep = [c for c in original[0] if c not in ("first_seen_at", "last_seen_at")]
    assert [{c: row[c] for c in keep} for row in replayed] == [
        {c: row[c] for c in keep} for row in original
    ]
    assert _rows(again, "select count(*) n from versions")[0]["n"] == 32


def test_raw_and_wacz_serve_the_crawl_s_own_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import zipfile

    from wacz.main import main as wacz_main

    db = tmp_path / "archive.sqlite"
    with SampleNewsroom("base") as site:
        site.start()
        crawl(site, db)
        crawl(site, db)
        pages = _rows(db, "select a.url from articles a order by a.url")
        served = {row["url"]: site.page(urlsplit(row["url"]).path).body for row in pages}
    runner = CliRunner()
    # `raw` gives each article's page byte for byte as the sample newsroom served it.
    for url, body in served.items():
        result = runner.invoke(main, ["--db", str(db), "raw", url])
        assert result.exit_code == 0, result.output
        assert result.stdout_bytes == body, url
    # Run 2 is mostly revisits and 304s: its package still replays, and validates.
    package = tmp_path / "run-2.wacz"
    made = runner.invoke(main, ["--db", str(db), "wacz", "2", "-o", str(package)])
    assert made.exit_code == 0, made.output
    capsys.readouterr()
    assert wacz_main(["validate", "-f", str(package)]) == 0
    assert "Validation succeeded" in capsys.readouterr().out
    with zipfile.ZipFile(package) as wacz:
        names = set(wacz.namelist())
    assert {"datapackage.json", "pages/pages.jsonl"} <= names
    assert any(n.startswith("archive/amnestyusa-000002-") for n in names)
    # The WARC records all check out.
    checked = runner.invoke(main, ["--db", str(db), "check", "--warc"])
    assert checked.exit_code == 0, checked.output
    total = _rows(db, "select count(*) n from captures")[0]["n"]
    assert checked.stdout.splitlines()[-1] == f"{total} records checked, 0 missing, 0 damaged"


def test_a_run_s_files_rotate_by_size(tmp_path: Path) -> None:
    db = tmp_path / "archive.sqlite"
    with SampleNewsroom("base") as site:
        site.start()
        result = run_site_crawl(site, db, settings={"WARC_MAX_BYTES": "20000"})
    assert result.returncode == 0, result.stderr[-2000:]
    folder = tmp_path / "warc"
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) > 3
    # One run, numbered files, each opening with its own warcinfo, none far past the limit.
    assert [f.split("-")[-1] for f in files] == [
        f"{n:05d}.warc.gz" for n in range(1, len(files) + 1)
    ]
    for name in files:
        with open(folder / name, "rb") as fh:
            assert next(iter(ArchiveIterator(fh))).rec_type == "warcinfo"
        assert (folder / name).stat().st_size < 20000 + 16000
    listed = {row["filename"] for row in _rows(db, "select distinct filename from captures")}
    assert listed == set(files)
    for row in _rows(db, "select * from captures"):
        headers, _, _ = _record(folder, row["filename"], row["offset"])
        assert headers["WARC-Record-ID"] == row["record_id"]
