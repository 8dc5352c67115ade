"""Every version of one article, and readable word-level differences between them."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any

from newsroom_archive.archive import Archive, ArchiveError
from newsroom_archive.archive.export import cell, version_rows
from newsroom_archive.items import CONTENT_FIELDS

_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> str:
    """wdiff-style: unchanged words as they are, ``[-removed-]`` and ``{+added+}``."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append("".join(a[i1:i2]))
            continue
        if op in ("delete", "replace"):
            out.append("[-" + "".join(a[i1:i2]) + "-]")
        if op in ("insert", "replace"):
            out.append("{+" + "".join(b[j1:j2]) + "+}")
    return "".join(out)


def versions_of(archive: Archive, url: str) -> list[dict[str, Any]]:
    versions = list(version_rows(archive, url))
    if not versions:
        raise ArchiveError(f"no article with URL {url} in the archive")
    return versions


def render_history(versions: list[dict[str, Any]]) -> Iterator[str]:
    """Lines of text: the first version in full, then what each later one changed."""
    previous: dict[str, Any] | None = None
    for version in versions:
        yield (
            f"version {version['version']}  seen {version['seen_at']}  run {version['run_id']}"
            f"  {version['content_hash'][:12]}"
        )
        for field in CONTENT_FIELDS:
            now = cell(version.get(field))
            if previous is None:
                if now:
                    yield f"  {field}: {now}"
                continue
            before = cell(previous.get(field))
            if before != now:
                yield f"  {field}: {word_diff(before, now)}"
        previous = version
        yield ""
