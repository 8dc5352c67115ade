"""One definition of the record's fields: the hash, the tables, the view and the exports
agree with ``ArticleRecord`` and ``ListingCard``."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path
from typing import get_type_hints

from newsroom_archive.archive import Archive
from newsroom_archive.archive.export import (
    ARTICLE_COLUMNS,
    EVIDENCE_COLUMNS,
    OBSERVATION_COLUMNS,
    SIGHTING_COLUMNS,
    VERSION_COLUMNS,
)
from newsroom_archive.archive.models import Sighting, Version
from newsroom_archive.archive.query import CURRENT_COLUMNS
from newsroom_archive.hashing import card_hash, content_hash, content_of
from newsroom_archive.items import (
    CARD_FIELDS,
    CONTENT_FIELDS,
    FLAG_FIELDS,
    HASHED_WHEN_SET,
    LIST_FIELDS,
    RECORD_FIELDS,
    VERSION_FIELDS,
    ArticleRecord,
    ListingCard,
)
from newsroom_archive.normalise.credits import CaptionParts


def test_the_field_lists_follow_the_record() -> None:
    names = [f.name for f in dataclasses.fields(ArticleRecord)]
    assert names[:2] == ["source", "url"]
    assert tuple(n for n in names[2:] if n != "updated_at") == RECORD_FIELDS
    assert (*RECORD_FIELDS, "updated_at") == VERSION_FIELDS
    provenance = ("date_source", "extractor")
    assert tuple(n for n in VERSION_FIELDS if n not in provenance) == CONTENT_FIELDS
    assert {"photographers", "photo_agencies", "tags", "attachments"} == LIST_FIELDS
    assert {"tags", "attachments"} == HASHED_WHEN_SET
    assert {"teaser_truncated"} == FLAG_FIELDS
    assert tuple(f.name for f in dataclasses.fields(ListingCard))[2:] == CARD_FIELDS


def test_versions_and_sightings_have_a_column_per_field() -> None:
    version_columns = set(Version.__table__.c.keys())
    assert set(VERSION_FIELDS) <= version_columns
    assert version_columns - set(VERSION_FIELDS) == {
        "id",
        "article_id",
        "version",
        "run_id",
        "seen_at",
        "content_hash",
        "cause",
        "parser_version",
        "warc_record_id",
        "observed_at",
        "origin",
    }
    sighting_columns = set(Sighting.__table__.c.keys())
    assert set(CARD_FIELDS) <= sighting_columns
    assert sighting_columns - set(CARD_FIELDS) == {
        "id",
        "run_id",
        "article_id",
        "seen_at",
        "listing_url",
        "page_number",
        "position",
        "card_hash",
        "warc_record_id",
        "observed_at",
        "origin",
    }


def test_exports_carry_the_fields_in_record_order() -> None:
    assert ARTICLE_COLUMNS[2 : 2 + len(RECORD_FIELDS)] == RECORD_FIELDS
    assert VERSION_COLUMNS[6 : 6 + len(VERSION_FIELDS)] == VERSION_FIELDS
    assert VERSION_COLUMNS[6 + len(VERSION_FIELDS) :] == (
        *EVIDENCE_COLUMNS,
        *OBSERVATION_COLUMNS,
    )
    assert SIGHTING_COLUMNS[-len(CARD_FIELDS) - 2 :] == (*CARD_FIELDS, *OBSERVATION_COLUMNS)
    assert OBSERVATION_COLUMNS == ("observed_at", "origin")


def test_the_view_of_a_real_archive_has_the_declared_columns(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite"
    Archive(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as conn:
        view = [row[1] for row in conn.execute("PRAGMA table_info(current_articles)")]
    assert set(view) == set(CURRENT_COLUMNS)
    assert set(VERSION_FIELDS) <= set(view)


def test_the_hash_covers_content_fields_only() -> None:
    record = ArticleRecord(source="s", url="https://e.org/a", title="T", date_source="meta")
    base = content_hash(content_of(record))
    for name in VERSION_FIELDS:
        changed = dataclasses.replace(record, **{name: _other(record, name)})
        assert (content_hash(content_of(changed)) != base) == (name in CONTENT_FIELDS), name
    # A field added to existing archives leaves the hash alone while it is empty.
    for name in HASHED_WHEN_SET:
        assert content_hash(content_of(dataclasses.replace(record, **{name: []}))) == base
    card = ListingCard(url="https://e.org/a", position=1, title="T")
    moved = dataclasses.replace(card, url="https://e.org/a?utm_source=x", position=9)
    assert card_hash(moved) == card_hash(card)
    for name in CARD_FIELDS:
        assert card_hash(dataclasses.replace(card, **{name: "other"})) != card_hash(card), name


def test_caption_parts_are_record_fields_of_the_same_types() -> None:
    record_types = get_type_hints(ArticleRecord)
    for name, kind in get_type_hints(CaptionParts).items():
        assert record_types[name] == kind, name


def _other(record: ArticleRecord, name: str) -> object:
    value = getattr(record, name)
    if name in LIST_FIELDS:
        return ["Someone"]
    if name in FLAG_FIELDS:
        return not value
    return f"{value}-other"
