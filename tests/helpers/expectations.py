"""What a correct crawl of a bundled sample newsroom archives, from its answer key."""

from __future__ import annotations

from newsroom_archive.sample_site import DEFAULT_SITE, ArticleSpec, article_url, sample_site
from newsroom_archive.sample_site.presse_content import PresseArticle

# (change, field, url, old value, new value): one row of the `changes` export
Row = tuple[str, str, str, str, str]

KIND_OF_LABEL = {
    "Press Release": "press-release",
    "Report": "report",
    "Update": "update",
    "Pressemitteilung": "press-release",
    "Stellungnahme": "statement",
    "Bericht": "report",
}
KIND_OF_FOLDER = {
    "press-releases": "press-release",
    "reports": "report",
    "updates": "update",
    "news": "news",
}
EDITED_FIELDS = {
    ("new", ""),
    ("changed", "title"),
    ("changed", "photo_credit"),
    ("changed", "photographers"),
    ("changed", "body"),
    ("changed", "teaser"),
    ("changed", "updated_at"),
    ("removed", "http_status"),
}
"""(change, field) of the rows the `edited` state of every sample newsroom makes: a new
article, a title, a credit (and its photographer), a body and a teaser edited (each with
its modification time), a deletion."""
_BOOKKEEPING = (
    "source",
    "url",
    "status",
    "removed_at",
    "version_count",
    "date_source",
    "extractor",
)


def _caption(spec: ArticleSpec | PresseArticle) -> str:
    caption = spec.caption
    if caption and spec.credit and spec.credit_in == "caption":
        caption = caption.replace(spec.credit, "").strip() or None
    return caption or ""


def _shared(base: str, spec: ArticleSpec | PresseArticle) -> dict[str, str]:
    """The cells every sample newsroom's answer key gives the same way."""
    return {
        "url": article_url(base, spec),
        "title": spec.title,
        "type_label": spec.type_label or "",
        "published_date": spec.published_date,
        "teaser": spec.listing_teaser.removesuffix("…") if spec.teaser_cut else spec.teaser_full,
        "teaser_truncated": "true" if spec.teaser_cut else "false",
        "body": spec.body_text,
        "image_url": base + spec.image if spec.image else "",
        "image_alt": spec.image_alt or "",
        "caption": _caption(spec),
        "photo_credit": spec.credit or "",
        "photographers": "; ".join(spec.photographers),
        "photo_agencies": "; ".join(spec.photo_agencies),
        "status": "active",
        "removed_at": "",
        "version_count": "1",
    }


def expected_row(base: str, spec: ArticleSpec | PresseArticle) -> dict[str, str]:
    """The CSV cells of `export articles` for one article (archive bookkeeping aside)."""
    if isinstance(spec, PresseArticle):
        return {
            **_shared(base, spec),
            "source": "sample-presse",
            "kind": KIND_OF_LABEL[spec.type_label],
            "published_at": spec.published_at or "",
            # A <time datetime> or the visible German date: both are read off the page.
            "date_source": "time-element",
            # Its captions have no datelines.
            "caption_place": "",
            "caption_date": "",
            "tags": "; ".join(spec.tags),
            "attachments": base + spec.attachment if spec.attachment else "",
            "extractor": "profile:sample-presse/drupal-views",
        }
    return {
        **_shared(base, spec),
        "source": "amnestyusa",
        "kind": KIND_OF_LABEL[spec.type_label] if spec.type_label else KIND_OF_FOLDER[spec.folder],
        "published_at": spec.published.isoformat(),
        "date_source": spec.date_source,
        "caption_place": spec.caption_place or "",
        "caption_date": spec.caption_date or "",
    }


def expected_content(base: str, spec: ArticleSpec | PresseArticle) -> dict[str, str]:
    """The content fields a version holds, as the `changes` export writes them."""
    row = expected_row(base, spec)
    for key in _BOOKKEEPING:
        row.pop(key, None)
    # What the page exposes of its modification time: Amnesty's only in its JSON-LD,
    # the Drupal site's in article:modified_time on every page.
    modified = spec.modified if isinstance(spec, PresseArticle) else spec.page_modified
    row["updated_at"] = modified.isoformat() if modified else ""
    return row


def expected_changes(base: str, before: str, after: str, site: str = DEFAULT_SITE) -> set[Row]:
    """(change, field, url, old, new) rows a full crawl of `after` adds to one of `before`."""
    timeline = sample_site(site).timeline
    old = {article_url(base, s): expected_content(base, s) for s in timeline.expected(before)}
    new = {article_url(base, s): expected_content(base, s) for s in timeline.expected(after)}
    rows: set[Row] = set()
    for url, content in new.items():
        if url not in old:
            rows.add(("new", "", url, "", ""))
            continue
        for field, value in content.items():
            if old[url][field] != value:
                rows.add(("changed", field, url, old[url][field], value))
    for url in old.keys() - new.keys():
        rows.add(("removed", "http_status", url, "", "404"))
    return rows
