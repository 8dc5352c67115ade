"""Bad input during a real crawl: pages that lack fields are quarantined, never lost."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsroom_archive.cli import main
from newsroom_archive.crawl import LOOPBACK_SETTINGS, run_crawl

LISTING = """<html><body><div class="wp-block-post-content"><div class="ts-grid-col-3-outline">
<div class="card-md h-full relative"><a class="hocus-headline" href="/press-releases/untitled/">
<p class="card-md--tag--hocus utility-2xs mt-xs text-gray-300">March 31, 2020 • Press Release</p>
<p class="body-xs mt-xs">A card without a title.</p></a></div>
<div class="card-md h-full relative"><a class="hocus-headline" href="/press-releases/undated/">
<h3 class="utility-md">Date Unknown</h3>
<p class="card-md--tag--hocus utility-2xs mt-xs text-gray-300">February 30, 2020 • Update</p>
</a></div>
<div class="card-md h-full relative"><a class="hocus-headline" href="/press-releases/fine/">
<h3 class="utility-md">A Proper Title</h3>
<p class="card-md--tag--hocus utility-2xs mt-xs text-gray-300">March 30, 2020</p></a></div>
<div class="card-md h-full relative"><a class="hocus-headline" href="/press-releases/broken/">
<h3 class="utility-md">Server Error Ahead</h3>
<p class="card-md--tag--hocus utility-2xs mt-xs text-gray-300">March 29, 2020</p></a></div>
<div class="card-md h-full relative"><a class="hocus-headline" href="/reports/annual.pdf">
<h3 class="utility-md">Annual Report</h3>
<p class="card-md--tag--hocus utility-2xs mt-xs text-gray-300">March 28, 2020 • Report</p></a></div>
</div></div></body></html>"""
FINE = """<html><head><meta property="og:title" content="A Proper Title"></head><body>
<div class="content-wrapper"><article><div class="wp-block-post-content"><p>Text.</p></div>
</article></div></body></html>"""
PAGES = {
    "/news/": (200, LISTING),
    "/press-releases/undated/": (200, FINE.replace("A Proper Title", "Date Unknown")),
    "/press-releases/fine/": (200, FINE),
    "/press-releases/broken/": (500, "<html><body>oops</body></html>"),
    "/robots.txt": (200, "User-agent: *\nDisallow:\n"),
    "/reports/annual.pdf": (200, "%PDF-1.4 binary"),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status, body = PAGES.get(self.path, (404, "not found"))
        data = body.encode("utf-8")
        self.send_response(status)
        kind = "application/pdf" if self.path.endswith(".pdf") else "text/html; charset=utf-8"
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.crawl
def test_items_that_fail_validation_are_quarantined_with_reason_and_raw(
    server: str, tmp_path: Path
) -> None:
    db = tmp_path / "a.sqlite"
    result = run_crawl(
        "amnestyusa",
        archive_url=f"sqlite:///{db}",
        spider_args={"start_url": f"{server}/news/"},
        settings=LOOPBACK_SETTINGS,
    )
    # The 500 is an error of the run, which therefore failed: exit status 1.
    assert result.returncode == 1, result.stderr[-2000:]
    assert f"article {server}/reports/annual.pdf is a application/pdf document" in result.stderr
    with sqlite3.connect(db) as conn:
        # The stats are stored with the run (the log no longer dumps them).
        stats = json.loads(conn.execute("select stats from crawl_runs").fetchone()[0])
        quarantined = conn.execute(
            "select url, reason, raw from quarantine order by url"
        ).fetchall()
        articles = conn.execute(
            "select a.url, v.title, v.kind, v.body from articles a "
            "join versions v on v.id = a.current_version_id"
        ).fetchall()
        run = conn.execute("select status, new, quarantined from crawl_runs").fetchall()
    assert (stats["item/quarantined"], stats["listing/cards_incomplete"]) == (3, 1)
    assert stats["article/documents"] == 1
    assert [(url, reason) for url, reason, _ in quarantined] == [
        (f"{server}/press-releases/broken/", "article page not fetched: HTTP 500"),
        (
            f"{server}/press-releases/undated/",
            "published_date unparseable: 'February 30, 2020'",
        ),
        (
            f"{server}/press-releases/untitled/",
            "card lacks title (has the listing markup changed?); title missing",
        ),
    ]
    broken, undated, untitled = (json.loads(raw) for _, _, raw in quarantined)
    assert broken["card"]["title"] == "Server Error Ahead"
    assert broken["fetch"]["status"] == 500
    assert undated["card"]["date_text"] == "February 30, 2020"
    assert undated["card"]["type_label"] == "Update"
    assert undated["page"]["title"] == "Date Unknown"
    assert untitled["card"]["teaser"] == "A card without a title."
    assert untitled["card"]["date_text"] == "March 31, 2020"
    assert untitled["page"] is None
    # A card that links a PDF is archived from what the card shows.
    assert sorted(articles) == [
        (f"{server}/press-releases/fine/", "A Proper Title", "press-release", "Text."),
        (f"{server}/reports/annual.pdf", "Annual Report", "report", None),
    ]
    assert run == [("failed", 2, 3)]

    cli = CliRunner().invoke(main, ["--db", f"sqlite:///{db}", "quarantine"])
    assert cli.exit_code == 0
    lines = cli.stdout.splitlines()
    assert lines[-1] == "3 quarantined items"
    assert sorted(zip(lines[0:-1:2], lines[1:-1:2], strict=True)) == [
        (f"run 1  {server}/{path}", f"  {reason}")
        for (url, reason, _), path in zip(
            quarantined,
            ("press-releases/broken/", "press-releases/undated/", "press-releases/untitled/"),
            strict=True,
        )
    ]
