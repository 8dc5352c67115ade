"""Text cleaning shared by every field.

``clean_text`` turns any scraped string (markup, entities, odd spaces) into one
canonical rendering: two renderings of the same visible text give the same value.
Typographic quotes and dashes are kept as published.
"""

from __future__ import annotations

import re
import unicodedata

from w3lib.html import remove_comments, remove_tags, remove_tags_with_content, replace_entities

__all__ = ["clean_body", "clean_names", "clean_text", "collapse_ws"]

# Characters that render as nothing; they survive copy-and-paste from CMS editors.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Control characters other than white space (which collapses anyway) cannot be part
# of published text and upset CSV and SQLite consumers.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# C1 control characters are never published text: they are cp1252 bytes decoded as
# Latin-1. Map them as the HTML spec maps ``&#128;``-``&#159;`` (U+0080 → "€"), so the
# literal and the escaped rendering agree; the five unassigned bytes are dropped.
_C1: dict[int, str | None] = {}
for _code in range(0x80, 0xA0):
    try:
        _C1[_code] = bytes((_code,)).decode("cp1252")
    except UnicodeDecodeError:
        _C1[_code] = None
_DROP_OR_MAP: dict[int, str | None] = {**_INVISIBLE, **_C1}
_WS = re.compile(r"\s+")
# Block-level boundaries separate words even when the markup has no white space
# between them (``one</p><p>two``); inline tags (``<b>``) do not.
_BLOCK_TAG = re.compile(
    r"<\s*/?\s*(?:br|p|div|li|ul|ol|h[1-6]|tr|td|th|table|section|article|figure|"
    r"figcaption|blockquote|header|footer|aside|dd|dt|dl|hr|pre|caption|nav)\b",
    re.IGNORECASE,
)
_MARKUP_HINT = re.compile(r"[<&]")
# Anything clean_text would change, short of NFC: markup, invisible and control
# characters, white space other than single inner spaces.
_DIRTY = re.compile(r"[<&\x00-\x1f\x7f-\x9f\u00ad\u200b\u200c\u200d\u2060\ufeff]|[^\S ]|  |^ | $")


def collapse_ws(text: str) -> str:
    """Collapse runs of white space (including no-break spaces) to one space and strip."""
    return _WS.sub(" ", text).strip()


def _one_pass(text: str) -> str:
    if _MARKUP_HINT.search(text):
        if "<" in text:
            text = remove_comments(text)
            text = remove_tags_with_content(text, which_ones=("script", "style"))
            text = _BLOCK_TAG.sub(lambda m: " " + m.group(0), text)
            text = remove_tags(text)
        if "&" in text:
            text = replace_entities(text)
    text = text.translate(_DROP_OR_MAP)
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    return collapse_ws(text)


def clean_text(value: str | None) -> str | None:
    """Visible text of a scraped value, canonicalised; ``None`` when nothing is left.

    Tags are removed, entities decoded, the result is NFC; zero-width characters and
    soft hyphens are dropped and all white space (no-break spaces included) collapses
    to single spaces. Decoding can reveal new markup (``&amp;lt;b&amp;gt;``), so the
    steps repeat until nothing changes: that makes the function idempotent.
    """
    if value is None:
        return None
    if not _DIRTY.search(value) and unicodedata.is_normalized("NFC", value):
        return value or None  # already clean: the common case inside the parsers
    text = value
    # After the first pass, a pass changes the text only by decoding an entity or
    # dropping markup or invisible characters, and even after NFC (which at most
    # triples a character) that shortens it; the first pass at most triples the
    # length. So this bound is never what ends the loop.
    for _ in range(3 * len(text) + 4):
        cleaned = _one_pass(text)
        # Without "<" or "&" a further pass changes nothing: everything else a pass
        # does is already done, and NFC and white-space collapsing cannot undo it.
        if cleaned == text or not _MARKUP_HINT.search(cleaned):
            text = cleaned
            break
        text = cleaned
    return text or None


# Elements that end a paragraph of body text.
_PARAGRAPH_TAG = re.compile(
    r"<\s*/?\s*(?:p|div|li|h[1-6]|blockquote|figure|figcaption|tr|table|section|article|"
    r"ul|ol|pre|header|footer|aside|dd|dt|dl|hr|br)\b[^>]*>",
    re.IGNORECASE,
)
_BLANK_LINE = re.compile(r"\n\s*\n|\u2029")


def clean_body(value: str | None) -> str | None:
    """Body text as paragraphs: each cleaned like ``clean_text``, joined by a blank line.

    Paragraphs are what a reader (and a researcher quoting the text) sees as units, so
    unlike other fields the body keeps them: blank lines and block elements (``<p>``,
    ``<div>``, ``<br>`` …) separate paragraphs; other white space collapses.
    """
    if value is None:
        return None
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if "<" in text:
        text = _PARAGRAPH_TAG.sub("\n\n", text)
    paragraphs = (clean_text(part) for part in _BLANK_LINE.split(text))
    return "\n\n".join(p for p in paragraphs if p) or None


def clean_names(values: list[str] | None) -> list[str]:
    """Tags and the like: each cleaned, empty ones dropped, the first of duplicates kept
    (compared without case), in page order."""
    seen: set[str] = set()
    names: list[str] = []
    for value in values or ():
        name = clean_text(value)
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names
