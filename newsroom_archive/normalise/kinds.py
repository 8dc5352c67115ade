"""Type labels and the controlled ``kind`` vocabulary.

``kind`` is what a researcher filters on; ``type_label`` keeps the label as the site
showed it. A label always yields a kind (``other`` when it is not in the table); only
when there is no label does the URL's type folder decide.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from newsroom_archive.normalise.text import clean_text

__all__ = [
    "FOLDER_TO_KIND",
    "ICON_ALT_TEXTS",
    "KINDS",
    "LABEL_TO_KIND",
    "classify_kind",
    "clean_type_label",
    "kind_from_label",
    "kind_from_url",
]

KINDS: dict[str, str] = {
    "press-release": "Press release / media release (Pressemitteilung)",
    "report": "Report or research output (Bericht)",
    "update": "Campaign or case update",
    "statement": "Public statement, reaction or declaration (Stellungnahme, Erklärung)",
    "news": "News item (Aktuell, Meldung)",
    "blog": "Blog entry or opinion piece",
    "publication": "Publication, briefing or document",
    "interview": "Interview",
    "event": "Event or announcement of one (Veranstaltung)",
    "other": "A type label that is not in the table",
}
"""The controlled vocabulary: slug → meaning, for the codebook."""

LABEL_TO_KIND: dict[str, str] = {
    # English
    "press release": "press-release",
    "press releases": "press-release",
    "news release": "press-release",
    "media release": "press-release",
    "media advisory": "press-release",
    "press statement": "statement",
    "report": "report",
    "reports": "report",
    "research": "report",
    "update": "update",
    "updates": "update",
    "campaign update": "update",
    "statement": "statement",
    "statements": "statement",
    "public statement": "statement",
    "news": "news",
    "news story": "news",
    "story": "news",
    "article": "news",
    "blog": "blog",
    "blogs": "blog",
    "blog entry": "blog",
    "blog post": "blog",
    "opinion": "blog",
    "op-ed": "blog",
    "commentary": "blog",
    "publication": "publication",
    "publications": "publication",
    "briefing": "publication",
    "document": "publication",
    "interview": "interview",
    "interviews": "interview",
    "event": "event",
    "events": "event",
    # German
    "pressemitteilung": "press-release",
    "pressemitteilungen": "press-release",
    "pressemeldung": "press-release",
    "pressemeldungen": "press-release",
    "bericht": "report",
    "berichte": "report",
    "stellungnahme": "statement",
    "erklärung": "statement",
    "aktuell": "news",
    "meldung": "news",
    "nachricht": "news",
    "nachrichten": "news",
    "blogeintrag": "blog",
    "blogbeitrag": "blog",
    "kommentar": "blog",
    "publikation": "publication",
    "publikationen": "publication",
    "veröffentlichung": "publication",
    "veranstaltung": "event",
    "veranstaltungen": "event",
    "termin": "event",
}
"""Type label (case-folded) → kind. ``SourceRules.kind_labels`` adds to it."""

FOLDER_TO_KIND: dict[str, str] = {
    "press-releases": "press-release",
    "press-release": "press-release",
    "pressreleases": "press-release",
    "news-releases": "press-release",
    "media-releases": "press-release",
    "pressemitteilung": "press-release",
    "pressemitteilungen": "press-release",
    "reports": "report",
    "report": "report",
    "research": "report",
    "updates": "update",
    "update": "update",
    "statements": "statement",
    "statement": "statement",
    "news": "news",
    "aktuell": "news",
    "blog": "blog",
    "blogs": "blog",
    "publications": "publication",
    "publication": "publication",
    "publikationen": "publication",
    "interviews": "interview",
    "interview": "interview",
    "events": "event",
    "event": "event",
    "veranstaltungen": "event",
}
"""URL folder (lower case) → kind. ``SourceRules.kind_folders`` adds to it."""

ICON_ALT_TEXTS: tuple[str, ...] = ("Sheet of paper",)
"""Alt texts of type icons that end up in the label's text (``Sheet of paper Report``)."""

_LABEL_AUTHOR = re.compile(r"\s+(?:by|von)\s+.*$", re.IGNORECASE)


def clean_type_label(value: str | None, icon_alt_texts: tuple[str, ...] = ()) -> str | None:
    """The type label as shown, without icon alt texts."""
    text = clean_text(value)
    if not text:
        return None
    for alt in (*ICON_ALT_TEXTS, *icon_alt_texts):
        # Loop: an icon can be repeated (``Sheet of paper Sheet of paper Report``).
        while text.casefold().startswith(alt.casefold()):
            rest = text[len(alt) :].lstrip(" :-–—|•")
            if not rest:
                break
            text = rest
    return text


def kind_from_label(label: str | None, extra: Mapping[str, str] | None = None) -> str | None:
    """Kind slug for a type label: table value, ``other`` if unknown, None if no label."""
    text = clean_text(label)
    if not text:
        return None
    keys = (text.casefold(), _LABEL_AUTHOR.sub("", text).casefold())
    for key in keys:
        if extra and key in extra:
            return extra[key]
        if key in LABEL_TO_KIND:
            return LABEL_TO_KIND[key]
    return "other"


def kind_from_url(url: str | None, extra: Mapping[str, str] | None = None) -> str | None:
    """Kind slug from the type folder of an article URL, nearest the slug first.

    ``/press-releases/<slug>/`` → press-release; ``/news/Blogs/x/<slug>/blog/1/`` →
    blog. The last path segment (the slug itself) never counts.
    """
    if not url:
        return None
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    segments = [s.lower() for s in path.split("/") if s]
    for segment in reversed(segments[:-1]):
        if extra and segment in extra:
            return extra[segment]
        if segment in FOLDER_TO_KIND:
            return FOLDER_TO_KIND[segment]
    return None


def classify_kind(
    label: str | None,
    url: str | None,
    *,
    labels: Mapping[str, str] | None = None,
    folders: Mapping[str, str] | None = None,
) -> str | None:
    """Kind from the label if there is one, else from the URL folder."""
    by_label = kind_from_label(label, {k.casefold(): v for k, v in (labels or {}).items()})
    if by_label is not None:
        return by_label
    return kind_from_url(url, {k.lower(): v for k, v in (folders or {}).items()})
