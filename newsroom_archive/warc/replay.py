"""Replay: a crawl answered from WARC captures, never from the network.

``scrapy crawl NAME -a replay=PATH`` runs the newsroom's spider, planner and pipelines
over responses captured earlier; PATH is a WARC file, a folder of them (the archive's
WARC folder) or a WACZ file (its WARCs under ``archive/``). A new parser version can so
re-read years of captures into a fresh archive, and a crawl can be reproduced without
the newsroom.

``ReplayMiddleware`` is a downloader middleware enabled for every newsroom spider and
active only when the spider has a replay source. It answers every request in
``process_request``, so no request reaches a download handler:

- the latest capture of a URI answers (by WARC-Date, then file and offset); a
  ``revisit`` record answers with its own status and headers and the payload of the
  record it refers to (WARC-Refers-To, else the same payload digest of the URI it names);
- the body is the captured one with its Content-Encoding kept: Scrapy's
  HttpCompressionMiddleware decodes it on the way back, as after a live download;
- a conditional request is answered 304 when its validators match the capture (the
  ETag for If-None-Match, else Last-Modified for If-Modified-Since), as the newsroom
  answered it: a replay into the archive the captures came from finds its pages
  unchanged, and a replay into a fresh archive sends no validators and gets every page;
- a captured 304 carries no page: it answers only a conditional request it matches,
  and never hides the page captured before it;
- a URI without a capture is answered 404 with ``X-Newsroom-Replay: not-captured``; the
  spider takes that for no answer at all (``not_captured``), so a removal check of an
  article the capture lacks proves nothing, while a captured 404 counts as it did live.

The index holds where each record is (file and offset), not the bodies: a record is
read again when a request asks for it, which needs WARCs gzipped per record (as the
archive writes them, and every WARC tool does) or not gzipped at all.
"""

from __future__ import annotations

import logging
import struct
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Self

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from w3lib.url import canonicalize_url
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from newsroom_archive import stats as keys

logger = logging.getLogger(__name__)

MIDDLEWARE = "newsroom_archive.warc.replay.ReplayMiddleware"
ORDER = 950
"""After every request-path middleware of Scrapy's (the last, DownloaderStats, is 850),
so that robots.txt, Accept-Encoding and the stats see the replayed request as a live
one; the response made from the capture then passes back through every middleware
(redirects, retries, decompression, the stats) as a download does."""
REPLAY_HEADER = "X-Newsroom-Replay"
NOT_CAPTURED = "not-captured"
FLAG = "replay"
"""In ``Response.flags`` of every replayed response (and so in Scrapy's log lines)."""

WARC_SUFFIXES = (".warc", ".warc.gz")
WACZ_SUFFIXES = (".wacz", ".zip")
_WHAT = "a WARC file, a folder of WARC files or a WACZ file"
_ANSWERS = ("response", "revisit")
_UNREADABLE = (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error, zipfile.BadZipFile)
"""What reading a broken or truncated WARC raises (warcio's own, gzip's, the file's)."""
_ENTITY_HEADERS = frozenset({"content-length", "content-encoding", "content-type"})
"""Headers of a body, which a 304 made from a full capture must not carry."""
_LOCAL_HEADER = struct.Struct("<4s22xHH")
"""A zip member's local header: signature, 22 bytes, the name's and extra field's lengths."""


@dataclass(frozen=True)
class WarcFile:
    """One WARC: a file, or a member of a WACZ (``member`` names it there)."""

    path: Path
    member: str | None = None

    def __str__(self) -> str:
        return str(self.path) if self.member is None else f"{self.path}:{self.member}"

    @contextmanager
    def reading(self, offset: int = 0) -> Iterator[IO[bytes]]:
        """The WARC's bytes from ``offset`` on."""
        if self.member is None:
            with self.path.open("rb") as fh:
                fh.seek(offset)
                yield fh
            return
        with zipfile.ZipFile(self.path) as archive:
            info = archive.getinfo(self.member)
            if info.compress_type == zipfile.ZIP_STORED and offset:
                # A WACZ stores its WARCs uncompressed: read the record where it lies
                # rather than reading the member up to it (Python 3.11 seeks that way).
                with self.path.open("rb") as fh:
                    fh.seek(info.header_offset)
                    signature, name, extra = _LOCAL_HEADER.unpack(fh.read(_LOCAL_HEADER.size))
                    if signature != b"PK\x03\x04":
                        raise zipfile.BadZipFile(f"{self}: no local header")
                    fh.seek(info.header_offset + _LOCAL_HEADER.size + name + extra + offset)
                    yield fh
                return
            with archive.open(info) as member:
                member.seek(offset)
                yield member


def warc_files(path: Path) -> list[WarcFile]:
    """The WARCs of a replay source in name order, which is time order for the archive's
    own files (named by source, run and time)."""
    path = path.resolve()
    if path.is_dir():
        found = sorted(
            p
            for p in path.iterdir()
            if p.is_file() and p.name.lower().endswith(WARC_SUFFIXES + WACZ_SUFFIXES)
        )
        return [warc for p in found for warc in _warcs_in(p)]
    return _warcs_in(path)


def _warcs_in(path: Path) -> list[WarcFile]:
    if not zipfile.is_zipfile(path):
        return [WarcFile(path)]
    with zipfile.ZipFile(path) as archive:
        members = sorted(
            name
            for name in archive.namelist()
            if name.startswith("archive/") and name.lower().endswith(WARC_SUFFIXES)
        )
    return [WarcFile(path, name) for name in members]


def replay_source(value: str) -> Path:
    """The ``replay`` argument, checked: an existing path that holds at least one WARC
    response record; else a ValueError with a one-line reason."""
    path = Path(value).expanduser()
    if not path.exists():
        raise ValueError(f"replay must name {_WHAT}; {value!r} does not exist")
    if not any(_holds_answers(warc) for warc in warc_files(path)):
        raise ValueError(f"replay must name {_WHAT}; {value!r} holds no WARC response records")
    return path.resolve()


def _holds_answers(warc: WarcFile) -> bool:
    try:
        with warc.reading() as fh:
            return any(_is_answer(record) for record in ArchiveIterator(fh))
    except _UNREADABLE:
        return False


def _is_answer(record: ArcWarcRecord) -> bool:
    return record.rec_type in _ANSWERS and record.http_headers is not None


def uri_key(url: str) -> str:
    """A URI as the index keys it: the capture's and the request's spellings of one URL
    agree (percent-encoding, query order, no fragment)."""
    return canonicalize_url(url.strip().strip("<>"))


Location = tuple[int, int]
"""(the file's number in ``CaptureIndex.files``, the record's offset in it)."""


@dataclass(frozen=True)
class Capture:
    """What a URI's capture answers, and where its records are."""

    uri: str
    record_id: str
    date: datetime
    status: int
    etag: str | None
    last_modified: str | None
    at: Location
    """The record whose status and headers answer."""
    body_at: Location | None
    """The record holding the body (a revisit's original); None for a 304, which has none."""


@dataclass(frozen=True)
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass(frozen=True)
class _Seen:
    capture: Capture
    key: str
    revisit: bool
    digest: str | None
    refers_to: str | None
    refers_to_key: str


class CaptureIndex:
    """The captures of a replay source by URI; ``problems`` says what could not be read
    (a WARC cut short by a crash keeps the records before the cut)."""

    def __init__(self, files: Sequence[WarcFile], nearby: Sequence[WarcFile] = ()) -> None:
        self.files = list(files)
        """The source's WARCs, then those of ``nearby`` read for originals."""
        self.answering = len(self.files)
        """How many of ``files`` are the source's: only their captures answer."""
        self.problems: list[str] = []
        self.unresolved = 0
        """Revisit records whose original was not found (they answer nothing)."""
        self.records = 0
        """Records read."""
        self._nearby = [warc for warc in nearby if warc not in self.files]
        self._pages: dict[str, Capture] = {}
        self._not_modified: dict[str, Capture] = {}
        self._build()

    @classmethod
    def of(cls, path: Path) -> Self:
        """The index of a replay source. A file's revisits may refer to the files of
        earlier runs beside it (a run's file alone, replayed to rebuild the archive run by
        run): their originals are looked up there, and only the file's captures answer."""
        nearby = [] if path.is_dir() else warc_files(path.resolve().parent)
        return cls(warc_files(path), nearby)

    def __len__(self) -> int:
        """How many URIs the index can answer."""
        return len(self._pages.keys() | self._not_modified.keys())

    def lookup(self, url: str) -> Capture | None:
        """The latest capture of the URL with a page; else its latest 304."""
        key = uri_key(url)
        return self._pages.get(key) or self._not_modified.get(key)

    def answer(self, capture: Capture) -> Answer:
        """The capture's status, headers and body, read from its records."""
        status, headers, body = self._read(capture.at)
        if capture.body_at is None:
            body = b""
        elif capture.body_at != capture.at:
            body = self._read(capture.body_at)[2]
        return Answer(status, headers, body)

    def _read(self, at: Location) -> tuple[int, list[tuple[str, str]], bytes]:
        number, offset = at
        with self.files[number].reading(offset) as fh:
            record = next(iter(ArchiveIterator(fh)))
            http = record.http_headers
            chunked = (http.get_header("Transfer-Encoding") or "").lower() == "chunked"
            # The HTTP client removes the transfer coding, never the content coding.
            stream = ChunkedDataReader(record.raw_stream) if chunked else record.raw_stream
            body = stream.read()
        headers = [
            (name, value) for name, value in http.headers if name.lower() != "transfer-encoding"
        ]
        return int(http.get_statuscode()), headers, body

    def _build(self) -> None:
        seen: list[_Seen] = []
        for number, warc in enumerate(self.files):
            seen += self._scan(number, warc)
        originals = {s.capture.record_id: s.capture.at for s in seen if not s.revisit}
        by_digest = {(s.key, s.digest): s.capture.at for s in seen if not s.revisit}

        def original(s: _Seen) -> Location | None:
            return originals.get(s.refers_to or "") or by_digest.get((s.refers_to_key, s.digest))

        revisits = [s for s in seen if s.revisit and s.capture.status != 304]
        if self._nearby and any(original(s) is None for s in revisits):
            for warc in self._nearby:
                self.files.append(warc)
                for lent in self._scan(len(self.files) - 1, warc):
                    if not lent.revisit:
                        originals.setdefault(lent.capture.record_id, lent.capture.at)
                        by_digest.setdefault((lent.key, lent.digest), lent.capture.at)
        for s in sorted(seen, key=lambda s: (s.capture.date, s.capture.at)):
            capture = s.capture
            if s.revisit and capture.status != 304:
                body_at = original(s)
                if body_at is None:
                    self.unresolved += 1
                    continue
                capture = replace(capture, body_at=body_at)
            # Latest wins: later entries replace earlier ones.
            (self._not_modified if capture.status == 304 else self._pages)[s.key] = capture

    def _scan(self, number: int, warc: WarcFile) -> list[_Seen]:
        found: list[_Seen] = []
        # A record counts once read to its end, which the iterator does when it moves
        # past it: a file cut short by a crash ends in a record shorter than it says.
        pending: tuple[_Seen, ArcWarcRecord] | None = None
        try:
            with warc.reading() as fh:
                records = ArchiveIterator(fh)
                for record in records:
                    if pending is not None:
                        found.append(_complete(*pending))
                    pending = None
                    self.records += 1
                    if _is_answer(record):
                        pending = _seen(record, (number, records.get_record_offset())), record
            if pending is not None:
                found.append(_complete(*pending))
        except _UNREADABLE as exc:
            self.problems.append(f"{warc}: unreadable after {len(found)} captures: {exc}")
        return found


def _complete(seen: _Seen, record: ArcWarcRecord) -> _Seen:
    if getattr(record.raw_stream, "limit", 0):
        raise EOFError(f"the record at offset {seen.capture.at[1]} is cut short")
    return seen


def _seen(record: ArcWarcRecord, at: Location) -> _Seen:
    warc = record.rec_headers
    http = record.http_headers
    uri = (warc.get_header("WARC-Target-URI") or "").strip("<>")
    status = int(http.get_statuscode() or 0)
    revisit = record.rec_type == "revisit"
    capture = Capture(
        uri=uri,
        record_id=warc.get_header("WARC-Record-ID") or "",
        date=_warc_date(warc.get_header("WARC-Date")),
        status=status,
        etag=http.get_header("ETag"),
        last_modified=http.get_header("Last-Modified"),
        at=at,
        body_at=None if status == 304 or revisit else at,
    )
    refers_to_uri = warc.get_header("WARC-Refers-To-Target-URI") or uri
    return _Seen(
        capture=capture,
        key=uri_key(uri),
        revisit=revisit,
        digest=warc.get_header("WARC-Payload-Digest"),
        refers_to=warc.get_header("WARC-Refers-To"),
        refers_to_key=uri_key(refers_to_uri),
    )


def _warc_date(value: str | None) -> datetime:
    try:
        moment = datetime.fromisoformat((value or "").replace("Z", "+00:00"))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)  # undated: older than any dated capture
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def not_modified(request: Request, capture: Capture) -> bool:
    """Whether the newsroom would have answered the conditional request 304: RFC 9110's
    rules, If-None-Match (weak comparison) before If-Modified-Since."""
    if capture.status not in (200, 304):
        return False
    if_none_match = _header(request, "If-None-Match")
    if if_none_match is not None:
        if capture.etag is None:
            return False
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or capture.etag.removeprefix("W/") in tags
    since = _header(request, "If-Modified-Since")
    if since is None or capture.last_modified is None:
        return False
    try:
        return parsedate_to_datetime(capture.last_modified) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


def _header(request: Request, name: str) -> str | None:
    value = request.headers.get(name)
    return value.decode("latin-1") if value is not None else None


def was_captured(response: Response) -> bool:
    """False for the answer to a request the replayed capture has nothing for."""
    return response.headers.get(REPLAY_HEADER) != NOT_CAPTURED.encode()


def keep_replay_on(crawler: Crawler) -> None:
    """Enable ``ReplayMiddleware`` whatever DOWNLOADER_MIDDLEWARES says: a replay must
    never fall through to the network. Called while the settings can still change (the
    spider's ``from_crawler``)."""
    crawler.settings["DOWNLOADER_MIDDLEWARES"].set(MIDDLEWARE, ORDER, priority="cmdline")


def source_of(spider: Spider | None) -> str | None:
    """The spider's replay source, if it replays."""
    policy = getattr(spider, "policy", None)
    return getattr(policy, "replay", None)


class ReplayMiddleware:
    """Answers every request of a replaying spider from its captures; idle otherwise."""

    def __init__(self, crawler: Crawler, index: CaptureIndex | None) -> None:
        self.crawler = crawler
        self.index = index

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        source = source_of(crawler.spider)
        if source is None:
            return cls(crawler, None)
        index = CaptureIndex.of(Path(source))
        logger.info(
            "replaying %d URIs from %d WARC files in %s (no request reaches the network)",
            len(index),
            index.answering,
            source,
        )
        if len(index.files) > index.answering:
            logger.info(
                "replay: originals of revisits looked up in %d more WARC files beside it",
                len(index.files) - index.answering,
            )
        for problem in index.problems:
            logger.warning("replay: %s", problem)
        if index.unresolved:
            logger.warning(
                "replay: %d revisit records refer to records not found; they answer nothing",
                index.unresolved,
            )
        return cls(crawler, index)

    def process_request(self, request: Request, spider: Spider | None = None) -> Response | None:
        if self.index is None:
            return None
        stats = self.crawler.stats
        assert stats is not None
        capture = self.index.lookup(request.url)
        conditional = capture is not None and not_modified(request, capture)
        if capture is None or (capture.body_at is None and not conditional):
            stats.inc_value(keys.REPLAY_NOT_CAPTURED)
            logger.debug("replay: %s is not in the capture", request.url)
            return Response(
                request.url,
                status=404,
                headers={REPLAY_HEADER: NOT_CAPTURED, "Content-Type": "text/plain"},
                body=b"not in the replayed capture\n",
                request=request,
                flags=[FLAG],
            )
        answer = self.index.answer(capture)
        status, body = answer.status, answer.body
        headers = Headers()
        for name, value in answer.headers:
            if not conditional or name.lower() not in _ENTITY_HEADERS:
                headers.appendlist(name, value)
        if conditional:
            status, body = 304, b""
            stats.inc_value(keys.REPLAY_NOT_MODIFIED)
        stats.inc_value(keys.REPLAY_ANSWERED)
        # Which capture answered, for whoever links what the crawl read to its record.
        request.meta["replay_record_id"] = capture.record_id
        kind = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return kind(
            request.url,
            status=status,
            headers=headers,
            body=body,
            request=request,
            flags=[FLAG],
            protocol="HTTP/1.1",
        )
