"""One crawl run as a WACZ (Web Archive Collection Zipped, 1.1.1): the run's WARC files,
an index of them, a page per article version and per listing page, and a manifest with
the SHA-256 of every file, which ReplayWeb.page and pywb open without the archive.

What the package holds comes from the archive: the run's WARC files are the files its
``captures`` rows name; its pages are the run's versions and the listing pages its
sightings were read from, each at the WARC-Date of the record it was read from (what a
replay looks a page up by; ``seen_at`` is when the archive wrote the row, later). The
index, the page list and the manifest are made by py-wacz (``WACZIndexer``, the
format's reference implementation) as its ``wacz create`` makes them, the index
compressed (``indexes/index.cdx.gz`` in blocks, ``indexes/index.idx`` saying where each
block is): ReplayWeb.page then reads only the blocks a lookup needs, and pywb's
``wb-manager add --unpack-wacz`` takes a ``.cdx``/``.cdx.gz`` index only (it leaves a
package indexed as ``index.cdxj`` out). ``wacz create`` itself is not used, for two
things it does not do:

- It indexes ``metadata`` records, and the crawl writes one per article, under the
  article's own URL, holding the fields the parser read as JSON. Indexed, a replay asked
  for the article near that record's time serves the JSON instead of the page (pywb
  does). The index here holds the records a replay serves: ``response`` and ``revisit``.
- A quiet re-crawl writes mostly ``revisit`` records, and a revisit replays only with
  the response it repeats, which an earlier run wrote into an earlier run's file (pywb
  answers 503 without it). Those responses are copied, byte for byte (each record is its
  own gzip member, so the copy is the record as written, digests and all), into one more
  WARC file of the package, ``{source}-{run:06d}-earlier-records.warc.gz``, instead of
  packaging whole files of other runs. The same goes for a page read from a record of
  another run.

Before the package is written, every record the archive says the run wrote must be in
the index at the file and offset the archive names: a package of files that disagree
with the archive is refused. The archive is only read. A package is written beside its
final name and renamed into place, so a failed run of the command leaves no
half-written WACZ.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsroom_archive.archive.database import ArchiveError
from newsroom_archive.archive.models import (
    Article,
    Capture,
    CrawlRun,
    Sighting,
    Source,
    Version,
)

if TYPE_CHECKING:
    from newsroom_archive.archive import Archive

REPLAYED_RECORDS = ("response", "revisit")
"""The record types a replay serves, and so the ones the index holds."""

# The index's files and the page list's header, named as py-wacz names them.
CDX_NAME = "index.cdx.gz"
IDX_NAME = "index.idx"
PAGES_ID = "pages"
PAGES_TITLE = "Pages"


@dataclass(frozen=True)
class Record:
    """A ``captures`` row: a record and where it is."""

    record_id: str
    warc_type: str
    uri: str
    warc_date: str
    refers_to: str | None
    filename: str
    offset: int
    length: int

    @property
    def name(self) -> str:
        """The file's name in the package's ``archive/`` folder."""
        return Path(self.filename).name


@dataclass(frozen=True)
class Page:
    """An entry of ``pages/pages.jsonl``: where a replay starts."""

    id: str
    url: str
    ts: str
    title: str
    record_id: str

    def entry(self) -> dict[str, str]:
        return {"id": self.id, "url": self.url, "ts": self.ts, "title": self.title}


@dataclass(frozen=True)
class RunPackage:
    """What the WACZ of one run holds, as the archive says."""

    run_id: int
    source: str
    mode: str
    started_at: str
    finished_at: str | None
    folder: Path
    files: tuple[str, ...]
    """The run's WARC files, relative to ``folder``, in the order they were written."""
    records: tuple[Record, ...]
    """The run's response and revisit records."""
    earlier: tuple[Record, ...]
    """Records of other runs' files that the run's revisits and pages need."""
    pages: tuple[Page, ...]
    versions_without_record: int
    """The run's versions read from no captured record (they cannot be replayed)."""

    @property
    def earlier_name(self) -> str:
        return f"{self.source}-{self.run_id:06d}-earlier-records.warc.gz"


@dataclass(frozen=True)
class WaczSummary:
    path: Path
    files: tuple[str, ...]
    """The names under ``archive/``."""
    index_lines: int
    pages: int
    version_pages: int
    listing_pages: int
    earlier_records: int


# -- what the package holds ---------------------------------------------------------


def plan_run(archive: Archive, run_id: int, folder: Path) -> RunPackage:
    """Read from the archive what the WACZ of ``run_id`` holds, with WARC files in
    ``folder``; refuse a run that cannot be packaged, with the reason."""
    # A session: the rows are read as the models (a plain connection gives columns).
    with Session(archive.engine) as conn:
        run = conn.execute(
            select(CrawlRun, Source.name)
            .join(Source, Source.id == CrawlRun.source_id)
            .where(CrawlRun.id == run_id)
        ).one_or_none()
        if run is None:
            raise ArchiveError(f"no run {run_id} in the archive")
        crawl, source = run
        if crawl.status == "running":
            # Its last file is still being written: the package would not match it.
            raise ArchiveError(
                f"run {run_id} is still running: package it once it has ended (a crawl "
                "killed outright shows as running until the next crawl of its newsroom)"
            )
        records = [
            _record(row)
            for row in conn.execute(
                select(Capture)
                .where(Capture.run_id == run_id, Capture.warc_type.in_(REPLAYED_RECORDS))
                .order_by(Capture.filename, Capture.offset)
            ).scalars()
        ]
        if not records:
            raise ArchiveError(
                f"run {run_id} has no WARC captures (it ran with capture off, or before "
                "the archive kept WARC records)"
            )
        files = tuple(dict.fromkeys(r.filename for r in records))
        versions, unrecorded = _version_pages(conn, run_id)
        listings = _listing_pages(conn, run_id, source, records)
        pages = _distinct(versions + listings)
        earlier = _earlier_records(conn, records, pages, set(files))
    _check_files(folder, run_id, files, earlier)
    return RunPackage(
        run_id=run_id,
        source=source,
        mode=crawl.mode,
        started_at=crawl.started_at,
        finished_at=crawl.finished_at,
        folder=folder,
        files=files,
        records=tuple(records),
        earlier=tuple(earlier),
        pages=tuple(pages),
        versions_without_record=unrecorded,
    )


def _record(capture: Capture) -> Record:
    return Record(
        record_id=capture.record_id,
        warc_type=capture.warc_type,
        uri=capture.uri,
        warc_date=capture.warc_date,
        refers_to=capture.refers_to,
        filename=capture.filename,
        offset=capture.offset,
        length=capture.length,
    )


def _version_pages(conn: Session, run_id: int) -> tuple[list[Page], int]:
    """A page per version the run wrote, at the record it was read from."""
    rows = conn.execute(
        select(Version.id, Version.title, Article.url, Capture)
        .join(Article, Article.id == Version.article_id)
        .outerjoin(Capture, Capture.record_id == Version.warc_record_id)
        .where(Version.run_id == run_id)
        .order_by(Version.id)
    ).all()
    pages = [
        # The capture's URI: the URL that was fetched, which the index knows the page by
        # (the article's canonical URL may be spelt otherwise).
        Page(f"version-{vid}", c.uri, c.warc_date, title or url, c.record_id)
        for vid, title, url, c in rows
        if c is not None
    ]
    return pages, sum(1 for *_, c in rows if c is None)


def _listing_pages(conn: Session, run_id: int, source: str, records: list[Record]) -> list[Page]:
    """A page per listing page the run read cards from, at its record; a sighting that
    names no record is matched to the run's first capture of its listing URL."""
    rows = conn.execute(
        select(Sighting.listing_url, Sighting.page_number, Capture)
        .outerjoin(Capture, Capture.record_id == Sighting.warc_record_id)
        .where(Sighting.run_id == run_id)
    ).all()
    first_of: dict[str, Record] = {}
    for record in sorted(records, key=lambda r: r.warc_date):
        first_of.setdefault(record.uri, record)
    pages = []
    for listing_url, number, capture in rows:
        found = _record(capture) if capture is not None else first_of.get(listing_url)
        if found is None:
            continue
        title = f"{source} listing, page {number}" if number else f"{source} listing"
        pages.append(Page("", found.uri, found.warc_date, title, found.record_id))
    return pages


def _distinct(pages: Iterable[Page]) -> list[Page]:
    """One page per URL and moment, in time order, each with an id."""
    unique: dict[tuple[str, str], Page] = {}
    for page in pages:
        unique.setdefault((page.url, page.ts), page)
    ordered = sorted(unique.values(), key=lambda p: (p.ts, p.url))
    listing = iter(range(1, len(ordered) + 1))
    return [
        page
        if page.id
        else Page(f"listing-{next(listing)}", page.url, page.ts, page.title, page.record_id)
        for page in ordered
    ]


def _earlier_records(
    conn: Session, records: list[Record], pages: list[Page], files: set[str]
) -> list[Record]:
    """The records outside the run's files that its revisits (and theirs, should an
    original be a revisit itself) and its pages need to replay."""
    by_id = {r.record_id: r for r in records}
    wanted = [r.refers_to for r in records if r.refers_to] + [p.record_id for p in pages]
    needed: dict[str, Record] = {}
    while wanted:
        wanted = list(dict.fromkeys(wanted))
        unknown = [w for w in wanted if w not in by_id]
        if unknown:
            for capture in conn.execute(
                select(Capture).where(Capture.record_id.in_(unknown))
            ).scalars():
                by_id[capture.record_id] = _record(capture)
        next_round: list[str] = []
        for record_id in wanted:
            record = by_id.get(record_id)
            if record is None:
                raise ArchiveError(
                    f"a record of the run refers to {record_id}, which the archive has no "
                    "capture of: the run cannot be replayed whole"
                )
            if record.filename not in files and record_id not in needed:
                needed[record_id] = record
                if record.refers_to:
                    next_round.append(record.refers_to)
        wanted = next_round
    return sorted(needed.values(), key=lambda r: (r.filename, r.offset))


def _check_files(folder: Path, run_id: int, files: tuple[str, ...], earlier: list[Record]) -> None:
    for name in dict.fromkeys([*files, *(r.filename for r in earlier)]):
        if not (folder / name).is_file():
            whose = f"run {run_id}" if name in files else "an earlier run"
            raise ArchiveError(
                f"WARC file {name} of {whose} is missing from {folder} (give the WARC "
                "folder with --warc-dir)"
            )
    names = [Path(f).name for f in files]
    if len(set(names)) != len(names):
        raise ArchiveError(f"run {run_id} has two WARC files of the same name in subfolders")


# -- the package --------------------------------------------------------------------


def write_wacz(package: RunPackage, output: Path, *, software: str) -> WaczSummary:
    """Write the WACZ of ``package`` to ``output``; ``software`` names this program in
    the manifest and in the warcinfo record of the earlier records' file."""
    output = Path(output)
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - renamed into place below
            dir=output.parent or ".", prefix=f".{output.name}.", suffix=".part", delete=False
        )
    except OSError as exc:
        raise ArchiveError(f"cannot write {output}: {exc.strerror}") from None
    partial = Path(handle.name)
    try:
        with handle, tempfile.TemporaryDirectory(prefix="wacz-") as scratch:
            warcs = [(Path(f).name, package.folder / f) for f in package.files]
            copied: list[tuple[Record, int]] = []
            if package.earlier:
                path = Path(scratch) / package.earlier_name
                copied = _copy_earlier(package, path, software)
                warcs.append((package.earlier_name, path))
            index = _index(warcs, Path(scratch))
            _check_index(package, index.lines, copied)
            with zipfile.ZipFile(handle, "w", allowZip64=True) as wacz:
                _assemble(wacz, package, warcs, index, software)
        os.replace(partial, output)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ArchiveError(f"cannot write {output}: {exc.strerror or exc}") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    versions = sum(1 for p in package.pages if p.id.startswith("version-"))
    return WaczSummary(
        path=output,
        files=tuple(name for name, _ in warcs),
        index_lines=len(index.lines),
        pages=len(package.pages),
        version_pages=versions,
        listing_pages=len(package.pages) - versions,
        earlier_records=len(package.earlier),
    )


def _copy_earlier(package: RunPackage, path: Path, software: str) -> list[tuple[Record, int]]:
    """The earlier records, copied byte for byte after a warcinfo record that says
    where each came from; each with its offset in the copy."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True, warc_version="1.1")
        sources = "; ".join(f"{r.record_id} {r.filename}@{r.offset}" for r in package.earlier)
        writer.write_record(
            writer.create_warcinfo_record(
                package.earlier_name,
                {
                    "software": software,
                    "format": "WARC File Format 1.1",
                    "isPartOf": f"{package.source} run {package.run_id}",
                    "description": "Records of earlier runs that this run's revisit records "
                    "or pages need, copied byte for byte: " + sources,
                },
            )
        )
        copied = []
        for record in package.earlier:
            with (package.folder / record.filename).open("rb") as warc:
                warc.seek(record.offset)
                member = warc.read(record.length)
            found = next(iter(ArchiveIterator(io.BytesIO(member))), None)
            if found is None or found.rec_headers.get_header("WARC-Record-ID") != (
                record.record_id
            ):
                raise ArchiveError(
                    f"{record.filename} holds no record {record.record_id} at offset "
                    f"{record.offset}: the file and the archive disagree"
                )
            copied.append((record, out.tell()))
            out.write(member)
    return copied


@dataclass(frozen=True)
class IndexLine:
    url: str
    filename: str
    offset: int


@dataclass(frozen=True)
class Index:
    """The compressed index: ``cdx`` holds gzip members of sorted CDXJ lines, ``idx``
    says which lines each member starts with and where it is."""

    cdx: Path
    idx: str
    lines: list[IndexLine]


def _index(warcs: list[tuple[str, Path]], scratch: Path) -> Index:
    """The index of the WARC files, by py-wacz's indexer as its ``wacz create`` makes it
    (the same fields, blocks of lines and names), of the records a replay serves."""
    from wacz.main import DEFAULT_NUM_LINES
    from wacz.waczindexer import WACZIndexer

    cdx = scratch / CDX_NAME
    idx = io.StringIO()
    with cdx.open("wb") as data:
        # The indexer names each line's file by its base name, the name in the package.
        WACZIndexer(
            idx,
            [str(path) for _, path in warcs],
            sort=True,
            post_append=True,
            compress=data,
            lines=DEFAULT_NUM_LINES,
            digest_records=True,
            fields="referrer,req.http:cookie",
            data_out_name=CDX_NAME,
            records=",".join(REPLAYED_RECORDS),
            hash_type="sha256",
            main_url=None,
        ).process_all()
    lines = []
    for text in gzip.decompress(cdx.read_bytes()).decode("utf-8").splitlines():
        entry = json.loads(text.split(" ", 2)[2])
        lines.append(IndexLine(entry["url"], entry["filename"], int(entry["offset"])))
    return Index(cdx, idx.getvalue(), lines)


def _check_index(
    package: RunPackage, index: list[IndexLine], copied: list[tuple[Record, int]]
) -> None:
    """Every record the archive says the run wrote, and every record copied, is in the
    index where it was said to be."""
    at = {(line.filename, line.offset) for line in index}
    expected = [(r, r.name, r.offset) for r in package.records]
    expected += [(r, package.earlier_name, offset) for r, offset in copied]
    for record, name, offset in expected:
        if (name, offset) not in at:
            raise ArchiveError(
                f"{record.filename} holds no {record.warc_type} record at offset "
                f"{record.offset}, where the archive has {record.record_id}: the file and "
                "the archive disagree"
            )


def _assemble(
    wacz: zipfile.ZipFile,
    package: RunPackage,
    warcs: list[tuple[str, Path]],
    index: Index,
    software: str,
) -> None:
    """The zip: the WARC files stored as they are (a replay reads records from them by
    offset), then the index, the pages and the manifest, as py-wacz builds them."""
    from wacz.util import get_py_wacz_version, now
    from wacz.waczindexer import WACZIndexer

    for name, path in warcs:
        wacz.write(path, f"archive/{name}", compress_type=zipfile.ZIP_STORED)
    # Stored, as the WARC files: a replay reads the index's blocks by offset too.
    wacz.write(index.cdx, f"indexes/{CDX_NAME}", compress_type=zipfile.ZIP_STORED)
    idx = zipfile.ZipInfo(f"indexes/{IDX_NAME}", now())
    idx.compress_type = zipfile.ZIP_DEFLATED
    wacz.writestr(idx, index.idx)
    # py-wacz's page list, manifest and digest are methods of its indexer, which reads
    # nothing here: an indexer of no files.
    builder = WACZIndexer(io.StringIO(), [], hash_type="sha256", main_url=None)
    entries = [page.entry() for page in package.pages]
    builder.write_page_list(
        wacz,
        "pages/pages.jsonl",
        builder.serialize_json_pages(entries, id=PAGES_ID, title=PAGES_TITLE),
    )
    details = SimpleNamespace(title=_title(package), desc=_description(package), date=None)
    manifest: dict[str, Any] = json.loads(builder.generate_datapackage(details, wacz))
    manifest["software"] = f"{software} (py-wacz {get_py_wacz_version()})"
    manifest_bytes = json.dumps(manifest, indent=2).encode("utf-8")
    info = zipfile.ZipInfo("datapackage.json", now())
    info.compress_type = zipfile.ZIP_DEFLATED
    wacz.writestr(info, manifest_bytes)
    digest = zipfile.ZipInfo("datapackage-digest.json", now())
    digest.compress_type = zipfile.ZIP_DEFLATED
    wacz.writestr(digest, builder.generate_datapackage_digest(manifest_bytes))


def _title(package: RunPackage) -> str:
    return f"{package.source}: crawl run {package.run_id} ({package.mode})"


def _description(package: RunPackage) -> str:
    ended = f" to {package.finished_at}" if package.finished_at else ""
    versions = sum(1 for p in package.pages if p.id.startswith("version-"))
    text = (
        f"What crawl run {package.run_id} of {package.source} (newsroom-archive) received "
        f"from {package.started_at}{ended}, as served: {counted(versions, 'article version')} "
        f"and {counted(len(package.pages) - versions, 'listing page')}."
    )
    if package.earlier:
        text += (
            f" {counted(len(package.earlier), 'record')} of earlier runs that this run's "
            f"revisit records repeat are in {package.earlier_name}."
        )
    return text


def counted(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"
