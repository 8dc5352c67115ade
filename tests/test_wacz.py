"""`newsroom-archive wacz`: a crawl run packaged as WACZ, checked by py-wacz's validator,
by warcio, and by reading the package back: its files, index lines, pages and hashes.

The archive is written through the archive's API; its WARC files are written here with
warcio exactly as the capture contract says the crawl writes them (a warcinfo record
per file, request and response per exchange, a metadata record per article, a revisit
for an unchanged payload), and the `captures` rows say where each record is.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select, update
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsroom_archive.archive import Archive
from newsroom_archive.archive.models import Article, Capture, Sighting, Version
from newsroom_archive.items import ArticleRecord, ListingCard, NormalisedArticle
from newsroom_archive.items import Sighting as CardSighting
from tests.helpers.bad_input import FileState, assert_one_line_error, assert_unchanged, run_cli

LISTING = "https://www.example.org/news/"
FIRST = "https://www.example.org/news/first-statement/"
SECOND = "https://www.example.org/news/second-report/"
ROBOTS = "https://www.example.org/robots.txt"
REVISIT_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"

LISTING_HTML = (
    b"<html><head><title>News</title></head><body>"
    b'<a href="/news/first-statement/">First</a><a href="/news/second-report/">Second</a>'
    b"</body></html>"
)
FIRST_HTML = b"<html><head><title>First Statement</title></head><body>One.</body></html>"
FIRST_EDITED_HTML = (
    b"<html><head><title>First Statement, Updated</title></head><body>One, two.</body></html>"
)
SECOND_HTML = b"<html><head><title>Second Report</title></head><body>Two.</body></html>"


@dataclass(frozen=True)
class Written:
    """A response or revisit record as written: the `captures` row of it."""

    record_id: str
    warc_type: str
    uri: str
    warc_date: str
    status: int
    content_type: str | None
    payload_digest: str
    refers_to: str | None
    filename: str
    offset: int
    length: int

    def row(self, run_id: int) -> dict[str, Any]:
        return {"run_id": run_id, **self.__dict__}


class WarcFile:
    """One WARC file of a run, written as the crawl writes them."""

    def __init__(self, folder: Path, source: str, run_id: int, stamp: str, seq: int) -> None:
        self.name = f"{source}-{run_id:06d}-{stamp}-{seq:05d}.warc.gz"
        self.path = folder / self.name
        self.handle = self.path.open("xb")
        self.writer = WARCWriter(self.handle, gzip=True, warc_version="WARC/1.1")
        self._write(
            self.writer.create_warcinfo_record(
                self.name,
                {
                    "software": "newsroom-archive/0.1.0",
                    "isPartOf": f"{source} run {run_id}",
                    "format": "WARC File Format 1.1",
                    "description": json.dumps({"WARC_MAX_BYTES": 1 << 30}),
                },
            )
        )

    def _write(self, record: Any) -> tuple[int, int]:
        offset = self.handle.tell()
        self.writer.write_record(record)
        return offset, self.handle.tell() - offset

    def exchange(
        self,
        url: str,
        status: int,
        body: bytes,
        date: str,
        *,
        content_type: str = "text/html; charset=utf-8",
        repeats: Written | None = None,
    ) -> Written:
        reason = {200: "OK", 304: "Not Modified"}[status]
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
        http = StatusAndHeaders(f"{status} {reason}", headers, protocol="HTTP/1.1")
        if repeats is None:
            record = self.writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": date},
            )
        else:
            record = self.writer.create_revisit_record(
                url,
                repeats.payload_digest,
                repeats.uri,
                repeats.warc_date,
                http_headers=http,
                warc_headers_dict={"WARC-Date": date, "WARC-Refers-To": repeats.record_id},
            )
            record.rec_headers.replace_header("WARC-Profile", REVISIT_PROFILE)
        offset, length = self._write(record)
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        request = self.writer.create_warc_record(
            url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=StatusAndHeaders(
                f"GET {url.split('example.org', 1)[1]} HTTP/1.1",
                [("Host", "www.example.org"), ("Referer", LISTING)],
                is_http_request=True,
            ),
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": record_id},
        )
        self._write(request)
        return Written(
            record_id=record_id,
            warc_type="revisit" if repeats else "response",
            uri=url,
            warc_date=date,
            status=status,
            content_type=content_type,
            payload_digest=record.rec_headers.get_header("WARC-Payload-Digest"),
            refers_to=repeats.record_id if repeats else None,
            filename=self.name,
            offset=offset,
            length=length,
        )

    def metadata(self, of: Written, fields: dict[str, Any]) -> None:
        payload = json.dumps(fields).encode()
        self._write(
            self.writer.create_warc_record(
                of.uri,
                "metadata",
                payload=io.BytesIO(payload),
                length=len(payload),
                warc_content_type="application/json",
                warc_headers_dict={"WARC-Concurrent-To": of.record_id},
            )
        )

    def close(self) -> None:
        self.handle.close()


@dataclass
class Built:
    path: Path
    warc: Path
    records: dict[int, list[Written]] = field(default_factory=dict)
    files: dict[int, list[str]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"


def _article(url: str, title: str, body: str) -> ArticleRecord:
    return ArticleRecord(source="example", url=url, title=title, kind="statement", body=body)


def _seen(record: ArticleRecord, position: int) -> NormalisedArticle:
    card = ListingCard(url=record.url, position=position, title=record.title)
    return NormalisedArticle(record=record, sighting=CardSighting(LISTING, 1, position, card))


def _link(archive: Archive, run_id: int, records: list[Written], pages: dict[str, str]) -> None:
    """The captures rows of the run, and the versions' and sightings' records."""
    with archive.engine.begin() as conn:
        conn.execute(insert(Capture), [r.row(run_id) for r in records])
        for url, record_id in pages.items():
            if url == LISTING:
                conn.execute(
                    update(Sighting)
                    .where(Sighting.run_id == run_id, Sighting.listing_url == url)
                    .values(warc_record_id=record_id)
                )
                continue
            article = select(Article.id).where(Article.url == url).scalar_subquery()
            conn.execute(
                update(Version)
                .where(Version.run_id == run_id, Version.article_id == article)
                .values(warc_record_id=record_id)
            )


def build(folder: Path) -> Built:
    """Run 1 reads the listing and two articles; run 2 finds the listing unchanged (a
    revisit of run 1's record), the first article edited (a new file by then) and the
    second answering 304; run 3 captured nothing; run 4's captures row names the wrong
    offset; run 5's file is gone; run 6 is still running."""
    warc = folder / "warc"  # where the crawl puts it by default, beside the archive file
    warc.mkdir(parents=True)
    built = Built(folder / "archive.sqlite", warc)
    archive = Archive(built.url)

    run = archive.start_run("example", "example", "full")
    first, second = (
        _article(FIRST, "First Statement", "One."),
        _article(SECOND, "Second Report", "Two."),
    )
    archive.add(run, _seen(first, 1))
    archive.add(run, _seen(second, 2))
    archive.finish_run(run, "finished", finish_reason="finished")
    one = WarcFile(warc, "example", run, "20261201100000", 1)
    listing = one.exchange(LISTING, 200, LISTING_HTML, "2026-12-01T10:00:01.250000Z")
    robots = one.exchange(
        ROBOTS, 200, b"User-agent: *\n", "2026-12-01T10:00:00.500000Z", content_type="text/plain"
    )
    a1 = one.exchange(FIRST, 200, FIRST_HTML, "2026-12-01T10:00:02.000000Z")
    one.metadata(a1, {"title": "First Statement", "parser_version": "0.1.0"})
    a2 = one.exchange(SECOND, 200, SECOND_HTML, "2026-12-01T10:00:03.000000Z")
    one.metadata(a2, {"title": "Second Report", "parser_version": "0.1.0"})
    one.close()
    built.records[run], built.files[run] = [listing, robots, a1, a2], [one.name]
    _link(
        archive,
        run,
        built.records[run],
        {LISTING: listing.record_id, FIRST: a1.record_id, SECOND: a2.record_id},
    )

    run = archive.start_run("example", "example", "incremental")
    edited = _article(FIRST, "First Statement, Updated", "One, two.")
    archive.add(run, _seen(edited, 1))
    archive.add(run, _seen(second, 2))
    archive.finish_run(run, "finished", finish_reason="finished")
    two = WarcFile(warc, "example", run, "20261201110000", 1)
    again = two.exchange(LISTING, 200, LISTING_HTML, "2026-12-01T11:00:01.000000Z", repeats=listing)
    two.close()
    three = WarcFile(warc, "example", run, "20261201110002", 2)  # rotated: past its size
    b1 = three.exchange(FIRST, 200, FIRST_EDITED_HTML, "2026-12-01T11:00:02.000000Z")
    three.metadata(b1, {"title": "First Statement, Updated", "parser_version": "0.1.0"})
    b2 = three.exchange(SECOND, 304, b"", "2026-12-01T11:00:03.000000Z")
    three.close()
    built.records[run], built.files[run] = [again, b1, b2], [two.name, three.name]
    _link(archive, run, built.records[run], {LISTING: again.record_id, FIRST: b1.record_id})

    run = archive.start_run("example", "example", "incremental")
    archive.finish_run(run, "finished", finish_reason="finished")

    run = archive.start_run("example", "example", "incremental")
    archive.finish_run(run, "finished", finish_reason="finished")
    four = WarcFile(warc, "example", run, "20261201130000", 1)
    c1 = four.exchange(LISTING, 200, LISTING_HTML + b" ", "2026-12-01T13:00:01.000000Z")
    four.close()
    wrong = Written(**{**c1.__dict__, "offset": c1.offset + 1})
    _link(archive, run, [wrong], {})

    run = archive.start_run("example", "example", "incremental")
    archive.finish_run(run, "finished", finish_reason="finished")
    five = WarcFile(warc, "example", run, "20261201140000", 1)
    d1 = five.exchange(LISTING, 200, LISTING_HTML + b"  ", "2026-12-01T14:00:01.000000Z")
    five.close()
    five.path.unlink()
    _link(archive, run, [d1], {})

    archive.start_run("example", "example", "incremental")
    archive.close()
    return built


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(tmp_path_factory.mktemp("wacz"))


@dataclass
class Package:
    path: Path
    zip: zipfile.ZipFile

    def text(self, name: str) -> str:
        return self.zip.read(name).decode("utf-8")

    def jsonl(self, name: str) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text(name).splitlines()]

    def index(self) -> list[tuple[str, str, dict[str, Any]]]:
        lines = []
        data = gzip.decompress(self.zip.read("indexes/index.cdx.gz")).decode("utf-8")
        for line in data.splitlines():
            key, ts, fields = line.split(" ", 2)
            lines.append((key, ts, json.loads(fields)))
        return lines


def package(built: Built, run_id: int, out: Path) -> Package:
    before = FileState.of(built.path)
    warcs = {p.name: FileState.of(p) for p in built.warc.iterdir()}
    result = run_cli(["wacz", str(run_id), "-o", str(out)], built.path)
    assert result.exit_code == 0, result.output
    assert_unchanged(built.path, before)  # a read command
    assert {p.name: FileState.of(p) for p in built.warc.iterdir()} == warcs
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no partial file left
    return Package(out, zipfile.ZipFile(out))


def validate(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """py-wacz's own validator (`wacz validate -f FILE`), in process: its command line
    exits 0 whatever it finds, its function returns what it found."""
    from wacz.main import main as wacz_main

    capsys.readouterr()
    assert wacz_main(["validate", "-f", str(path)]) == 0, capsys.readouterr().out
    assert "Validation succeeded, the passed WACZ is valid" in capsys.readouterr().out


def warcio(*args: str) -> subprocess.CompletedProcess[str]:
    """warcio's command line (`warcio check`, `warcio index`), as its script runs it."""
    return subprocess.run(
        [sys.executable, "-c", "import sys; from warcio.cli import main; sys.exit(main())", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def timestamp(date: str) -> str:
    return date[:19].replace("-", "").replace("T", "").replace(":", "")


# -- the package of the first run ----------------------------------------------------


def test_a_run_becomes_a_valid_wacz_of_its_warc_files(
    built: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wacz = package(built, 1, tmp_path / "run-1.wacz")
    validate(wacz.path, capsys)
    (name,) = built.files[1]
    assert sorted(wacz.zip.namelist()) == sorted(
        [
            f"archive/{name}",
            "indexes/index.cdx.gz",
            "indexes/index.idx",
            "pages/pages.jsonl",
            "datapackage.json",
            "datapackage-digest.json",
        ]
    )
    # The WARC file as the crawl wrote it, stored, not compressed again: a replay reads
    # its records by offset.
    assert wacz.zip.read(f"archive/{name}") == (built.warc / name).read_bytes()
    assert wacz.zip.getinfo(f"archive/{name}").compress_type == zipfile.ZIP_STORED


def test_the_validator_refuses_a_package_whose_file_changed(
    built: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The validator used above is no formality: one byte of a page list changed after
    the manifest was written, and it says so."""
    from wacz.main import main as wacz_main

    wacz = package(built, 1, tmp_path / "run-1.wacz")
    tampered = tmp_path / "tampered.wacz"
    with zipfile.ZipFile(tampered, "w") as out:
        for info in wacz.zip.infolist():
            data = wacz.zip.read(info)
            if info.filename == "pages/pages.jsonl":
                data = data.replace(b"First Statement", b"First Statemens")
            out.writestr(info, data)
    capsys.readouterr()
    assert wacz_main(["validate", "-f", str(tampered)]) == 1
    said = capsys.readouterr().out
    assert "Validation failed, the passed WACZ is invalid" in said
    assert "hash-count" in said and "pages.jsonl" in said


def test_the_index_has_a_line_per_response_and_revisit_where_the_record_is(
    built: Built, tmp_path: Path
) -> None:
    wacz = package(built, 1, tmp_path / "run-1.wacz")
    listing, robots, a1, a2 = built.records[1]
    (name,) = built.files[1]
    lines = wacz.index()
    # Sorted by URL key and time; no request, metadata or warcinfo lines.
    assert [(key, ts) for key, ts, _ in lines] == [
        ("org,example)/news", timestamp(listing.warc_date)),
        ("org,example)/news/first-statement", timestamp(a1.warc_date)),
        ("org,example)/news/second-report", timestamp(a2.warc_date)),
        ("org,example)/robots.txt", timestamp(robots.warc_date)),
    ]
    for (_key, _ts, entry), record in zip(lines, [listing, a1, a2, robots], strict=True):
        assert entry["url"] == record.uri
        assert entry["filename"] == name
        assert int(entry["offset"]) == record.offset
        assert int(entry["length"]) == record.length
        assert entry["status"] == "200"
        assert entry["digest"] == record.payload_digest
        assert entry["mime"] == (record.content_type or "").split(";")[0]
        data = (built.warc / name).read_bytes()[record.offset : record.offset + record.length]
        assert entry["recordDigest"] == "sha256:" + hashlib.sha256(data).hexdigest()
        # The line points at a whole gzip member holding that very record.
        assert f"WARC-Record-ID: {record.record_id}" in gzip.decompress(data).decode()
    assert lines[1][2]["referrer"] == LISTING  # the request's Referer, as py-wacz indexes it


def test_the_index_is_py_wacz_s_compressed_index_of_blocks_of_lines(
    built: Built, tmp_path: Path
) -> None:
    """ReplayWeb.page reads the `.idx` and then only the blocks a lookup needs; pywb's
    `wb-manager add --unpack-wacz` takes the `.cdx.gz` (a `.cdxj` it leaves out)."""
    wacz = package(built, 1, tmp_path / "run-1.wacz")
    cdx = wacz.zip.read("indexes/index.cdx.gz")
    assert wacz.zip.getinfo("indexes/index.cdx.gz").compress_type == zipfile.ZIP_STORED
    meta, *blocks = wacz.text("indexes/index.idx").splitlines()
    assert meta == '!meta 0 {"format": "cdxj-gzip-1.0", "filename": "index.cdx.gz"}'
    # Few records: one block of lines, starting with the first line's key and time.
    (block,) = blocks
    key, ts, fields = block.split(" ", 2)
    where = json.loads(fields)
    assert (key, ts) == wacz.index()[0][:2]
    assert (where["offset"], where["length"]) == (0, len(cdx))
    assert where["digest"] == "sha256:" + hashlib.sha256(cdx).hexdigest()


def version_ids(built: Built, run_id: int) -> dict[str, int]:
    archive = Archive(built.url, readonly=True, create=False)
    with archive.engine.connect() as conn:
        rows = conn.execute(
            select(Article.url, Version.id)
            .join(Article, Article.id == Version.article_id)
            .where(Version.run_id == run_id)
        ).all()
    archive.close()
    return {url: vid for url, vid in rows}


def test_the_pages_are_the_run_s_versions_and_listing_pages(built: Built, tmp_path: Path) -> None:
    wacz = package(built, 1, tmp_path / "run-1.wacz")
    listing, _robots, a1, a2 = built.records[1]
    versions = version_ids(built, 1)
    header, *pages = wacz.jsonl("pages/pages.jsonl")
    assert header == {"format": "json-pages-1.0", "id": "pages", "title": "Pages"}
    # In time order, each at the moment its record was captured; robots.txt is no page.
    assert pages == [
        {
            "id": "listing-1",
            "url": LISTING,
            "ts": listing.warc_date,
            "title": "example listing, page 1",
        },
        {
            "id": f"version-{versions[FIRST]}",
            "url": FIRST,
            "ts": a1.warc_date,
            "title": "First Statement",
        },
        {
            "id": f"version-{versions[SECOND]}",
            "url": SECOND,
            "ts": a2.warc_date,
            "title": "Second Report",
        },
    ]


def test_the_manifest_hashes_every_file(built: Built, tmp_path: Path) -> None:
    wacz = package(built, 1, tmp_path / "run-1.wacz")
    manifest_bytes = wacz.zip.read("datapackage.json")
    manifest = json.loads(manifest_bytes)
    assert manifest["profile"] == "data-package"
    assert manifest["wacz_version"] == "1.1.1"
    assert manifest["title"] == "example: crawl run 1 (full)"
    assert manifest["software"].startswith("newsroom-archive ")
    assert "(py-wacz " in manifest["software"]
    dt.datetime.strptime(manifest["created"], "%Y-%m-%dT%H:%M:%SZ")
    listed = {r["path"]: r for r in manifest["resources"]}
    inside = set(wacz.zip.namelist()) - {"datapackage.json", "datapackage-digest.json"}
    assert set(listed) == inside
    for path in inside:
        data = wacz.zip.read(path)
        assert listed[path]["hash"] == "sha256:" + hashlib.sha256(data).hexdigest(), path
        assert listed[path]["bytes"] == len(data), path
        assert listed[path]["name"] == Path(path).name.lower()
    digest = json.loads(wacz.zip.read("datapackage-digest.json"))
    assert digest == {
        "path": "datapackage.json",
        "hash": "sha256:" + hashlib.sha256(manifest_bytes).hexdigest(),
    }


def test_warcio_checks_and_indexes_every_warc_file_of_the_package(
    built: Built, tmp_path: Path
) -> None:
    wacz = package(built, 2, tmp_path / "run-2.wacz")
    names = [n for n in wacz.zip.namelist() if n.startswith("archive/")]
    assert len(names) == 3
    for name in names:
        path = tmp_path / Path(name).name
        path.write_bytes(wacz.zip.read(name))
        checked = warcio("check", "-v", str(path))
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert "digest failed" not in checked.stdout
        indexed = warcio("index", "-f", "warc-type,warc-target-uri,offset,length", str(path))
        assert indexed.returncode == 0, indexed.stderr
        rows = [json.loads(line) for line in indexed.stdout.splitlines()]
        assert rows[0]["warc-type"] == "warcinfo"
        written = [r for r in built.records[2] if r.filename == path.name]
        for record in written:
            assert {
                "warc-type": record.warc_type,
                "warc-target-uri": record.uri,
                "offset": str(record.offset),
                "length": str(record.length),
            } in rows


# -- a re-crawl: revisits, a rotated file, a 304 ------------------------------------


def test_a_revisit_comes_with_the_response_it_repeats(
    built: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from warcio.archiveiterator import ArchiveIterator

    wacz = package(built, 2, tmp_path / "run-2.wacz")
    validate(wacz.path, capsys)
    listing = built.records[1][0]
    again, b1, b2 = built.records[2]
    first_file, second_file = built.files[2]
    earlier = "example-000002-earlier-records.warc.gz"
    assert sorted(wacz.zip.namelist()) == sorted(
        [
            f"archive/{first_file}",
            f"archive/{second_file}",
            f"archive/{earlier}",
            "indexes/index.cdx.gz",
            "indexes/index.idx",
            "pages/pages.jsonl",
            "datapackage.json",
            "datapackage-digest.json",
        ]
    )
    # Run 1's listing response, byte for byte, after a warcinfo record naming its origin.
    copy = wacz.zip.read(f"archive/{earlier}")
    original = (built.warc / listing.filename).read_bytes()
    member = original[listing.offset : listing.offset + listing.length]
    assert copy.endswith(member)
    records = [
        (r.rec_type, r.rec_headers.get_header("WARC-Record-ID"), r.content_stream().read())
        for r in ArchiveIterator(io.BytesIO(copy))
    ]
    assert [(kind, rid) for kind, rid, _ in records][1:] == [("response", listing.record_id)]
    assert records[0][0] == "warcinfo"
    info = records[0][2].decode()
    assert f"{listing.record_id} {listing.filename}@{listing.offset}" in info
    assert "isPartOf: example run 2" in info
    copied_at = len(copy) - len(member)

    lines = wacz.index()
    assert [
        (ts, e["url"], e["mime"], e["status"], e["filename"], int(e["offset"]))
        for _, ts, e in lines
    ] == [
        (timestamp(listing.warc_date), LISTING, "text/html", "200", earlier, copied_at),
        (timestamp(again.warc_date), LISTING, "warc/revisit", "200", first_file, again.offset),
        (timestamp(b1.warc_date), FIRST, "text/html", "200", second_file, b1.offset),
        (timestamp(b2.warc_date), SECOND, "text/html", "304", second_file, b2.offset),
    ]
    # The revisit names what it repeats, which the index has under the same digest.
    assert lines[0][2]["digest"] == lines[1][2]["digest"] == listing.payload_digest

    _header, *pages = wacz.jsonl("pages/pages.jsonl")
    assert pages == [
        {
            "id": "listing-1",
            "url": LISTING,
            "ts": again.warc_date,
            "title": "example listing, page 1",
        },
        {
            "id": f"version-{version_ids(built, 2)[FIRST]}",
            "url": FIRST,
            "ts": b1.warc_date,
            "title": "First Statement, Updated",
        },
    ]


def test_the_command_says_what_it_packaged(built: Built, tmp_path: Path) -> None:
    out = tmp_path / "run-2.wacz"
    result = run_cli(["wacz", "2", "-o", str(out)], built.path)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == (
        f"run 2 of example written to {out}: 2 WARC files, 1 record of earlier runs, "
        "4 index lines, 1 article version and 1 listing page\n"
    )
    # Run again, it replaces the package it wrote.
    again = run_cli(["wacz", "2", "-o", str(out), "--warc-dir", str(built.warc)], built.path)
    assert again.exit_code == 0, again.output
    assert zipfile.ZipFile(out).testzip() is None


def test_a_version_without_a_record_is_left_out_and_said_so(tmp_path: Path) -> None:
    fresh = build(tmp_path / "archive")
    archive = Archive(fresh.url)
    with archive.engine.begin() as conn:
        conn.execute(update(Version).where(Version.run_id == 1).values(warc_record_id=None))
    archive.close()
    out = tmp_path / "out" / "run-1.wacz"
    out.parent.mkdir()
    result = run_cli(["wacz", "1", "-o", str(out)], fresh.path)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[1] == (
        "note: 2 versions of run 1 read from no captured record, left out of the package"
    )
    _header, *pages = Package(out, zipfile.ZipFile(out)).jsonl("pages/pages.jsonl")
    assert [p["id"] for p in pages] == ["listing-1"]


def test_an_earlier_run_s_missing_file_is_refused(tmp_path: Path) -> None:
    fresh = build(tmp_path / "archive")
    (name,) = fresh.files[1]
    (fresh.warc / name).unlink()
    out = tmp_path / "run-2.wacz"
    result = run_cli(["wacz", "2", "-o", str(out)], fresh.path)
    assert_one_line_error(
        result, f"WARC file {name} of an earlier run is missing from {fresh.warc}", exit_code=1
    )
    assert not out.exists()


# -- bad input ----------------------------------------------------------------------

USAGE = 2
FAILED = 1
OUT = "{tmp}/run.wacz"

BAD_INPUT: list[tuple[list[str], int, str]] = [
    (["wacz", "999", "-o", OUT], FAILED, "no run 999 in the archive"),
    (["wacz", "3", "-o", OUT], FAILED, "run 3 has no WARC captures (it ran with capture off"),
    (
        ["wacz", "4", "-o", OUT],
        FAILED,
        "example-000004-20261201130000-00001.warc.gz holds no response record at offset",
    ),
    (
        ["wacz", "5", "-o", OUT],
        FAILED,
        "WARC file example-000005-20261201140000-00001.warc.gz of run 5 is missing from",
    ),
    (
        ["wacz", "2", "-o", OUT, "--warc-dir", "{tmp}/elsewhere"],
        FAILED,
        "of run 2 is missing from {tmp}/elsewhere (give the WARC folder with --warc-dir)",
    ),
    (["wacz", "6", "-o", OUT], FAILED, "run 6 is still running: package it once it has ended"),
    (
        ["wacz", "2", "-o", "/nonexistent/dir/run.wacz"],
        FAILED,
        "cannot write /nonexistent/dir/run.wacz: No such file or directory",
    ),
    (["wacz", "2", "-o", "{tmp}/run.zip"], USAGE, "a WACZ file's name must end in .wacz"),
    (["wacz", "2", "-o", "{tmp}"], USAGE, "is a directory"),
    (["wacz", "0", "-o", OUT], USAGE, "Invalid value for 'RUN_ID': 0 is not in the range x>=1"),
    (["wacz", "two", "-o", OUT], USAGE, "'two' is not a valid integer"),
    (["wacz", "2"], USAGE, "Missing option '-o' / '--output'"),
]


@pytest.mark.parametrize(
    ("args", "exit_code", "expected"), BAD_INPUT, ids=[" ".join(c[0]) for c in BAD_INPUT]
)
def test_bad_input_is_refused_in_one_line(
    built: Built, tmp_path: Path, args: list[str], exit_code: int, expected: str
) -> None:
    before = FileState.of(built.path)
    result = run_cli([a.format(tmp=tmp_path) for a in args], built.path)
    assert_one_line_error(result, expected.format(tmp=tmp_path), exit_code=exit_code)
    assert_unchanged(built.path, before)
    assert list(tmp_path.iterdir()) == []  # no package, no partial file
