"""Teasers: the site's own cut marks are removed and recorded as a flag."""

from __future__ import annotations

import re

from newsroom_archive.normalise.text import clean_text

__all__ = ["clean_teaser"]

# Any run of cut marks at the end: "…", "...", "[…]", "[...]", in any combination,
# so that one pass removes them all (the function must be idempotent).
_CUT = re.compile(r"(?:\s*(?:\[\s*(?:…|\.{3,})\s*\]|…|\.{3,}))+\s*$")


def clean_teaser(value: str | None) -> tuple[str | None, bool]:
    """(teaser text, truncated): trailing ``…``, ``...`` and ``[…]`` are removed."""
    text = clean_text(value)
    if not text:
        return None, False
    cut = _CUT.search(text)
    if not cut:
        return text, False
    return (text[: cut.start()].rstrip() or None), True
