"""Canonical JSON and content hashes.

Only the normalised content fields are hashed: crawl metadata (when, where on the
listing, HTTP validators, tracking parameters) never makes a new version.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from newsroom_archive.items import ArticleRecord, ListingCard

RECORD_FIELDS: tuple[str, ...] = (
    "title",
    "kind",
    "type_label",
    "published_date",
    "published_at",
    "date_source",
    "teaser",
    "teaser_truncated",
    "body",
    "image_url",
    "image_alt",
    "caption",
    "photo_credit",
    "photographers",
    "photo_agencies",
    "caption_place",
    "caption_date",
)
"""The content columns of `export articles`, in their CSV order."""

CONTENT_FIELDS: tuple[str, ...] = (
    *(f for f in RECORD_FIELDS if f != "date_source"),
    "updated_at",
)
"""Fields whose change is an edit. ``date_source`` is provenance, kept but not hashed."""

VERSION_FIELDS: tuple[str, ...] = (*RECORD_FIELDS, "updated_at")

CARD_FIELDS: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(ListingCard) if f.name not in ("url", "position")
)
"""What a listing card shows (its link and position are where, not what)."""


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_of(record: ArticleRecord) -> dict[str, Any]:
    return {field: getattr(record, field) for field in VERSION_FIELDS}


def content_hash(content: dict[str, Any]) -> str:
    hashed = {field: content.get(field) for field in CONTENT_FIELDS}
    return hashlib.sha256(canonical_json(hashed).encode("utf-8")).hexdigest()


def card_hash(card: ListingCard) -> str:
    shown = dataclasses.asdict(card)
    shown.pop("position", None)
    shown.pop("url", None)
    return hashlib.sha256(canonical_json(shown).encode("utf-8")).hexdigest()
