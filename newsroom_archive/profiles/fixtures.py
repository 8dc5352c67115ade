"""A newsroom's fixtures: saved pages with the expected output per field beside them.

A fixture is ``tests/fixtures/NAME/SLUG.fixture.json`` (for an operator's own profile,
``fixtures/NAME/`` beside the profile file)::

    {"page": "shared:newsrooms/ag-ohio/listing_page_0.html",
     "url": "https://www.ohioattorneygeneral.gov/Media/News-Releases",
     "kind": "listing", "next_url": null,
     "records": [{"url": "…", "title": "…", "published_date": "2026-02-20", …}, …]}

``page`` is a file beside the fixture, or ``shared:PATH`` under the shared folder of
real pages (``../shared`` of the project, or ``$NEWSROOM_ARCHIVE_SHARED``), which is not
part of the project: without it the fixture is skipped, saying why. ``records`` are the
normalised records ``extract`` prints, one per card of a listing or one for an article;
a field a record leaves out is expected empty. The values are written by reading the
page, never by running the reader. The older ``SLUG.expected.json`` fixtures beside
``SLUG.html`` hold the raw page fields instead and are checked field by field too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from w3lib.encoding import html_to_unicode

from newsroom_archive.items import ArticleRecord
from newsroom_archive.normalise import build_record
from newsroom_archive.sites.base import Newsroom

SHARED_ENV = "NEWSROOM_ARCHIVE_SHARED"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
_RECORD_FIELDS = tuple(f.name for f in dataclasses.fields(ArticleRecord) if f.name != "source")
# What a field left out of a fixture is expected to be: its default, or the empty list a
# list field starts from.
_EMPTY = {
    f.name: f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
    for f in dataclasses.fields(ArticleRecord)
}


def shared_root() -> Path:
    """The folder of real saved pages that fixtures may point into."""
    env = os.environ.get(SHARED_ENV)
    return Path(env) if env else PROJECT_ROOT.parent / "shared"


def fixture_dirs(newsroom: Newsroom) -> list[Path]:
    dirs = [PROJECT_ROOT / "tests" / "fixtures" / newsroom.name]
    if newsroom.profile is not None:
        dirs.append(newsroom.profile.path.parent / "fixtures" / newsroom.name)
    seen: list[Path] = []
    for folder in dirs:
        if folder.is_dir() and folder.resolve() not in [s.resolve() for s in seen]:
            seen.append(folder)
    return seen


def fixture_files(newsroom: Newsroom) -> list[Path]:
    files: list[Path] = []
    for folder in fixture_dirs(newsroom):
        files += sorted(folder.glob("*.fixture.json")) + sorted(folder.glob("*.expected.json"))
    return files


@dataclass(frozen=True)
class Difference:
    where: str
    """``record 3`` of a listing, ``page`` of an article, ``listing`` for next_url …"""
    field: str
    expected: Any
    got: Any


@dataclass
class Result:
    fixture: Path
    skipped: str | None = None
    """Why the fixture could not run (its page is absent)."""
    differences: list[Difference] = field(default_factory=list)
    fields_expected: int = 0
    """Fields the fixture expects a value in (empty expectations not counted)."""
    fields_right: int = 0
    """Of those, the fields read exactly as expected."""

    @property
    def ok(self) -> bool:
        return self.skipped is None and not self.differences


def _read_page(path: Path) -> str:
    _, text = html_to_unicode(None, path.read_bytes())
    return text


def page_path(fixture: Path, spec: dict[str, Any]) -> Path:
    page = spec.get("page") or fixture.name.replace(".expected.json", ".html")
    if page.startswith("shared:"):
        return shared_root() / page.removeprefix("shared:")
    return fixture.parent / page


def _compare(result: Result, where: str, expected: dict[str, Any], got: dict[str, Any]) -> None:
    for name in expected.keys() | got.keys():
        want = expected.get(name, _EMPTY.get(name))
        have = got.get(name, _EMPTY.get(name))
        if want not in (None, [], False, ""):
            result.fields_expected += 1
            result.fields_right += want == have
        if want != have:
            result.differences.append(Difference(where, name, want, have))


def records_of(newsroom: Newsroom, text: str, url: str) -> list[dict[str, Any]]:
    """What ``extract`` prints for the page: its normalised records, as dicts."""
    out = []
    for item in newsroom.read_page(text, url):
        record = dataclasses.asdict(build_record(item, newsroom.rules))
        out.append({name: record[name] for name in _RECORD_FIELDS})
    return out


def run_fixture(newsroom: Newsroom, fixture: Path) -> Result:
    """Read the fixture's page with the newsroom and compare every field."""
    spec = json.loads(fixture.read_text(encoding="utf-8"))
    result = Result(fixture)
    path = page_path(fixture, spec)
    if not path.is_file():
        result.skipped = f"page {path} is absent"
        return result
    text = _read_page(path)
    as_of = spec.get("as_of")
    reader = newsroom.on(dt.date.fromisoformat(as_of) if as_of else None)
    url = spec["url"]
    if "records" not in spec:
        _compare_raw(result, reader, text, spec)
        return result
    got = records_of(reader, text, url)
    expected = spec["records"]
    if len(got) != len(expected):
        result.differences.append(Difference("page", "records", len(expected), len(got)))
    for n, (want, have) in enumerate(zip(expected, got, strict=False), start=1):
        _compare(result, f"record {n}", want, have)
    if "next_url" in spec:
        listing = reader.parse_listing(text, url)
        _compare(result, "listing", {"next_url": spec["next_url"]}, {"next_url": listing.next_url})
    return result


def _compare_raw(result: Result, reader: Newsroom, text: str, spec: dict[str, Any]) -> None:
    """An older fixture: the raw fields of a listing's cards or of an article page."""
    url = spec["url"]
    if "cards" in spec:
        listing = reader.parse_listing(text, url)
        cards = [dataclasses.asdict(card) for card in listing.cards]
        if len(cards) != len(spec["cards"]):
            result.differences.append(Difference("page", "cards", len(spec["cards"]), len(cards)))
        for n, (want, have) in enumerate(zip(spec["cards"], cards, strict=False), start=1):
            _compare(result, f"card {n}", want, have)
        shown = {"next_url": listing.next_url, "page_number": listing.page_number}
        _compare(result, "listing", {k: spec[k] for k in shown if k in spec}, shown)
        return
    _compare(result, "page", spec, dataclasses.asdict(reader.parse_article(text, url)))


def run_fixtures(newsroom: Newsroom) -> Iterator[Result]:
    for fixture in fixture_files(newsroom):
        yield run_fixture(newsroom, fixture)
