"""An archive whose versions link to WARC records, made in a moment without a crawl.

The versions are written through the archive's own API; the WARC files with warcio's own
``WARCWriter`` as the capture contract describes them (gzip per record, WARC/1.1, a
warcinfo record first, a request before each response, a metadata record after an
article's, a revisit for an unchanged page, a 304 as an ordinary response); the
``captures`` rows and ``versions.warc_record_id`` point at them as the crawl will.

    run 1  2026-01-01  article A version 1       archived before capture: no record
    run 2  2026-02-01  the listing page           200, plain HTML
                       article A version 2       200, Content-Encoding: gzip
                       article B version 1       200, windows-1252 HTML
    run 3  2026-03-01  article A version 3       revisit of A's run-2 response (a new
                                                 teaser on the listing, the page the same)
                       article B re-check        304 Not Modified, no new version

Every body and header here is written out below by hand: the tests compare what the
commands print with these, not with what the code under test computes.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, delete, select, update
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsroom_archive.archive import Archive
from newsroom_archive.archive.models import Article, Capture, Version
from newsroom_archive.items import ArticleRecord, NormalisedArticle
from newsroom_archive.warc.records import payload_digest
from tests.helpers.bad_input import FileState

LISTING_URL = "https://www.example.org/news/"
URL_A = "https://www.example.org/news/gzip-page/"
URL_B = "https://www.example.org/news/plain-page/"

PAGE_A = (
    '<!doctype html>\n<html lang="de"><head><meta charset="utf-8">'
    "<title>Über die Pressefreiheit</title></head>\n"
    "<body><h1>Über die Pressefreiheit</h1><p>Grüße aus Köln – édition 2.</p></body></html>\n"
).encode()
PAGE_A_GZIP = gzip.compress(PAGE_A, mtime=0)
"""Article A's page as the server sent it: gzip-compressed."""
PAGE_B = (
    '<html><head><meta charset="windows-1252"><title>Café</title></head>'
    "<body><p>Le café – « bien sûr ».</p></body></html>"
).encode("cp1252")
"""Article B's page in the server's charset, which `raw` does not convert."""
ALTERED_B = PAGE_B.replace(b"caf\xe9", b"CAF\xc9")
"""Article B's page with a word changed after capture: what a tampered record holds."""
LISTING = (
    b'<html><body><ul><li><a href="/news/gzip-page/">A</a></li>'
    b'<li><a href="/news/plain-page/">B</a></li></ul></body></html>'
)
EMPTY_SHA1 = "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"
"""The SHA-1 of no bytes, in base 32: the payload digest of a 304."""

HEADERS_A2 = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Content-Encoding", "gzip"),
    ("Content-Length", str(len(PAGE_A_GZIP))),
    ("ETag", '"a-2"'),
    ("Date", "Sun, 01 Feb 2026 10:00:05 GMT"),
]
HEADERS_A3 = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Content-Encoding", "gzip"),
    ("Content-Length", str(len(PAGE_A_GZIP))),
    ("ETag", '"a-2"'),
    ("Date", "Sun, 01 Mar 2026 10:00:05 GMT"),
    ("Age", "12"),
]
HEADERS_B = [
    ("Content-Type", "text/html; charset=windows-1252"),
    ("Content-Length", str(len(PAGE_B))),
    ("ETag", '"b-1"'),
]
HEADERS_B_304 = [("ETag", '"b-1"'), ("Date", "Sun, 01 Mar 2026 10:00:06 GMT")]
HEADERS_LISTING = [("Content-Type", "text/html"), ("Content-Length", str(len(LISTING)))]


@dataclass(frozen=True)
class Fetch:
    """One response the imagined crawl received."""

    name: str
    uri: str
    date: str
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    revisit_of: str | None = None
    article: bool = False


FILES: dict[str, tuple[int, list[Fetch]]] = {
    "example-000002-20260201100000-00000.warc.gz": (
        2,
        [
            Fetch(
                "listing", LISTING_URL, "2026-02-01T10:00:00Z", "200 OK", HEADERS_LISTING, LISTING
            ),
            Fetch(
                "a2", URL_A, "2026-02-01T10:00:05Z", "200 OK", HEADERS_A2, PAGE_A_GZIP, article=True
            ),
            Fetch("b1", URL_B, "2026-02-01T10:00:06Z", "200 OK", HEADERS_B, PAGE_B, article=True),
        ],
    ),
    "example-000003-20260301100000-00000.warc.gz": (
        3,
        [
            Fetch("a3", URL_A, "2026-03-01T10:00:05Z", "200 OK", HEADERS_A3, b"", revisit_of="a2"),
            Fetch("b304", URL_B, "2026-03-01T10:00:06Z", "304 Not Modified", HEADERS_B_304, b""),
        ],
    ),
}
SERVED = {f.name: f for _, fetches in FILES.values() for f in fetches}
"""Every response by name, with what the server sent."""


@dataclass(frozen=True)
class Written:
    """Where one record went."""

    record_id: str
    filename: str
    offset: int
    length: int
    payload_digest: str


@dataclass(frozen=True)
class WarcArchive:
    path: Path
    folder: Path
    records: dict[str, Written]

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"

    def file(self, name: str) -> Path:
        return self.folder / self.records[name].filename

    def state(self) -> dict[Path, FileState]:
        """The archive's file and every WARC file, to show that a command wrote none."""
        return {p: FileState.of(p) for p in [self.path, *sorted(self.folder.iterdir())]}


def sha1_base32(data: bytes) -> str:
    """A payload digest as WARC writes it, computed here without warcio."""
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def _record(article: str, teaser: str, body: str) -> NormalisedArticle:
    return NormalisedArticle(
        record=ArticleRecord(
            source="example",
            url=article,
            title="Über die Pressefreiheit" if article == URL_A else "Café",
            kind="press-release",
            published_date="2025-12-31",
            teaser=teaser,
            body=body,
        )
    )


def _write_file(
    path: Path,
    run_id: int,
    fetches: list[Fetch],
    altered: Collection[str],
    written: dict[str, Written],
) -> None:
    """Write ``fetches`` to ``path``, adding where each record went to ``written``."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True, warc_version="WARC/1.1")
        writer.write_record(
            writer.create_warcinfo_record(
                path.name,
                {
                    "software": "newsroom-archive/0.1.0",
                    "run-id": run_id,
                    "source": "example",
                    "format": "WARC File Format 1.1",
                },
            )
        )
        for fetch in fetches:
            http = StatusAndHeaders(fetch.status, list(fetch.headers), protocol="HTTP/1.1")
            warc_headers = {"WARC-Date": fetch.date}
            if fetch.revisit_of is not None:
                original = SERVED[fetch.revisit_of]
                record = writer.create_revisit_record(
                    fetch.uri,
                    digest=written[fetch.revisit_of].payload_digest,
                    refers_to_uri=original.uri,
                    refers_to_date=original.date,
                    http_headers=http,
                    warc_headers_dict={
                        **warc_headers,
                        "WARC-Refers-To": written[fetch.revisit_of].record_id,
                    },
                )
            else:
                body = fetch.body
                if fetch.name in altered:
                    # The record states the digest of the body served; it holds another.
                    digest = payload_digest(fetch.body)
                    warc_headers["WARC-Payload-Digest"] = digest
                    body = ALTERED_B
                record = writer.create_warc_record(
                    fetch.uri,
                    "response",
                    payload=io.BytesIO(body),
                    length=len(body),
                    http_headers=http,
                    warc_headers_dict=warc_headers,
                )
            record_id = record.rec_headers.get_header("WARC-Record-ID")
            request = writer.create_warc_record(
                fetch.uri,
                "request",
                http_headers=StatusAndHeaders(
                    f"GET {fetch.uri.removeprefix('https://www.example.org')} HTTP/1.1",
                    [("Host", "www.example.org"), ("Accept-Encoding", "gzip, deflate, br, zstd")],
                    is_http_request=True,
                ),
                warc_headers_dict={"WARC-Date": fetch.date, "WARC-Concurrent-To": record_id},
            )
            writer.write_record(request)
            offset = handle.tell()
            writer.write_record(record)
            written[fetch.name] = Written(
                record_id,
                path.name,
                offset,
                handle.tell() - offset,
                record.rec_headers.get_header("WARC-Payload-Digest"),
            )
            if fetch.article:
                fields = json.dumps({"url": fetch.uri, "parser_version": "0.1.0"}).encode()
                writer.write_record(
                    writer.create_warc_record(
                        fetch.uri,
                        "metadata",
                        payload=io.BytesIO(fields),
                        length=len(fields),
                        warc_content_type="application/json",
                        warc_headers_dict={
                            "WARC-Date": fetch.date,
                            "WARC-Concurrent-To": record_id,
                        },
                    )
                )


def build_warc_archive(top: Path, *, altered: Collection[str] = ()) -> WarcArchive:
    """The archive at ``top/archive.sqlite``, its WARC files in ``top/warc`` (the default
    folder beside it). ``altered`` names responses written with another body than the
    one their digest (and captures row) states."""
    path, folder = top / "archive.sqlite", top / "warc"
    folder.mkdir(parents=True)
    archive = Archive(f"sqlite:///{path}")
    for batch in (
        [_record(URL_A, "First teaser.", "Grüße aus Köln.")],
        [
            _record(URL_A, "First teaser.", "Grüße aus Köln – édition 2."),
            _record(URL_B, "", "Le café."),
        ],
        [_record(URL_A, "A new teaser.", "Grüße aus Köln – édition 2.")],
    ):
        run = archive.start_run("example", "example", "full")
        for item in batch:
            archive.add(run, item)
        archive.finish_run(run, "finished")
    records: dict[str, Written] = {}
    for name, (run_id, fetches) in FILES.items():
        _write_file(folder / name, run_id, fetches, altered, records)
    # What the crawl will record as it writes; here after the fact, by hand. Versions are
    # seen (and observed, as a live crawl observes) as the archive writes times
    # (microseconds), a few moments after the response.
    with archive.engine.begin() as conn:
        for name, (run_id, fetches) in FILES.items():
            for fetch in fetches:
                w = records[fetch.name]
                conn.execute(
                    archive.db.insert(Capture).values(
                        run_id=run_id,
                        record_id=w.record_id,
                        warc_type="revisit" if fetch.revisit_of else "response",
                        uri=fetch.uri,
                        warc_date=fetch.date,
                        status=int(fetch.status.split()[0]),
                        content_type=dict(fetch.headers).get("Content-Type"),
                        payload_digest=w.payload_digest,
                        refers_to=records[fetch.revisit_of].record_id if fetch.revisit_of else None,
                        filename=name,
                        offset=w.offset,
                        length=w.length,
                    )
                )
        links = [
            (URL_A, 1, "2026-01-01T10:00:05.000000Z", None),
            (URL_A, 2, "2026-02-01T10:00:05.000000Z", records["a2"].record_id),
            (URL_B, 1, "2026-02-01T10:00:06.000000Z", records["b1"].record_id),
            (URL_A, 3, "2026-03-01T10:00:05.000000Z", records["a3"].record_id),
        ]
        for url, number, seen_at, record_id in links:
            conn.execute(
                update(Version)
                .where(Version.version == number, Version.article_id == _article_id(conn, url))
                .values(seen_at=seen_at, observed_at=seen_at, warc_record_id=record_id)
            )
    archive.close()
    return WarcArchive(path, folder, records)


def _article_id(conn: Connection, url: str) -> int:
    return int(conn.execute(select(Article.id).where(Article.url == url)).scalar_one())


UNLISTED_ID = "<urn:uuid:00000000-0000-4000-8000-000000000000>"
"""A record id no captures row lists."""
BREAKAGES = ("missing-file", "truncated", "flipped", "wrong-offset", "unlisted", "orphan-revisit")


def build_broken_archive(top: Path, how: str) -> WarcArchive:
    """The archive of ``build_warc_archive`` with one thing wrong:

    missing-file    run 2's WARC file is gone (the listing, A's response, B's page)
    truncated       run 2's file is cut inside B's response record
    flipped         one byte of B's gzip member is changed
    wrong-offset    A's response row points at the listing's record
    unlisted        B's version names a record no captures row lists
    orphan-revisit  A's response row is gone: A's revisit (and version 2) name it still
    altered         B's response holds another body than its digest states (see ALTERED_B)
    """
    warcs = build_warc_archive(top, altered={"b1"} if how == "altered" else ())
    b1, a2, listing = (warcs.records[n] for n in ("b1", "a2", "listing"))
    if how == "missing-file":
        warcs.file("a2").unlink()
    elif how in ("truncated", "flipped"):
        path = warcs.file("b1")
        data = bytearray(path.read_bytes())
        if how == "truncated":
            del data[b1.offset + 100 :]
        else:
            data[b1.offset + b1.length // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    elif how in ("wrong-offset", "unlisted", "orphan-revisit"):
        archive = Archive(warcs.url, create=False)
        with archive.engine.begin() as conn:
            if how == "wrong-offset":
                conn.execute(
                    update(Capture)
                    .where(Capture.record_id == a2.record_id)
                    .values(offset=listing.offset, length=listing.length)
                )
            elif how == "unlisted":
                conn.execute(
                    update(Version)
                    .where(Version.warc_record_id == b1.record_id)
                    .values(warc_record_id=UNLISTED_ID)
                )
            else:
                conn.execute(delete(Capture).where(Capture.record_id == a2.record_id))
        archive.close()
    elif how != "altered":
        raise ValueError(how)
    return warcs
