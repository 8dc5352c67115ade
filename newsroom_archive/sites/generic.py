"""A generic extractor for pages of sites without a parser of their own.

It finds what most article pages share (figure captions and credits, publication
dates, the title) with selectors that do not depend on one site's theme, and runs the
normalisers over the result. It is the honest check of the normalisers on real pages
(``tests/test_real_pages.py``) and a starting point when a new newsroom is added.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from parsel import Selector

from newsroom_archive.normalise.agencies import AgencyTable, load_agencies
from newsroom_archive.normalise.credits import parse_caption
from newsroom_archive.normalise.dates import (
    date_from_url,
    parse_date,
    split_tag_line,
    timestamp_iso,
)
from newsroom_archive.normalise.rules import SourceRules
from newsroom_archive.normalise.text import clean_text
from newsroom_archive.normalise.titles import clean_title
from newsroom_archive.sites.common import image_url, json_ld_dates, meta, selector

__all__ = ["extract_dates", "extract_figures", "extract_listing_dates", "extract_title"]

_CREDIT_CLASS = "contains(@class, 'credit') or contains(@class, 'copyright')"
_CAPTION_CLASS = "contains(@class, 'caption') or contains(@class, 'image-description')"
_CAPTION_NODES = f"//figcaption | //body//*[{_CAPTION_CLASS}][not(self::script or self::style)]"
_IMAGE = "descendant-or-self::img or descendant-or-self::picture"
# A caption-classed element is only a caption next to an image: the class names
# "caption" also turn up on menu items and form hints.
_NEAR_IMAGE = (
    f"ancestor::figure | preceding-sibling::*[position() <= 3][{_IMAGE}]"
    f" | ../preceding-sibling::*[1][{_IMAGE}]"
)
_OWN_TEXT = (
    f".//text()[not(ancestor::script or ancestor::style)][not(ancestor::*[{_CREDIT_CLASS}])]"
)
_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datePublished",
    "date",
    "pubdate",
    "publish-date",
    "DC.date.issued",
    "dcterms.issued",
    "dcterms.date",
    "parsely-pub-date",
    "sailthru.date",
)
_MODIFIED_META = ("article:modified_time", "og:updated_time", "dateModified", "dcterms.modified")
_MAX_VISIBLE_DATE = 60


# --- dates ---------------------------------------------------------------------------


def _time_element(sel: Selector) -> str | None:
    for xpath in (
        "//*[@itemprop='datePublished']/@datetime",
        "//*[@itemprop='datePublished']/@content",
        "//*[@itemprop='datePublished'][not(self::meta)]//text()",
        "//time[@datetime]/@datetime",
    ):
        value = sel.xpath(xpath).get()
        if value and value.strip():
            return value
    return None


def _visible_date(sel: Selector, rules: SourceRules | None) -> str | None:
    """The first element whose class names a date and whose text reads as one."""
    for node in sel.xpath("//body//*[contains(@class, 'date')][not(self::script)]"):
        text = clean_text(" ".join(node.xpath(".//text()").getall()))
        if not text or len(text) > _MAX_VISIBLE_DATE:
            continue
        date_text, _label = split_tag_line(text)
        if date_text and _parse(date_text, rules):
            return date_text
    return None


def _parse(text: str | None, rules: SourceRules | None) -> dt.date | None:
    parsed = parse_date(
        text,
        day_first=rules.day_first if rules else False,
        timezone=rules.timezone if rules else None,
    )
    return parsed.date if parsed else None


def extract_dates(
    html: str | Selector, url: str, *, rules: SourceRules | None = None
) -> dict[str, str | None]:
    """Publication date of an article page, with where it was found.

    Order: JSON-LD ``datePublished`` (articles before pages, see ``json_ld_dates``),
    ``<meta>`` (``article:published_time`` and kin), a date element
    (``itemprop=datePublished``, ``<time datetime>``, then a visible element whose class
    names a date; all three are ``time-element``), then a ``/YYYY/MM/DD/`` URL. Keys:
    ``published_date``, ``published_at``, ``date_source``, ``updated_at``, ``raw``.
    """
    sel = selector(html)
    day_first = rules.day_first if rules else False
    zone = rules.timezone if rules else None
    ld_published, ld_modified = json_ld_dates(sel)
    modified = ld_modified or meta(sel, *_MODIFIED_META)
    candidates = (
        (ld_published, "jsonld"),
        (meta(sel, *_PUBLISHED_META), "meta"),
        (_time_element(sel), "time-element"),
        (_visible_date(sel, rules), "time-element"),
    )
    for raw, source in candidates:
        parsed = parse_date(raw, day_first=day_first, timezone=zone) if raw else None
        if parsed is not None:
            return {
                "published_date": parsed.iso_date,
                "published_at": parsed.iso_at,
                "date_source": source,
                "updated_at": timestamp_iso(modified, timezone=zone),
                "raw": clean_text(raw),
            }
    from_url = date_from_url(url)
    return {
        "published_date": from_url.isoformat() if from_url else None,
        "published_at": None,
        "date_source": "url" if from_url else None,
        "updated_at": timestamp_iso(modified, timezone=zone),
        "raw": None,
    }


def extract_listing_dates(
    snippets: Iterable[str | None], *, rules: SourceRules | None = None
) -> list[dict[str, str | None]]:
    """Read the date (and type label) shown in each listing snippet.

    A snippet is the text of a card's date element or tag line, e.g. ``Blog entry by
    X | 28 April, 2017``; each gives ``date_text``, ``type_label``,
    ``published_date`` and ``published_at`` (None when unreadable).
    """
    found: list[dict[str, str | None]] = []
    for snippet in snippets:
        date_text, label = split_tag_line(snippet)
        parsed = parse_date(
            date_text,
            day_first=rules.day_first if rules else False,
            timezone=rules.timezone if rules else None,
        )
        found.append(
            {
                "date_text": date_text,
                "type_label": label,
                "published_date": parsed.iso_date if parsed else None,
                "published_at": parsed.iso_at if parsed else None,
            }
        )
    return found


# --- titles --------------------------------------------------------------------------


def extract_title(
    html: str | Selector, url: str, *, rules: SourceRules | None = None
) -> str | None:
    """``og:title``, else the first ``<h1>``, else ``<title>``, cleaned."""
    sel = selector(html)
    suffixes = rules.title_suffixes if rules else ()
    for raw in (
        meta(sel, "og:title", "twitter:title"),
        " ".join(sel.xpath("(//h1)[1]//text()").getall()),
        sel.xpath("//title/text()").get(),
    ):
        title = clean_title(raw, suffixes)
        if title:
            return title
    return None


# --- figures -------------------------------------------------------------------------


def _caption_text(node: Selector) -> str:
    """Text of a caption element, one line per child element, credit elements left out.

    Lines matter: a credit in its own ``<span>`` or ``<p>`` is recognised as a credit
    even without a credit word.
    """
    children = node.xpath(f"./*[not(self::script or self::style)][not({_CREDIT_CLASS})]")
    loose = clean_text(" ".join(node.xpath("./text()").getall()))
    if len(children) >= 2 and not loose:
        lines = [" ".join(child.xpath(_OWN_TEXT).getall()) for child in children]
        return "\n".join(line for line in lines if line.strip())
    return " ".join(node.xpath(_OWN_TEXT).getall())


def _credit_of(node: Selector) -> str | None:
    parts = [
        " ".join(credit.xpath(".//text()").getall())
        for credit in node.xpath(f".//*[{_CREDIT_CLASS}]")
    ]
    sibling = node.xpath(f"following-sibling::*[1][{_CREDIT_CLASS}]")
    if sibling:
        parts.append(" ".join(sibling.xpath(".//text()").getall()))
    for attribute in (
        "@data-credit",
        "ancestor::figure[1]/@data-credit",
        "ancestor::figure[1]//img[1]/@data-credit",
    ):
        value = node.xpath(attribute).get()
        if value:
            parts.append(value)
    return clean_text(" ".join(p for p in parts if p.strip()))


def _image_of(node: Selector) -> Selector | None:
    for xpath in ("ancestor::figure[1]//img[1]", "preceding::img[1]"):
        found = node.xpath(xpath)
        if found:
            return found[0]
    return None


def _figure(
    caption: str | None,
    credit: str | None,
    img: Selector | None,
    url: str,
    published: dt.date | None,
    table: AgencyTable,
) -> dict[str, Any]:
    parts = parse_caption(caption, credit, published=published, agencies=table)
    return {
        "image_url": image_url(img, url),
        "alt": clean_text(img.attrib.get("alt")) if img is not None else None,
        "caption": parts.caption,
        "credit": parts.photo_credit,
        "photographers": parts.photographers,
        "agencies": parts.photo_agencies,
        "caption_place": parts.caption_place,
        "caption_date": parts.caption_date,
    }


def extract_figures(
    html: str | Selector,
    url: str,
    *,
    rules: SourceRules | None = None,
    agencies: AgencyTable | None = None,
) -> list[dict[str, Any]]:
    """Captioned or credited images of a page, in document order, each once.

    Captions come from ``figcaption`` and elements whose class names a caption,
    description or legend (outermost only); credits from elements inside them (or
    right after them) whose class names a credit or copyright (``span.credits``,
    ``p.image-copyright``), from ``data-credit`` attributes, or from the caption text
    itself. Keys: ``image_url``, ``alt``, ``caption``, ``credit``, ``photographers``,
    ``agencies``, ``caption_place``, ``caption_date``.
    """
    sel = selector(html)
    table = agencies or load_agencies(rules.agency_files if rules else ())
    dates = extract_dates(sel, url, rules=rules)
    published = dt.date.fromisoformat(dates["published_date"]) if dates["published_date"] else None
    figures: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()

    def add(entry: dict[str, Any]) -> None:
        key = (entry["caption"], entry["credit"])
        if key != (None, None) and key not in seen:
            seen.add(key)
            figures.append(entry)

    for node in sel.xpath(_CAPTION_NODES):
        if node.root.tag != "figcaption" and (
            node.xpath(f".//img | .//picture | self::*[{_CREDIT_CLASS}]")
            or not node.xpath(_NEAR_IMAGE)
        ):
            continue
        if node.xpath(f"ancestor::figcaption | ancestor::*[{_CAPTION_CLASS}][not(.//img)]"):
            continue  # inside a caption already taken whole
        add(_figure(_caption_text(node), _credit_of(node), _image_of(node), url, published, table))
    for node in sel.xpath("//*[@data-credit]"):
        if node.xpath("ancestor-or-self::figure//figcaption"):
            continue  # taken with its caption above
        img = node if node.root.tag == "img" else _image_of(node)
        add(_figure(None, node.attrib.get("data-credit"), img, url, published, table))
    return figures
