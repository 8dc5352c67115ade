"""What a correct crawl of the bundled sample newsroom archives, from its answer key."""

from __future__ import annotations

from newsroom_archive.sample_site import ArticleSpec, article_url, expected_articles

# (change, field, url, old value, new value): one row of the `changes` export
Row = tuple[str, str, str, str, str]

KIND_OF_LABEL = {"Press Release": "press-release", "Report": "report", "Update": "update"}
KIND_OF_FOLDER = {
    "press-releases": "press-release",
    "reports": "report",
    "updates": "update",
    "news": "news",
}


def expected_row(base: str, spec: ArticleSpec) -> dict[str, str]:
    """The CSV cells of `export articles` for one article (archive bookkeeping aside)."""
    caption = spec.caption
    if caption and spec.credit and spec.credit_in == "caption":
        caption = caption.replace(spec.credit, "").strip() or None
    teaser = spec.listing_teaser.removesuffix("…") if spec.teaser_cut else spec.teaser_full
    return {
        "source": "amnestyusa",
        "url": article_url(base, spec),
        "title": spec.title,
        "kind": KIND_OF_LABEL[spec.type_label] if spec.type_label else KIND_OF_FOLDER[spec.folder],
        "type_label": spec.type_label or "",
        "published_date": spec.published_date,
        "published_at": spec.published.isoformat(),
        "date_source": spec.date_source,
        "teaser": teaser,
        "teaser_truncated": "true" if spec.teaser_cut else "false",
        "body": spec.body_text,
        "image_url": base + spec.image if spec.image else "",
        "image_alt": spec.image_alt or "",
        "caption": caption or "",
        "photo_credit": spec.credit or "",
        "photographers": "; ".join(spec.photographers),
        "photo_agencies": "; ".join(spec.photo_agencies),
        "caption_place": spec.caption_place or "",
        "caption_date": spec.caption_date or "",
        "status": "active",
        "removed_at": "",
        "version_count": "1",
    }


def expected_content(base: str, spec: ArticleSpec) -> dict[str, str]:
    """The content fields a version holds, as the `changes` export writes them."""
    row = expected_row(base, spec)
    for key in ("source", "url", "status", "removed_at", "version_count", "date_source"):
        del row[key]
    row["updated_at"] = spec.page_modified.isoformat() if spec.page_modified else ""
    return row


def expected_changes(base: str, before: str, after: str) -> set[Row]:
    """(change, field, url, old, new) rows a full crawl of `after` adds to one of `before`."""
    old = {article_url(base, s): expected_content(base, s) for s in expected_articles(before)}
    new = {article_url(base, s): expected_content(base, s) for s in expected_articles(after)}
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
