"""Reading the crawl's WARC records back: one record at its offset, a revisit's original,
payload digests, the record behind an archived version, and the check of them all.

warcio parses every record (``ArchiveIterator`` over exactly the bytes of the gzip member
the archive's ``captures`` row names, unpacked here first and strictly) and computes the
digests (``Digester``, its digest checker); nothing here parses WARC itself. A record is
evidence only if it is the one the archive wrote: every read checks its id, its length and
its digests, so that ``raw`` never hands out bytes ``check --warc`` would call damaged.
"""

from __future__ import annotations

import contextlib
import io
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path, PurePosixPath
from typing import IO, Any

from sqlalchemy import func, select
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException
from warcio.utils import Digester

from newsroom_archive.archive import Archive, ArchiveError
from newsroom_archive.archive.models import (
    Article,
    Capture,
    Change,
    CrawlRun,
    Sighting,
    Source,
    Version,
)
from newsroom_archive.archive.query import article_url, end_of

DIGEST_ALGORITHM = "sha1"
"""The payload digest the capture writes (``sha1:BASE32``, as warcio and pywb do)."""
MISSING = "missing"
DAMAGED = "damaged"
GZIP_MAGIC = b"\x1f\x8b"
MAX_REVISIT_HOPS = 8
"""A revisit names its original response; a chain this long is a broken archive."""


def payload_digest(data: bytes) -> str:
    """``sha1:BASE32`` of ``data``, as the WARC-Payload-Digest of a body is written."""
    digester = Digester(DIGEST_ALGORITHM)
    digester.update(data)
    return str(digester)


class RecordProblem(ArchiveError):
    """A record the archive names that cannot be read as it was written.

    ``kind`` is ``missing`` (its file, or its captures row, is not there) or ``damaged``
    (the bytes are there and are not the record: cut short, unreadable, another record,
    a digest that does not match)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class CaptureRow:
    """A ``captures`` row: one record the crawl wrote, and where."""

    record_id: str
    warc_type: str
    uri: str
    warc_date: str
    status: int | None
    payload_digest: str
    refers_to: str | None
    filename: str
    offset: int
    length: int
    run_id: int | None = None

    @property
    def where(self) -> str:
        return f"{self.filename} at offset {self.offset}"


CAPTURE_COLUMNS = tuple(getattr(Capture, f.name) for f in fields(CaptureRow))


def _capture_row(row: Any) -> CaptureRow:
    return CaptureRow(**row._mapping)


def captured(archive: Archive, record_id: str) -> CaptureRow | None:
    """The captures row of ``record_id``, None where the archive lists no such record."""
    with archive.engine.connect() as conn:
        row = conn.execute(select(*CAPTURE_COLUMNS).where(Capture.record_id == record_id)).first()
    return None if row is None else _capture_row(row)


@dataclass(frozen=True)
class StoredRecord:
    """One WARC record as read back, checked against its captures row."""

    record_id: str
    warc_type: str
    uri: str
    date: str
    protocol: str
    """``HTTP/1.1``."""
    status_line: str
    """``200 OK``."""
    headers: list[tuple[str, str]]
    """The HTTP headers as the server sent them, in order."""
    payload: bytes
    """The body as served (any Content-Encoding kept); empty for a revisit and a 304."""

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)

    @property
    def status(self) -> int | None:
        code = self.status_line.split(" ", 1)[0]
        return int(code) if code.isdigit() else None

    def head_lines(self) -> list[str]:
        """The HTTP status line and headers, one a line."""
        return [
            f"{self.protocol} {self.status_line}".strip(),
            *(f"{k}: {v}" for k, v in self.headers),
        ]


class RecordReader:
    """Reads and checks records in one WARC folder.

    The last file read stays open: the check reads each file's records in order, and a
    1 GiB file holds tens of thousands of them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._name: str | None = None
        self._handle: IO[bytes] | None = None

    def __enter__(self) -> RecordReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
        self._name = self._handle = None

    def path(self, row: CaptureRow) -> Path:
        return self.folder / row.filename

    def _open(self, row: CaptureRow) -> IO[bytes]:
        name = PurePosixPath(row.filename)
        if name.is_absolute() or ".." in name.parts or not name.parts:
            raise RecordProblem(DAMAGED, f"{row.filename!r} is not a file in the WARC folder")
        if self._handle is None or self._name != row.filename:
            self.close()
            path = self.path(row)
            try:
                self._handle = path.open("rb")
            except FileNotFoundError:
                raise RecordProblem(MISSING, f"WARC file {path} is missing") from None
            except OSError as exc:
                raise RecordProblem(
                    MISSING, f"cannot read WARC file {path}: {exc.strerror}"
                ) from None
            self._name = row.filename
        return self._handle

    def member(self, row: CaptureRow) -> bytes:
        """The bytes of the gzip member holding ``row``'s record."""
        handle = self._open(row)
        handle.seek(row.offset)
        data = handle.read(row.length)
        if len(data) < row.length:
            size = handle.seek(0, io.SEEK_END)
            raise RecordProblem(
                DAMAGED,
                f"the file ends at byte {size}, inside the record "
                f"(bytes {row.offset} to {row.offset + row.length}): it is cut short",
            )
        return data

    def read(self, row: CaptureRow) -> StoredRecord:
        """``row``'s record, checked: RecordProblem unless it is whole and the one named."""
        record, problems = self.inspect(row)
        if problems:
            raise RecordProblem(
                DAMAGED,
                f"WARC record {row.record_id} ({row.where}) is damaged: " + "; ".join(problems),
            )
        assert record is not None
        return record

    def inspect(self, row: CaptureRow) -> tuple[StoredRecord | None, list[str]]:
        """``row``'s record and what is wrong with it (nothing, for a good one)."""
        try:
            data = self.member(row)
        except RecordProblem as exc:
            if exc.kind == MISSING:
                raise
            return None, [str(exc)]
        problems: list[str] = []
        if data.startswith(GZIP_MAGIC):
            # One gzip member per record: unpacked here, strictly, so that a damaged
            # member is named as one. warcio would take a member that does not
            # decompress for an uncompressed record, and report its bytes as a header.
            try:
                data, whole, extra = _decompress(data, 16 + zlib.MAX_WBITS)
            except zlib.error as exc:
                return None, [f"its gzip member is damaged ({exc})"]
            if not whole:
                return None, ["its gzip member ends early"]
            if extra:
                problems.append(f"its length takes in {extra} bytes past its gzip member")
        warnings = io.StringIO()
        try:
            # warcio reports some damage (a record longer than its Content-Length) on
            # standard error and reads on: caught here, it is a reason like any other.
            with contextlib.redirect_stderr(warnings):
                parsed = _parse(data)
        except (ArchiveLoadFailed, StatusAndHeadersParserException, EOFError) as exc:
            return None, [_unparsed(exc)]
        except ValueError as exc:  # a length warcio cannot read as a number, say
            return None, [_unparsed(exc)]
        if parsed is None:
            return None, ["no WARC record at this offset"]
        problems += [" ".join(line.split()) for line in warnings.getvalue().splitlines() if line]
        return parsed.record, problems + parsed.problems + _mismatches(row, parsed)


def _unparsed(exc: Exception) -> str:
    reason = " ".join(str(exc).split()) or type(exc).__name__
    if reason.startswith("Unknown archive format"):
        return "the bytes at this offset are not a WARC record"
    return f"it does not parse as a WARC record ({reason[:200]})"


@dataclass(frozen=True)
class _Parsed:
    record: StoredRecord
    stated_digest: str | None
    """The record's own WARC-Payload-Digest."""
    problems: list[str]
    """What warcio found wrong while reading it."""


def _parse(data: bytes) -> _Parsed | None:
    """The one record in ``data`` (uncompressed), read to its end, digests checked."""
    records = ArchiveIterator(io.BytesIO(data), check_digests=True)
    record = next(records, None)
    if record is None:
        return None
    problems: list[str] = []
    payload = record.raw_stream.read()
    short = getattr(record.raw_stream, "limit", 0)
    if short:
        problems.append(f"the record ends {short} bytes short of its Content-Length")
    if record.digest_checker is not None and any(
        p.startswith("block digest") for p in record.digest_checker.problems
    ):
        # The payload digest is compared with the archive's below, by ``_mismatches``.
        problems.append("its block digest does not match its headers and body")
    if next(records, None) is not None:
        problems.append("its length takes in a further record")
    http, warc = record.http_headers, record.rec_headers
    stored = StoredRecord(
        record_id=warc.get_header("WARC-Record-ID") or "",
        warc_type=record.rec_type or "",
        uri=warc.get_header("WARC-Target-URI") or "",
        date=warc.get_header("WARC-Date") or "",
        protocol=(http.protocol if http else "") or "",
        status_line=(http.statusline if http else "") or "",
        headers=list(http.headers) if http else [],
        payload=payload,
    )
    return _Parsed(stored, warc.get_header("WARC-Payload-Digest"), problems)


def _mismatches(row: CaptureRow, parsed: _Parsed) -> list[str]:
    """How the record differs from what its captures row says it is."""
    record = parsed.record
    if record.record_id != row.record_id:
        return [f"the record at this offset is {record.record_id or 'one without an id'}"]
    problems = []
    if record.warc_type != row.warc_type:
        problems.append(f"it is a {record.warc_type} record, the archive says {row.warc_type}")
    if parsed.stated_digest and parsed.stated_digest != row.payload_digest:
        problems.append(
            f"it states payload digest {parsed.stated_digest}, the archive {row.payload_digest}"
        )
    if row.warc_type != "revisit":
        actual = payload_digest(record.payload)
        if actual != row.payload_digest:
            problems.append(
                f"its body's payload digest is {actual}, not {row.payload_digest}: "
                "the body is not the one captured"
            )
    return problems


# -- the record behind a version ---------------------------------------------------------


@dataclass(frozen=True)
class VersionRecord:
    """One version of an article and the WARC record of the page it was read from."""

    url: str
    version: int
    seen_at: str
    record_id: str | None

    @property
    def name(self) -> str:
        return f"version {self.version} of {self.url}"


def version_record(
    archive: Archive, ref: str, number: int | None = None, as_of: str | None = None
) -> VersionRecord:
    """The version of the article ``ref`` names (an id or its URL in any spelling, as
    ``show`` takes it): version ``number``, the one current at ``as_of`` (the last one
    observed by then), or the current one. ArchiveError, one line, where there is none."""
    url = article_url(archive, ref)
    query = (
        select(Article.url, Version.version, Version.seen_at, Version.warc_record_id)
        .join(Article, Article.id == Version.article_id)
        .where(Article.url == url)
    )
    if number is not None:
        query = query.where(Version.version == number)
    elif as_of is not None:
        query = query.where(Version.observed_at <= end_of(as_of))
    else:
        query = query.where(Version.id == Article.current_version_id)
    with archive.engine.connect() as conn:
        row = conn.execute(query.order_by(Version.version.desc()).limit(1)).first()
        if row is not None:
            return VersionRecord(*row)
        first, last = conn.execute(
            select(func.min(Version.observed_at), func.max(Version.version))
            .join(Article, Article.id == Version.article_id)
            .where(Article.url == url)
        ).one()
    if number is not None:
        has = f"versions 1 to {last}" if last and last > 1 else "only version 1"
        raise ArchiveError(f"{url} has no version {number} ({has})")
    if as_of is not None:
        raise ArchiveError(f"{url} was not archived by {as_of}: it was first seen {first}")
    raise ArchiveError(f"{url} has no current version")


@dataclass(frozen=True)
class Served:
    """What the server sent for one version: the head of its own record, and the body of
    the response holding it (the record itself, or a revisit's original)."""

    head: StoredRecord
    body: StoredRecord
    capture: CaptureRow

    @property
    def revisit(self) -> bool:
        return self.capture.warc_type == "revisit"


def served(archive: Archive, folder: Path, version: VersionRecord, *, body: bool = True) -> Served:
    """The record of ``version``, a revisit resolved to the response holding its body
    (``body=False``: the record alone, for its head)."""
    if version.record_id is None:
        raise ArchiveError(
            f"{version.name} was archived before WARC capture (seen {version.seen_at}): "
            "there is no record of the page as served"
        )
    row = _listed(archive, version.record_id, f"{version.name} names WARC record")
    with RecordReader(folder) as reader:
        head = holder = reader.read(row)
        current, seen = row, {row.record_id}
        while body and current.warc_type == "revisit":
            current = _original(archive, current, seen)
            holder = reader.read(current)
            seen.add(current.record_id)
    return Served(head, holder, row)


def _listed(archive: Archive, record_id: str, named: str) -> CaptureRow:
    """The captures row of ``record_id``, which ``named`` (who names it) expects."""
    row = captured(archive, record_id)
    if row is None:
        raise RecordProblem(
            MISSING, f"{named} {record_id}, which the archive's captures do not list"
        )
    return row


def _original(archive: Archive, revisit: CaptureRow, seen: set[str]) -> CaptureRow:
    if not revisit.refers_to:
        raise RecordProblem(
            DAMAGED, f"revisit record {revisit.record_id} names no original (refers_to)"
        )
    if revisit.refers_to in seen or len(seen) > MAX_REVISIT_HOPS:
        raise RecordProblem(
            DAMAGED, f"revisit record {revisit.record_id} refers back to {revisit.refers_to}"
        )
    original = _listed(archive, revisit.refers_to, f"revisit record {revisit.record_id} refers to")
    if original.payload_digest != revisit.payload_digest:
        raise RecordProblem(
            DAMAGED,
            f"revisit record {revisit.record_id} has payload digest {revisit.payload_digest}, "
            f"its original {original.record_id} {original.payload_digest}",
        )
    return original


# -- the body as a page: Content-Encoding undone ------------------------------------------


class EncodingError(ArchiveError):
    """A body whose Content-Encoding cannot be undone (unknown, or not what it says)."""


def _gunzip(data: bytes) -> bytes:
    return _zlib(data, 16 + zlib.MAX_WBITS)


def _inflate(data: bytes) -> bytes:
    # "deflate" is zlib-wrapped by the standard and bare deflate by some servers.
    try:
        return _zlib(data, zlib.MAX_WBITS)
    except zlib.error:
        return _zlib(data, -zlib.MAX_WBITS)


def _zlib(data: bytes, wbits: int) -> bytes:
    out, whole, extra = _decompress(data, wbits)
    if not whole:
        raise zlib.error("the compressed data ends early")
    if extra:
        raise zlib.error(f"{extra} bytes follow the compressed data")
    return out


def _decompress(data: bytes, wbits: int) -> tuple[bytes, bool, int]:
    """zlib's output, whether the stream ended, and how many bytes followed its end."""
    decompressor = zlib.decompressobj(wbits)
    out = decompressor.decompress(data) + decompressor.flush()
    return out, decompressor.eof, len(decompressor.unused_data)


def _unbrotli(data: bytes) -> bytes:
    import brotli  # a dependency of Scrapy, which asks servers for br

    return bytes(brotli.decompress(data))


def _unzstd(data: bytes) -> bytes:
    try:
        from compression import zstd  # type: ignore[import-not-found,unused-ignore]
    except ImportError:  # before Python 3.14; a dependency of Scrapy, which asks for zstd
        from backports import zstd  # type: ignore[import-not-found,no-redef,unused-ignore]
    return bytes(zstd.decompress(data))


DECODERS = {
    "gzip": _gunzip,
    "x-gzip": _gunzip,
    "deflate": _inflate,
    "br": _unbrotli,
    "zstd": _unzstd,
    "identity": lambda data: data,
}
"""The codings Scrapy asks servers for (Accept-Encoding: gzip, deflate, br, zstd), so the
ones captured bodies carry."""


def content_codings(header: str | None) -> list[str]:
    """The codings of a Content-Encoding header, in the order they were applied."""
    return [c.strip().lower() for c in (header or "").split(",") if c.strip()]


def decoded(body: bytes, content_encoding: str | None) -> bytes:
    """``body`` with its Content-Encoding undone (the last coding applied first), and
    nothing else: the charset stays the server's.

    Strict where warcio's own ``content_stream`` is lenient: that passes a body that does
    not decompress through as it is, and knows no zstd; a page handed to a researcher as
    decoded must be."""
    for coding in reversed(content_codings(content_encoding)):
        decoder = DECODERS.get(coding)
        if decoder is None:
            raise EncodingError(
                f"cannot undo Content-Encoding {coding!r} (known: "
                f"{', '.join(sorted(DECODERS))}); --as-served gives the bytes as served"
            )
        try:
            body = decoder(body)
        except Exception as exc:  # zlib.error, brotli.error, zstd.ZstdError
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise EncodingError(
                f"the body does not decode as {coding} ({reason}); --as-served gives the "
                "bytes as served"
            ) from None
    return body


# -- check --warc -------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A record the archive lists or names that is missing or damaged."""

    kind: str
    record_id: str
    where: str
    uri: str
    reason: str

    def line(self) -> str:
        """``KIND  RECORD-ID  FILE at offset N  URI: reason``; where and URI when known."""
        head = "  ".join(part for part in (self.kind, self.record_id, self.where, self.uri) if part)
        return f"{head}: {self.reason}"

    def to_json(self) -> dict[str, str]:
        return asdict(self)


@dataclass
class WarcCheck:
    """The verdict over the archive's WARC records."""

    checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return sum(p.kind == MISSING for p in self.problems)

    @property
    def damaged(self) -> int:
        return sum(p.kind == DAMAGED for p in self.problems)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        s = "" if self.checked == 1 else "s"
        return f"{self.checked} record{s} checked, {self.missing} missing, {self.damaged} damaged"

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "missing": self.missing,
            "damaged": self.damaged,
            "problems": [p.to_json() for p in self.problems],
        }


def check_records(archive: Archive, folder: Path, runs: Iterable[int] | None = None) -> WarcCheck:
    """Check every ``captures`` row (of ``runs``, else all): its file is there, the record
    at its offset parses, is the one named, is whole, and its body's payload digest is the
    one recorded; a revisit's original is listed with the same digest. Record ids that
    versions, sightings, changes or revisits name and no row lists are missing too."""
    run_ids = None if runs is None else sorted(set(runs))
    result = WarcCheck()
    rows = list(_rows(archive, run_ids))
    digests = _digests(archive, {r.refers_to for r in rows if r.refers_to})
    with RecordReader(folder) as reader:
        for row in rows:
            result.checked += 1
            problem = _check_row(reader, row, digests)
            if problem is not None:
                result.problems.append(problem)
    for record_id, named_by in _unlisted(archive, run_ids):
        result.checked += 1
        result.problems.append(
            Problem(MISSING, record_id, "", "", f"named by {named_by}, not in the captures")
        )
    return result


def _check_row(reader: RecordReader, row: CaptureRow, digests: dict[str, str]) -> Problem | None:
    try:
        _record, problems = reader.inspect(row)
    except RecordProblem as exc:
        return Problem(exc.kind, row.record_id, row.where, row.uri, str(exc))
    if row.warc_type == "revisit" and row.refers_to:
        original = digests.get(row.refers_to)
        if original is not None and original != row.payload_digest:
            problems.append(
                f"its original {row.refers_to} has payload digest {original}, "
                f"not {row.payload_digest}"
            )
    if not problems:
        return None
    return Problem(DAMAGED, row.record_id, row.where, row.uri, "; ".join(problems))


def _rows(archive: Archive, run_ids: list[int] | None) -> Iterator[CaptureRow]:
    query = select(*CAPTURE_COLUMNS).order_by(Capture.filename, Capture.offset)
    if run_ids is not None:
        query = query.where(Capture.run_id.in_(run_ids))
    with archive.engine.connect() as conn:
        for row in conn.execute(query):
            yield _capture_row(row)


def _digests(archive: Archive, record_ids: set[str]) -> dict[str, str]:
    if not record_ids:
        return {}
    query = select(Capture.record_id, Capture.payload_digest).where(
        Capture.record_id.in_(record_ids)
    )
    with archive.engine.connect() as conn:
        return {record_id: digest for record_id, digest in conn.execute(query)}


def _unlisted(archive: Archive, run_ids: list[int] | None) -> list[tuple[str, str]]:
    """(record id, who names it) for every id named and not in ``captures``."""
    sources: list[tuple[str, Any, Any]] = [
        ("versions", Version.warc_record_id, Version.run_id),
        ("sightings", Sighting.warc_record_id, Sighting.run_id),
        ("changes", Change.warc_record_id, Change.run_id),
        ("revisits", Capture.refers_to, Capture.run_id),
    ]
    listed = select(Capture.record_id)
    queries = []
    for name, column, run in sources:
        query = select(column.label("record_id"), func.count().label("n")).where(
            column.is_not(None), column.not_in(listed)
        )
        if run_ids is not None:
            query = query.where(run.in_(run_ids))
        queries.append((name, query.group_by(column)))
    named: dict[str, list[str]] = {}
    with archive.engine.connect() as conn:
        for name, query in queries:
            for record_id, n in conn.execute(query):
                named.setdefault(record_id, []).append(f"{n} {name}" if n > 1 else name[:-1])
    return sorted((record_id, ", ".join(by)) for record_id, by in named.items())


def runs_of(archive: Archive, run_id: int | None, source: str | None) -> list[int] | None:
    """The runs ``check --warc --run/--source`` means (None: every run)."""
    if run_id is None and source is None:
        return None
    query = select(CrawlRun.id).join(Source, Source.id == CrawlRun.source_id)
    if run_id is not None:
        query = query.where(CrawlRun.id == run_id)
    if source is not None:
        query = query.where(Source.name == source)
    with archive.engine.connect() as conn:
        found = list(conn.execute(query).scalars())
        if found:
            return found
        if (
            source is not None
            and conn.execute(select(Source.id).where(Source.name == source)).first() is None
        ):
            raise ArchiveError(f"no newsroom {source!r} in the archive")
        if (
            run_id is not None
            and conn.execute(select(CrawlRun.id).where(CrawlRun.id == run_id)).first() is None
        ):
            raise ArchiveError(f"no crawl run {run_id} in the archive")
    raise ArchiveError(f"run {run_id} is a run of another newsroom, not {source}")
