"""Column types with one meaning on both backends, and the one decoder of untyped rows.

Lists of names (photographers, agencies) are stored as JSON arrays in text columns, so
that SQLite, PostgreSQL, CSV tools and Datasette all see the same text; ``JSONList``
turns them into Python lists and back wherever SQLAlchemy knows the column. Rows read
without types (raw SQL, the driver's own cursor) go through ``decode_row``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, MutableMapping
from typing import Any

from sqlalchemy import Dialect, Text
from sqlalchemy.types import TypeDecorator

from newsroom_archive.items import FLAG_FIELDS, LIST_FIELDS


def encode_list(values: Iterable[str] | None) -> str:
    return json.dumps(list(values or []), ensure_ascii=False)


def decode_list(text: str | None) -> list[str]:
    return json.loads(text) if text else []


class JSONList(TypeDecorator[list[str]]):
    """A list of strings kept as a JSON array in a text column."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Iterable[str] | None, dialect: Dialect) -> str:
        return encode_list(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> list[str]:
        return decode_list(value)


def decode_row(row: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """A row read without column types, with its lists and flags as Python values."""
    for name in LIST_FIELDS & row.keys():
        value = row[name]
        if not isinstance(value, list):
            row[name] = decode_list(value)
    for name in (FLAG_FIELDS | {"listed"}) & row.keys():
        if row[name] is not None:
            row[name] = bool(row[name])
    return row
