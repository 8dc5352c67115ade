"""WARC captures made in the tests, as the archive's capture contract describes them:
fetched with urllib from a sample newsroom on loopback and written with warcio's own
writer (gzip per record, WARC/1.1), a `request` and a `response` record per page, and a
`revisit` record where a payload repeats an earlier capture of the same URI."""

from __future__ import annotations

import base64
import hashlib
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.client import HTTPResponse
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsroom_archive.sample_site import SampleNewsroom, article_url, expected_articles


@dataclass(frozen=True)
class Fetched:
    """One HTTP exchange as it went over the wire."""

    url: str
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    """As received: Content-Encoding not decoded."""
    request_headers: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Written:
    """A response record written: what a later revisit refers to."""

    record_id: str | None
    """None: a revisit naming no record (found by the payload digest of its URI)."""
    date: str
    digest: str


def response_record(
    writer: WARCWriter,
    uri: str,
    date: str,
    http: StatusAndHeaders,
    body: bytes,
    revisit_of: Written | None = None,
) -> ArcWarcRecord:
    """A `response` record, or a `revisit` of the earlier record `revisit_of` (HTTP
    headers only, as the capture contract writes a payload seen before)."""
    if revisit_of is None:
        return writer.create_warc_record(
            uri,
            "response",
            payload=BytesIO(body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": date},
        )
    extra = {"WARC-Date": date}
    if revisit_of.record_id is not None:
        extra["WARC-Refers-To"] = revisit_of.record_id
    return writer.create_revisit_record(
        uri, revisit_of.digest, uri, revisit_of.date, http_headers=http, warc_headers_dict=extra
    )


def fetch(url: str, headers: Mapping[str, str] | None = None) -> Fetched:
    """GET `url` with urllib; an error status is an answer like any other."""
    sent = {
        "User-Agent": "newsroom-archive-tests",
        "Accept-Encoding": "identity",
        **(headers or {}),
    }
    request = urllib.request.Request(url, headers=sent)
    try:
        response: HTTPResponse | urllib.error.HTTPError = urllib.request.urlopen(
            request, timeout=10
        )
    except urllib.error.HTTPError as error:
        response = error
    with response:
        body = response.read()
        return Fetched(
            url=url,
            status=response.status or 0,
            reason=response.reason or "",
            headers=list(response.headers.items()),
            body=body,
            request_headers=[("Host", urlsplit(url).netloc), *sent.items()],
        )


def crawl_urls(site: SampleNewsroom, state: str = "base") -> list[str]:
    """What a full crawl of the `amnestyusa` sample newsroom in `state` fetches: robots.txt,
    every listing page, every article page (the answer key's)."""
    specs = expected_articles(state)
    last_page = max(spec.page or 0 for spec in specs)
    listing = [site.url("/news/")] + [site.url(f"/news/page/{n}/") for n in range(2, last_page + 1)]
    return [site.url("/robots.txt"), *listing, *(article_url(site.base_url, s) for s in specs)]


def payload_digest(body: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def warc_date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_warc(
    path: Path,
    pages: Sequence[Fetched],
    when: datetime,
    earlier: Mapping[str, Written] | None = None,
) -> dict[str, Written]:
    """Write `pages` into a new WARC at `path`, one second apart from `when`; a payload
    equal to the `earlier` capture of its URI becomes a revisit. Returns the response
    records written, by URI (revisits refer on to their original)."""
    earlier = earlier or {}
    written: dict[str, Written] = {}
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="WARC/1.1")
        writer.write_record(
            writer.create_warcinfo_record(
                path.name, {"software": "newsroom-archive tests", "format": "WARC/1.1"}
            )
        )
        for number, page in enumerate(pages):
            date = warc_date(when + timedelta(seconds=number))
            http = StatusAndHeaders(f"{page.status} {page.reason}", page.headers, "HTTP/1.1")
            digest = payload_digest(page.body)
            before = earlier.get(page.url)
            if before is not None and before.digest == digest:
                response = response_record(writer, page.url, date, http, page.body, before)
                written[page.url] = before
            else:
                response = response_record(writer, page.url, date, http, page.body)
                record_id = response.rec_headers.get_header("WARC-Record-ID")
                written[page.url] = Written(record_id, date, digest)
            target = urlsplit(page.url)
            request = writer.create_warc_record(
                page.url,
                "request",
                http_headers=StatusAndHeaders(
                    f"GET {target.path or '/'}{'?' + target.query if target.query else ''} "
                    "HTTP/1.1",
                    page.request_headers,
                    is_http_request=True,
                ),
                warc_headers_dict={
                    "WARC-Date": date,
                    "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
                },
            )
            writer.write_record(request)
            writer.write_record(response)
    return written


def write_wacz(path: Path, warcs: Iterable[Path], compression: int = zipfile.ZIP_STORED) -> Path:
    """A WACZ-like zip: the WARCs under `archive/` (stored, as WACZ files keep them)."""
    with zipfile.ZipFile(path, "w", compression=compression) as wacz:
        wacz.writestr("datapackage.json", '{"profile": "data-package", "wacz_version": "1.1.1"}')
        for warc in warcs:
            wacz.write(warc, f"archive/{warc.name}")
    return path
