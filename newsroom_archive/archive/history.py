"""Every version of one article, and readable word-level differences between them."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from newsroom_archive.archive import Archive, ArchiveError
from newsroom_archive.archive.export import cell, version_rows
from newsroom_archive.archive.query import article_url
from newsroom_archive.items import CONTENT_FIELDS

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class WordEdit:
    """A word diff and the size of the edit, in words."""

    diff: str
    added: int
    removed: int

    @property
    def size(self) -> str:
        return f"words +{self.added} -{self.removed}"


def _words(tokens: list[str]) -> int:
    return sum(1 for t in tokens if not t.isspace())


def _keep(tokens: list[str], words: int, *, from_end: bool) -> list[str]:
    """The first (or last) `words` words of `tokens`, with the white space between them."""
    seq = tokens[::-1] if from_end else tokens
    kept: list[str] = []
    for token in seq:
        if not token.isspace():
            if words == 0:
                break
            words -= 1
        kept.append(token)
    return kept[::-1] if from_end else kept


def word_edit(old: str, new: str, context: int | None = None) -> WordEdit:
    """wdiff-style: unchanged words as they are, ``[-removed-]`` and ``{+added+}``; with
    `context`, unchanged stretches longer than that many words each side become `…`."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    out: list[str] = []
    added = removed = 0
    for n, (op, i1, i2, j1, j2) in enumerate(ops):
        if op == "equal":
            same = a[i1:i2]
            if context is not None and _words(same) > 2 * context:
                head = [] if n == 0 else _keep(same, context, from_end=False)
                tail = [] if n == len(ops) - 1 else _keep(same, context, from_end=True)
                same = [*head, "…", *tail]
            out.append("".join(same))
            continue
        if op in ("delete", "replace"):
            out.append("[-" + "".join(a[i1:i2]) + "-]")
            removed += _words(a[i1:i2])
        if op in ("insert", "replace"):
            out.append("{+" + "".join(b[j1:j2]) + "+}")
            added += _words(b[j1:j2])
    return WordEdit("".join(out), added, removed)


def word_diff(old: str, new: str) -> str:
    """wdiff-style: unchanged words as they are, ``[-removed-]`` and ``{+added+}``."""
    return word_edit(old, new).diff


def versions_of(archive: Archive, ref: str) -> list[dict[str, Any]]:
    """Every version of the article `ref` names: its id or its URL in any spelling."""
    url = article_url(archive, ref)
    versions = list(version_rows(archive, url))
    if not versions:
        raise ArchiveError(f"no article with URL {url} in the archive")
    return versions


def heading(versions: list[dict[str, Any]]) -> str:
    n = len(versions)
    first = versions[0]
    return f"{first['url']}  ({first['source']}, {n} version{'s' if n != 1 else ''})"


def render_history(versions: list[dict[str, Any]]) -> Iterator[str]:
    """Lines of text: the first version in full, then what each later one changed."""
    previous: dict[str, Any] | None = None
    for version in versions:
        # When the content was observed (the order of versions), and where from when not
        # by a live crawl.
        origin = "" if version["origin"] == "live" else f" ({version['origin']})"
        yield (
            f"version {version['version']}  seen {version['observed_at']}{origin}"
            f"  run {version['run_id']}  {version['content_hash'][:12]}"
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
