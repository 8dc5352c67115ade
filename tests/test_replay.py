"""Replay (`scrapy crawl NAME -a replay=PATH`): crawls answered from WARC captures.

The index and the middleware on WARCs written here record by record; then real crawls
of captures of the sample newsroom, made with urllib while it served and replayed after
it stopped, compared with its answer key field by field.
"""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
import subprocess
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import UsageError
from scrapy.http import Response, TextResponse
from scrapy.settings import default_settings
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsroom_archive import settings as project_settings
from newsroom_archive import stats as keys
from newsroom_archive.crawl import LOOPBACK_SETTINGS, crawl_command, crawl_environment, run_crawl
from newsroom_archive.planner import CrawlPolicy
from newsroom_archive.sample_site import SampleNewsroom, article_url, expected_articles
from newsroom_archive.sites import get_site
from newsroom_archive.warc.replay import (
    MIDDLEWARE,
    ORDER,
    CaptureIndex,
    ReplayMiddleware,
    replay_source,
    was_captured,
)
from spiders.base import not_fetched
from spiders.loader import spider_class
from tests.helpers.bad_input import FileState, assert_one_line_error, assert_unchanged
from tests.helpers.expectations import expected_changes, expected_row
from tests.helpers.exports import changes_of_run, export
from tests.helpers.warc_capture import (
    Fetched,
    Written,
    crawl_urls,
    fetch,
    payload_digest,
    response_record,
    write_wacz,
    write_warc,
)

WHAT = "replay must name a WARC file, a folder of WARC files or a WACZ file"
URL = "http://news.example.org/news/a/"
OTHER = "http://news.example.org/news/b/"
PAGE = b"<html><head><title>A</title></head><body><h1>A</h1></body></html>"


# -- WARCs written record by record ----------------------------------------------------


@dataclass
class Record:
    """One record to write: a response, or (``refers_to``/``digest``) a revisit."""

    uri: str
    date: str
    status: int = 200
    headers: Sequence[tuple[str, str]] = (("Content-Type", "text/html; charset=utf-8"),)
    body: bytes = PAGE
    revisit: bool = False
    refers_to: str | None = None
    refers_to_date: str = ""
    digest: str | None = None


def write(path: Path, records: Sequence[Record], gzipped: bool = True) -> list[str]:
    """A WARC of `records` after a warcinfo record; returns the records' ids."""
    ids = []
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gzipped, warc_version="WARC/1.1")
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for r in records:
            reason = {200: "OK", 304: "Not Modified", 404: "Not Found"}.get(r.status, "X")
            http = StatusAndHeaders(f"{r.status} {reason}", list(r.headers), "HTTP/1.1")
            revisit_of = (
                Written(r.refers_to, r.refers_to_date, r.digest or payload_digest(r.body))
                if r.revisit
                else None
            )
            record = response_record(writer, r.uri, r.date, http, r.body, revisit_of)
            writer.write_record(record)
            ids.append(record.rec_headers.get_header("WARC-Record-ID"))
    return ids


def second_run(uri: str, body: bytes = PAGE, **more: Any) -> Record:
    """A revisit a day after the first run (headers `X-Run: 2`), of its record of `uri`."""
    return Record(
        uri,
        "2026-01-02T00:00:00Z",
        headers=[("X-Run", "2")],
        body=body,
        revisit=True,
        refers_to_date="2026-01-01T00:00:00Z",
        **more,
    )


def answer(index: CaptureIndex, url: str) -> tuple[int, dict[str, str], bytes]:
    capture = index.lookup(url)
    assert capture is not None, url
    got = index.answer(capture)
    return got.status, dict(got.headers), got.body


def test_the_latest_capture_of_a_uri_answers(tmp_path: Path) -> None:
    # In one file the later capture comes first: the WARC-Date decides, not the order.
    write(
        tmp_path / "a.warc.gz",
        [
            Record(URL, "2026-01-02T00:00:00Z", headers=[("ETag", '"new"')], body=b"new"),
            Record(URL, "2026-01-01T00:00:00Z", headers=[("ETag", '"old"')], body=b"old"),
            Record(OTHER, "2026-01-01T00:00:00Z", body=b"there"),
        ],
    )
    write(
        tmp_path / "b.warc.gz",
        [
            # A 304 carries no page: it never hides the page captured before it.
            Record(URL, "2026-01-03T00:00:00Z", 304, [("ETag", '"new"')], b""),
            # A page gone since: its 404 is the latest capture, and answers.
            Record(OTHER, "2026-01-02T00:00:00.5Z", 404, body=b"gone"),
        ],
    )
    index = CaptureIndex.of(tmp_path)
    assert (len(index), index.records, index.problems, index.unresolved) == (2, 7, [], 0)
    assert answer(index, URL) == (200, {"ETag": '"new"'}, b"new")
    assert answer(index, OTHER) == (404, {"Content-Type": "text/html; charset=utf-8"}, b"gone")
    assert index.lookup("http://news.example.org/news/c/") is None


def test_a_revisit_answers_with_its_headers_and_its_originals_payload(tmp_path: Path) -> None:
    (original, _) = write(
        tmp_path / "run1.warc.gz",
        [
            Record(URL, "2026-01-01T00:00:00Z", headers=[("X-Run", "1")]),
            Record(OTHER, "2026-01-01T00:00:00Z", headers=[("X-Run", "1")], body=b"b1"),
        ],
    )
    write(
        tmp_path / "run2.warc.gz",
        [
            second_run(URL, refers_to=original),
            # No WARC-Refers-To: the same payload digest of the URI it names finds it.
            second_run(OTHER, body=b"b1"),
        ],
    )
    index = CaptureIndex.of(tmp_path)
    assert answer(index, URL) == (200, {"X-Run": "2"}, PAGE)
    assert answer(index, OTHER) == (200, {"X-Run": "2"}, b"b1")
    capture = index.lookup(URL)
    assert capture is not None and capture.record_id != original
    assert capture.date == datetime(2026, 1, 2, tzinfo=UTC)


def test_a_runs_file_alone_finds_its_originals_in_the_files_beside_it(tmp_path: Path) -> None:
    (original, _) = write(
        tmp_path / "run1.warc.gz",
        [Record(URL, "2026-01-01T00:00:00Z"), Record(OTHER, "2026-01-01T00:00:00Z")],
    )
    run2 = tmp_path / "run2.warc.gz"
    write(
        run2,
        [
            second_run(URL, refers_to=original),
        ],
    )
    index = CaptureIndex.of(run2)
    assert answer(index, URL) == (200, {"X-Run": "2"}, PAGE)
    # The earlier run's file lends its records; its captures do not answer.
    assert index.lookup(OTHER) is None
    assert (index.answering, len(index.files), index.unresolved) == (1, 2, 0)


def test_a_revisit_whose_original_is_missing_answers_nothing(tmp_path: Path) -> None:
    write(
        tmp_path / "run2.warc.gz",
        [
            Record(URL, "2026-01-01T00:00:00Z", headers=[("X-Run", "1")], body=b"old"),
            second_run(
                URL,
                refers_to="<urn:uuid:00000000-0000-0000-0000-000000000000>",
                digest=payload_digest(b"not here"),
            ),
        ],
    )
    index = CaptureIndex.of(tmp_path / "run2.warc.gz")
    assert index.unresolved == 1
    assert answer(index, URL) == (200, {"X-Run": "1"}, b"old")


def test_a_body_from_a_chunked_response_is_dechunked(tmp_path: Path) -> None:
    # Other WARC tools keep the transfer coding; the HTTP client would have removed it.
    chunked = b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    write(
        tmp_path / "a.warc",
        [
            Record(
                URL,
                "2026-01-01T00:00:00Z",
                headers=[("Transfer-Encoding", "chunked")],
                body=chunked,
            )
        ],
        gzipped=False,
    )
    assert answer(CaptureIndex.of(tmp_path / "a.warc"), URL) == (200, {}, b"hello world")


def test_a_warc_cut_short_keeps_the_captures_before_the_cut(tmp_path: Path) -> None:
    warc = tmp_path / "a.warc.gz"
    write(warc, [Record(URL, "2026-01-01T00:00:00Z"), Record(OTHER, "2026-01-01T00:00:01Z")])
    data = warc.read_bytes()
    warc.write_bytes(data[: len(data) - 40])
    index = CaptureIndex.of(warc)
    assert answer(index, URL) == (200, {"Content-Type": "text/html; charset=utf-8"}, PAGE)
    assert index.lookup(OTHER) is None
    assert len(index.problems) == 1 and index.problems[0].startswith(f"{warc}: unreadable")


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_a_wacz_is_read_from_its_archive_folder(tmp_path: Path, compression: int) -> None:
    pages = {f"http://news.example.org/{n}/": f"page {n}".encode() * 50 for n in range(5)}
    warc = tmp_path / "data.warc.gz"
    write(warc, [Record(url, "2026-01-01T00:00:00Z", body=body) for url, body in pages.items()])
    wacz = write_wacz(tmp_path / "capture.wacz", [warc], compression)
    index = CaptureIndex.of(wacz)
    assert [str(f) for f in index.files] == [f"{wacz}:archive/data.warc.gz"]
    for url, body in reversed(pages.items()):  # read where each record lies, in any order
        assert answer(index, url)[2] == body


# -- the middleware --------------------------------------------------------------------


def middleware(source: Path) -> tuple[ReplayMiddleware, Any]:
    crawler = get_crawler(settings_dict={})
    crawler.spider = SimpleNamespace(policy=SimpleNamespace(replay=str(source)))
    return ReplayMiddleware.from_crawler(crawler), crawler


def request(url: str = URL, **headers: str) -> Request:
    return Request(url, headers={k.replace("_", "-"): v for k, v in headers.items()} or None)


def respond(mw: ReplayMiddleware, req: Request) -> Response:
    response = mw.process_request(req)
    assert isinstance(response, Response)
    return response


def test_a_gzip_encoded_body_is_kept_and_decoded_by_scrapy(tmp_path: Path) -> None:
    encoded = gzip.compress(PAGE)
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")]
    write(
        tmp_path / "a.warc.gz", [Record(URL, "2026-01-01T00:00:00Z", body=encoded, headers=headers)]
    )
    mw, crawler = middleware(tmp_path)
    req = request()
    raw = respond(mw, req)
    assert (raw.status, raw.body, raw.flags) == (200, encoded, ["replay"])
    assert raw.headers["Content-Encoding"] == b"gzip"
    decoded = HttpCompressionMiddleware.from_crawler(crawler).process_response(req, raw)
    assert isinstance(decoded, TextResponse)
    assert decoded.text == PAGE.decode()
    assert decoded.css("h1::text").get() == "A"
    assert req.meta["replay_record_id"].startswith("<urn:uuid:")


# (case, the capture's status and headers, the request's headers, the status answered)
ETAG = '"abc"'
MODIFIED = "Wed, 01 Jan 2025 00:00:00 GMT"
VALIDATED = [("ETag", ETAG), ("Last-Modified", MODIFIED), ("Content-Type", "text/html")]
CONDITIONAL = [
    ("no validators", 200, VALIDATED, {}, 200),
    ("ETag matches", 200, VALIDATED, {"If-None-Match": ETAG}, 304),
    ("one of several", 200, VALIDATED, {"If-None-Match": '"x", W/"abc"'}, 304),
    ("any", 200, VALIDATED, {"If-None-Match": "*"}, 304),
    ("ETag differs", 200, VALIDATED, {"If-None-Match": '"other"'}, 200),
    # If-None-Match decides alone, as RFC 9110 says, even when the date would match.
    (
        "ETag differs, date matches",
        200,
        VALIDATED,
        {"If-None-Match": '"other"', "If-Modified-Since": MODIFIED},
        200,
    ),
    (
        "not modified since",
        200,
        VALIDATED,
        {"If-Modified-Since": "Thu, 02 Jan 2025 00:00:00 GMT"},
        304,
    ),
    ("modified since", 200, VALIDATED, {"If-Modified-Since": "Tue, 31 Dec 2024 00:00:00 GMT"}, 200),
    ("no ETag captured", 200, [("Content-Type", "text/html")], {"If-None-Match": ETAG}, 200),
    ("a captured 404 stays one", 404, [("ETag", ETAG)], {"If-None-Match": ETAG}, 404),
    ("only a 304 captured, matching", 304, [("ETag", ETAG)], {"If-None-Match": ETAG}, 304),
    ("only a 304 captured, unconditional", 304, [("ETag", ETAG)], {}, 404),
]


@pytest.mark.parametrize(
    ("captured", "headers", "sent", "status"),
    [case[1:] for case in CONDITIONAL],
    ids=[case[0] for case in CONDITIONAL],
)
def test_conditional_requests_are_answered_as_the_newsroom_would(
    tmp_path: Path,
    captured: int,
    headers: list[tuple[str, str]],
    sent: dict[str, str],
    status: int,
) -> None:
    body = b"" if captured == 304 else PAGE
    write(tmp_path / "a.warc.gz", [Record(URL, "2026-01-01T00:00:00Z", captured, headers, body)])
    mw, crawler = middleware(tmp_path)
    response = respond(mw, Request(URL, headers=sent or None))
    assert response.status == status
    if status == 304:
        assert response.body == b""
        assert response.headers.get("ETag") == ETAG.encode()
        assert not {b"Content-Type", b"Content-Length"} & set(response.headers)
        assert crawler.stats.get_value(keys.REPLAY_NOT_MODIFIED) == 1
    elif status == 200:
        assert response.body == PAGE
    assert was_captured(response) is (captured != 304 or status == 304)


def test_a_url_not_captured_is_a_404_saying_so(tmp_path: Path) -> None:
    write(tmp_path / "a.warc.gz", [Record(URL, "2026-01-01T00:00:00Z")])
    mw, crawler = middleware(tmp_path)
    missing = respond(mw, request(OTHER))
    assert (missing.status, was_captured(missing)) == (404, False)
    assert missing.headers["X-Newsroom-Replay"] == b"not-captured"
    # Spelled differently, the same URL is captured: fragment, escapes, query order.
    found = respond(mw, request(URL + "#top"))
    assert (found.status, was_captured(found), found.body) == (200, True, PAGE)
    assert crawler.stats.get_value(keys.REPLAY_NOT_CAPTURED) == 1
    assert crawler.stats.get_value(keys.REPLAY_ANSWERED) == 1


def test_a_page_not_captured_is_not_fetched_and_no_answer_to_a_removal_check(
    tmp_path: Path,
) -> None:
    write(tmp_path / "a.warc.gz", [Record(URL, "2026-01-01T00:00:00Z")])
    mw, _ = middleware(tmp_path)
    missing = respond(mw, request(OTHER))
    failure = Failure(HttpError(missing, "Ignoring non-200 response"))
    failure.request = missing.request  # type: ignore[attr-defined]
    assert not_fetched(failure, missing) == ("not_captured", "not in the replayed capture")
    spider = spider_class(get_site("amnestyusa"))()
    (check,) = spider.parse_check(missing, OTHER)
    assert (check.url, check.status) == (OTHER, 0)


def test_without_a_replay_source_the_middleware_passes_every_request_on() -> None:
    crawler = get_crawler(settings_dict={})
    crawler.spider = SimpleNamespace(policy=SimpleNamespace(replay=None))
    assert ReplayMiddleware.from_crawler(crawler).process_request(request()) is None


def test_the_middleware_answers_after_every_other_request_middleware() -> None:
    # After robots.txt (100), the Accept-Encoding of HttpCompression (590) and the
    # downloader stats (850): each sees the replayed request as it would a live one.
    project = project_settings.DOWNLOADER_MIDDLEWARES
    assert project[MIDDLEWARE] == ORDER
    others = [
        *default_settings.DOWNLOADER_MIDDLEWARES_BASE.values(),
        project["newsroom_archive.redirects.OffsiteGuard"],
        project["newsroom_archive.redirects.RedirectGuard"],
    ]
    assert max(others) < ORDER


# -- the replay argument ---------------------------------------------------------------


def test_replay_sources_are_checked(tmp_path: Path) -> None:
    warc = tmp_path / "warc" / "a.warc.gz"
    warc.parent.mkdir()
    write(warc, [Record(URL, "2026-01-01T00:00:00Z")])
    wacz = write_wacz(tmp_path / "a.wacz", [warc])
    for good in (warc, warc.parent, wacz):
        assert replay_source(str(good)) == good.resolve()
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.txt").write_text("not a WARC\n")
    write(tmp_path / "info.warc.gz", [])  # a warcinfo record only: nothing to replay
    with zipfile.ZipFile(tmp_path / "nowarc.wacz", "w") as z:
        z.writestr("datapackage.json", "{}")
    missing = str(tmp_path / "missing.warc.gz")
    cases = [
        (missing, f"{WHAT}; {missing!r} does not exist"),
        *(
            (
                str(tmp_path / name),
                f"{WHAT}; {str(tmp_path / name)!r} holds no WARC response records",
            )
            for name in ("empty", "notes.txt", "info.warc.gz", "nowarc.wacz")
        ),
    ]
    spider = spider_class(get_site("amnestyusa"))
    for value, message in cases:
        with pytest.raises(ValueError) as raised:
            replay_source(value)
        assert str(raised.value) == message
        with pytest.raises(UsageError) as refused:
            spider.parse_arguments(replay=value)
        assert str(refused.value) == message
    with pytest.raises(ValueError) as raised:
        CrawlPolicy.from_arguments("https://news.example.org/", replay=" ")
    assert str(raised.value) == f"{WHAT}, got ' '"
    # Recorded with the run as the absolute path it read.
    assert spider.parse_arguments(replay=str(warc.parent)).replay == str(warc.parent.resolve())


# -- crawls of captures of the sample newsroom -----------------------------------------


@dataclass(frozen=True)
class Captures:
    """Captures of the sample newsroom, which has stopped serving: `folder` holds two runs'
    files of it as first seen (the second all revisits), `file` the first run's alone,
    `wacz` a WACZ of that; `edited` a third run's file (revisits where a page did not
    change) after the newsroom was edited, with the 404 of its deleted article beside
    the first run's file, and `edited_unchecked` the same without that 404."""

    base_url: str
    start_url: str
    folder: Path
    file: Path
    wacz: Path
    edited: Path
    edited_unchecked: Path
    deleted: str


@pytest.fixture(scope="module")
def captures(tmp_path_factory: pytest.TempPathFactory) -> Captures:
    root = tmp_path_factory.mktemp("captures")
    folder, checked, unchecked = root / "warc", root / "checked", root / "unchecked"
    for path in (folder, checked, unchecked):
        path.mkdir()
    name = "amnestyusa-{:06d}-202601{:02d}000000-00000.warc.gz".format
    with SampleNewsroom("base") as site:
        pages = [fetch(url) for url in crawl_urls(site)]
        run1 = folder / name(1, 1)
        first = write_warc(run1, pages, datetime(2026, 1, 1, tzinfo=UTC))
        again = [fetch(url) for url in crawl_urls(site)]
        write_warc(folder / name(2, 2), again, datetime(2026, 1, 2, tzinfo=UTC), first)
        site.set_state("edited")
        listed = [fetch(url) for url in crawl_urls(site, "edited")]
        listed_urls = {page.url for page in listed}
        (deleted,) = {
            article_url(site.base_url, s) for s in expected_articles("base")
        } - listed_urls
        # The crawl of the edited newsroom asks for the article it no longer lists.
        check = fetch(deleted)
        assert check.status == 404
        base_url, start_url = site.base_url, site.start_url
    when = datetime(2026, 1, 3, tzinfo=UTC)
    edited, edited_unchecked = checked / name(3, 3), unchecked / name(3, 3)
    for path, run in ((edited, [*listed, check]), (edited_unchecked, listed)):
        shutil.copyfile(run1, path.parent / run1.name)
        write_warc(path, run, when, first)
    wacz = write_wacz(root / "capture.wacz", [run1])
    return Captures(base_url, start_url, folder, run1, wacz, edited, edited_unchecked, deleted)


def replay(
    captures: Captures, source: Path, db: Path, settings: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`scrapy crawl amnestyusa -a replay=SOURCE` into `db`, which succeeds; with the
    politeness of a live crawl (a replay waits for nothing) unless `settings` say."""
    result = run_crawl(
        "amnestyusa",
        archive_url=f"sqlite:///{db}",
        spider_args={"start_url": captures.start_url, "replay": source},
        settings={"RETRY_TIMES": "0", **(settings or {})},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def run_row(db: Path, run_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The run's (counts and arguments, stats)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        row = conn.execute(
            "select status, pages_fetched, new, changed, unchanged, removed, quarantined, "
            "errors, args, stats from crawl_runs where id = ?",
            (run_id,),
        ).fetchone()
    conn.close()
    names = ("status", "pages", "new", "changed", "unchanged", "removed", "quarantined", "errors")
    return {**dict(zip(names, row[:8], strict=True)), "args": json.loads(row[8])}, json.loads(
        row[9]
    )


def assert_archive_is_the_answer_key(captures: Captures, db: Path, runs: int = 1) -> None:
    """Every article and field of the answer key; every card sighted once per run."""
    base = captures.base_url
    rows = {row["url"]: row for row in export(db)}
    specs = expected_articles("base")
    assert set(rows) == {article_url(base, spec) for spec in specs}
    assert len(rows) == 32
    for spec in specs:
        want = expected_row(base, spec)
        row = rows[article_url(base, spec)]
        assert {key: row[key] for key in want} == want, spec.slug
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        sightings = conn.execute(
            "select a.url, s.listing_url, s.page_number, s.position, s.title "
            "from sightings s join articles a on a.id = s.article_id"
        ).fetchall()
    conn.close()
    listing = {1: f"{base}/news/"} | {n: f"{base}/news/page/{n}/" for n in (2, 3, 4)}
    assert sorted(sightings) == sorted(
        (article_url(base, s), listing[s.page or 0], s.page, s.position, s.title)
        for s in specs
        for _ in range(runs)
    )


def assert_replayed_every_page(stats: dict[str, Any]) -> None:
    # robots.txt, 4 listing pages and 32 article pages, all from the capture.
    assert stats[keys.REPLAY_ANSWERED] == 37
    assert stats["downloader/response_status_count/200"] == 37
    assert keys.REPLAY_NOT_CAPTURED not in stats
    assert "downloader/exception_count" not in stats


@pytest.fixture(scope="module")
def replayed(
    captures: Captures, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, subprocess.CompletedProcess[str]]]:
    """The folder replayed into a fresh archive (the newsroom long stopped)."""
    db = tmp_path_factory.mktemp("replayed") / "archive.sqlite"
    yield db, replay(captures, captures.folder, db)


@pytest.mark.crawl
def test_a_replay_of_a_folder_archives_what_the_newsroom_served(
    captures: Captures, replayed: tuple[Path, subprocess.CompletedProcess[str]]
) -> None:
    db, result = replayed
    assert_archive_is_the_answer_key(captures, db)
    run, stats = run_row(db, 1)
    assert run == {
        "status": "finished",
        "pages": 37,
        "new": 32,
        "changed": 0,
        "unchanged": 0,
        "removed": 0,
        "quarantined": 0,
        "errors": 0,
        "args": {
            "start_url": captures.start_url,
            "mode": "full",
            "max_pages": None,
            "recheck_days": None,
            "replay": str(captures.folder),
        },
    }
    assert_replayed_every_page(stats)
    assert keys.REPLAY_NOT_MODIFIED not in stats  # a fresh archive sends no validators
    assert f"replaying 37 URIs from 2 WARC files in {captures.folder}" in result.stderr


@pytest.mark.crawl
@pytest.mark.parametrize("source", ["file", "wacz"])
def test_a_replay_of_one_warc_or_a_wacz(captures: Captures, tmp_path: Path, source: str) -> None:
    db = tmp_path / "archive.sqlite"
    # Settings cannot turn the replay middleware off and let the crawl go live.
    off = json.dumps({MIDDLEWARE: None})
    replay(captures, getattr(captures, source), db, {"DOWNLOADER_MIDDLEWARES": off})
    assert_archive_is_the_answer_key(captures, db)
    assert_replayed_every_page(run_row(db, 1)[1])


def replay_into_the_replayed(
    captures: Captures, replayed: tuple[Path, Any], source: Path, tmp_path: Path
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """`source` replayed into a copy of the archive the folder was replayed into."""
    db = tmp_path / "archive.sqlite"
    shutil.copyfile(replayed[0], db)
    return db, replay(captures, source, db)


@pytest.mark.crawl
def test_a_replay_into_the_same_archive_finds_every_page_unchanged(
    captures: Captures, replayed: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    db, _ = replay_into_the_replayed(captures, replayed, captures.folder, tmp_path)
    # Its requests carry the validators of the first replay: the capture's ETags match.
    run, stats = run_row(db, 2)
    assert (run["new"], run["changed"], run["unchanged"], run["removed"]) == (0, 0, 32, 0)
    assert stats[keys.REPLAY_NOT_MODIFIED] == stats[keys.ARTICLE_NOT_MODIFIED] == 32
    assert stats["downloader/response_status_count/304"] == 32
    assert changes_of_run(db, 2) == set()
    assert_archive_is_the_answer_key(captures, db, runs=2)


@pytest.mark.crawl
def test_replays_of_successive_captures_record_the_changes_the_crawls_saw(
    captures: Captures, replayed: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    db, result = replay_into_the_replayed(captures, replayed, captures.edited, tmp_path)
    # The run's file alone, its unchanged pages revisits of the first run's file beside it.
    assert "originals of revisits looked up in 1 more WARC files beside it" in result.stderr
    assert changes_of_run(db, 2) == expected_changes(captures.base_url, "base", "edited")
    articles = {row["url"]: row for row in export(db)}
    assert articles[captures.deleted]["status"] == "removed"


@pytest.mark.crawl
def test_a_removal_check_the_capture_cannot_answer_removes_nothing(
    captures: Captures, replayed: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    db, _ = replay_into_the_replayed(captures, replayed, captures.edited_unchecked, tmp_path)
    run, stats = run_row(db, 2)
    assert stats[keys.REPLAY_NOT_CAPTURED] == 1
    assert run["removed"] == 0
    articles = {row["url"]: row for row in export(db)}
    assert (articles[captures.deleted]["status"], articles[captures.deleted]["removed_at"]) == (
        "active",
        "",
    )
    expected = expected_changes(captures.base_url, "base", "edited")
    assert changes_of_run(db, 2) == {row for row in expected if row[0] != "removed"}


@pytest.mark.crawl
def test_a_replay_of_what_holds_no_warc_is_refused_with_one_line(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a WARC\n")
    db = tmp_path / "archive.sqlite"
    before = FileState.of(db)
    words = crawl_command(
        "amnestyusa",
        archive_url=f"sqlite:///{db}",
        spider_args={"replay": notes},
        settings=LOOPBACK_SETTINGS,
    )
    done = subprocess.run(
        words, env=crawl_environment(), capture_output=True, text=True, timeout=120, check=False
    )
    result = SimpleNamespace(
        exit_code=done.returncode,
        stderr=done.stderr,
        output=done.stdout + done.stderr,
        exception=None,
    )
    assert_one_line_error(
        result,
        f"scrapy: error: {WHAT}; {str(notes)!r} holds no WARC response records",
        exit_code=2,
    )
    assert_unchanged(db, before)


def test_captures_of_the_helper_are_what_went_over_the_wire() -> None:
    """The helper's own check: urllib hands the body as sent, headers in order."""
    with SampleNewsroom("base") as site:
        page: Fetched = fetch(site.url("/robots.txt"))
        missing = fetch(site.url("/no-such-page/"))
    assert (page.status, page.body) == (200, b"User-agent: *\nDisallow:\n")
    assert ("Content-Type", "text/plain; charset=UTF-8") in page.headers
    assert missing.status == 404
