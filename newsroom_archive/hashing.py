"""Canonical JSON and content hashes.

Only the normalised content fields are hashed: crawl metadata (when, where on the
listing, HTTP validators, tracking parameters) never makes a new version.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from newsroom_archive.items import (
    CARD_FIELDS,
    CONTENT_FIELDS,
    HASHED_WHEN_SET,
    VERSION_FIELDS,
    ArticleRecord,
    ListingCard,
)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_of(record: ArticleRecord) -> dict[str, Any]:
    return {field: getattr(record, field) for field in VERSION_FIELDS}


def content_hash(content: dict[str, Any]) -> str:
    hashed = {
        field: content.get(field)
        for field in CONTENT_FIELDS
        if field not in HASHED_WHEN_SET or content.get(field)
    }
    return hashlib.sha256(canonical_json(hashed).encode("utf-8")).hexdigest()


def card_hash(card: ListingCard) -> str:
    shown = {name: getattr(card, name) for name in CARD_FIELDS}
    return hashlib.sha256(canonical_json(shown).encode("utf-8")).hexdigest()
