"""Normalisation: pure functions from scraped values to research-grade fields.

No Scrapy and no HTML parsing in here: strings in, values out. Reading pages is
``newsroom_archive.sites`` (its ``generic`` module reads pages of sites without a parser
of their own). ``build_record`` is the one entry point the pipeline and the ``extract``
command use; ``validate`` lists what makes a record unfit for the archive.

Modules: ``text`` (clean_text), ``titles``, ``kinds`` (the kind vocabulary),
``dates`` (with ``parse_iso``, the one ISO 8601 reader), ``teasers``, ``credits``
(captions, credits, datelines), ``agencies`` (the agency table) and ``images``.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from newsroom_archive.items import ArticlePage, ArticleRecord, ListingCard, ScrapedArticle
from newsroom_archive.normalise.agencies import AgencyTable, load_agencies
from newsroom_archive.normalise.credits import (
    CaptionParts,
    Credit,
    parse_caption,
    parse_credit,
    parse_dateline,
    split_credit,
    title_case_name,
)
from newsroom_archive.normalise.dates import (
    DATE_SOURCES,
    DateFields,
    ParsedDate,
    date_from_url,
    parse_date,
    parse_iso,
    resolve_dates,
    split_tag_line,
    timestamp_iso,
)
from newsroom_archive.normalise.images import absolute_url, parse_srcset, pick_image_url
from newsroom_archive.normalise.kinds import (
    FOLDER_TO_KIND,
    KINDS,
    LABEL_TO_KIND,
    classify_kind,
    clean_type_label,
    kind_from_label,
    kind_from_url,
)
from newsroom_archive.normalise.rules import SourceRules
from newsroom_archive.normalise.teasers import clean_teaser
from newsroom_archive.normalise.text import clean_body, clean_names, clean_text
from newsroom_archive.normalise.titles import clean_title, strip_type_prefix

__all__ = [
    "DATE_SOURCES",
    "FOLDER_TO_KIND",
    "KINDS",
    "LABEL_TO_KIND",
    "AgencyTable",
    "CaptionParts",
    "Credit",
    "DateFields",
    "ParsedDate",
    "SourceRules",
    "absolute_url",
    "build_record",
    "classify_kind",
    "clean_body",
    "clean_teaser",
    "clean_text",
    "clean_title",
    "clean_type_label",
    "date_from_url",
    "kind_from_label",
    "kind_from_url",
    "load_agencies",
    "parse_caption",
    "parse_credit",
    "parse_date",
    "parse_dateline",
    "parse_iso",
    "parse_srcset",
    "pick_image_url",
    "resolve_dates",
    "split_credit",
    "split_tag_line",
    "strip_type_prefix",
    "timestamp_iso",
    "title_case_name",
    "validate",
]


def _listing_date_text(card: ListingCard | None) -> str | None:
    if card is None:
        return None
    if card.date_text and card.date_text.strip():
        return card.date_text
    return split_tag_line(card.tag_line)[0] if card.tag_line else None


def _type_label(
    card: ListingCard | None, page: ArticlePage | None, rules: SourceRules
) -> str | None:
    icons = rules.icon_alt_texts
    if card is not None:
        label = clean_type_label(card.type_label, icons)
        if label:
            return label
        if card.tag_line:
            label = clean_type_label(split_tag_line(card.tag_line)[1], icons)
            if label:
                return label
    return clean_type_label(page.type_label, icons) if page is not None else None


def _image(
    card: ListingCard | None, page: ArticlePage | None, base: str
) -> tuple[str | None, str | None]:
    if page is not None:
        hero = absolute_url(page.image_url, base)
        if hero:
            return hero, clean_text(page.image_alt)
        og = absolute_url(page.og_image, base)
        if og:
            return og, clean_text(page.image_alt)
    if card is not None:
        url = absolute_url(card.image_url, base)
        if url:
            return url, clean_text(card.image_alt)
    alt = (page.image_alt if page else None) or (card.image_alt if card else None)
    return None, clean_text(alt)


def _caption(
    card: ListingCard | None,
    page: ArticlePage | None,
    published: dt.date | None,
    agencies: AgencyTable,
) -> CaptionParts:
    page_credit = page.photo_credit if page is not None else None
    card_credit = card.photo_credit if card is not None else None
    caption: str | None = None
    # The separate credit belongs with the caption it was shown next to; the other
    # view's credit is only a fallback (both show the same image).
    if page is not None and clean_text(page.caption):
        caption, credit = page.caption, page_credit or card_credit
    elif card is not None and clean_text(card.caption):
        caption, credit = card.caption, card_credit or page_credit
    else:
        credit = page_credit or card_credit
    return parse_caption(caption, credit, published=published, agencies=agencies)


def build_record(item: ScrapedArticle, rules: SourceRules) -> ArticleRecord:
    """Merge what the listing card and the article page show into one record.

    Title: page (og:title) else card else ``<title>``; type label: card else page;
    dates: page > listing > URL; teaser: card else page description; image: page hero
    else og:image else card; caption and credit: page figcaption else card caption,
    with a credit from its own element added.
    """
    card, page = item.card, item.page
    base = item.url
    suffixes = rules.title_suffixes
    title = (
        clean_title(page.title if page else None, suffixes)
        or clean_title(card.title if card else None, suffixes)
        or clean_title(page.html_title if page else None, suffixes)
    )
    type_label = _type_label(card, page, rules)
    kind = classify_kind(type_label, item.url, labels=rules.kind_labels, folders=rules.kind_folders)
    dates = resolve_dates(
        page_date=page.date_published if page else None,
        page_source=page.date_source if page else None,
        page_modified=page.date_modified if page else None,
        listing_date=_listing_date_text(card),
        url=item.url,
        day_first=rules.day_first,
        timezone=rules.timezone,
        formats=rules.date_formats,
    )
    teaser, truncated = clean_teaser(card.teaser if card else None)
    if teaser is None:
        teaser, truncated = clean_teaser(page.description if page else None)
    image_url, image_alt = _image(card, page, base)
    published = dt.date.fromisoformat(dates.published_date) if dates.published_date else None
    caption = _caption(card, page, published, load_agencies(rules.agency_files))
    return ArticleRecord(
        source=item.source,
        url=item.url,
        title=title,
        kind=kind,
        type_label=type_label,
        published_date=dates.published_date,
        published_at=dates.published_at,
        date_source=dates.date_source,
        updated_at=dates.updated_at,
        teaser=teaser,
        teaser_truncated=truncated,
        body=clean_body(page.body if page else None),
        image_url=image_url,
        image_alt=image_alt,
        # The caption's parts are the record's caption columns, name for name.
        **vars(caption),
        tags=clean_names(page.tags if page else None),
        attachments=_attachments(page, base),
        extractor=(page.extractor if page else None) or item.extractor,
    )


def _attachments(page: ArticlePage | None, base: str) -> list[str]:
    urls: list[str] = []
    for link in page.attachments if page else ():
        url = absolute_url(link, base)
        if url and url not in urls:
            urls.append(url)
    return urls


def _absolute(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def validate(record: ArticleRecord, item: ScrapedArticle | None = None) -> list[str]:
    """Problems that make a record unfit for the archive; empty means valid.

    With the scraped ``item``, raw dates that were present but could not be read are
    reported (``published_date unparseable: 'xyz'``) when no date was found at all;
    a page date that failed while the listing date worked is not a problem. A kind
    of ``other`` or a missing date are not problems: both happen on real sites.
    """
    problems: list[str] = []
    if not record.url or not record.url.strip():
        problems.append("url missing")
    elif not _absolute(record.url):
        problems.append("url not absolute")
    if not record.title:
        problems.append("title missing")
    if record.date_source is not None and record.date_source not in DATE_SOURCES:
        problems.append(f"date_source unknown: {record.date_source!r}")
    if record.kind is not None and record.kind not in KINDS:
        problems.append(f"kind not in vocabulary: {record.kind!r}")
    if record.image_url is not None and not _absolute(record.image_url):
        problems.append("image_url not absolute")
    if item is not None and record.published_date is None:
        raws = [
            item.page.date_published if item.page else None,
            _listing_date_text(item.card),
        ]
        for raw in raws:
            if raw is not None and raw.strip():
                problems.append(f"published_date unparseable: {raw!r}")
    return problems
