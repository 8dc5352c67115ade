"""Column types with one meaning on both backends.

Lists of names (photographers, agencies) are stored as JSON arrays in text columns, so
that SQLite, PostgreSQL, CSV tools and Datasette all see the same text; ``JSONList``
turns them into Python lists and back wherever SQLAlchemy knows the column (the models
and the typed columns of the ``current_articles`` view); booleans decode through
SQLAlchemy's ``Boolean``. The one place that reads rows without types, the CSV fast path
over the driver's own cursor, decodes lists with ``decode_list``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import Dialect, Text
from sqlalchemy.types import TypeDecorator


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
