"""The generic newsroom: pages of sites without a profile of their own.

Built on maintained libraries where they do the job, and on our own readers where
those are measurably better on the saved real pages in ``../shared/`` (the comparison
is in ``docs/codebook.md``, *The generic extractor*):

- body text, description and tags: trafilatura (``bare_extraction``, precision first);
- structured data: extruct (JSON-LD, microdata, Open Graph);
- dates: JSON-LD and ``<meta>`` first (they keep the time and offset), then date
  elements in the page, with htmldate (its fast search) deciding between them and
  standing in when none can be read; the updated date likewise;
- title: ours (the heading that the metadata title starts with, so the site's name is
  left out without knowing it);
- captions and credits: ours (``extract_figures``; no library reads them);
- listings: RSS/Atom feeds through feedparser, sitemaps, and for HTML a detector of
  repeated card structures; ``announced_feeds`` lists the feeds a page announces.

Everything read here carries ``extractor="generic"``. The newsroom ``generic`` has no
start URL: ``scrapy crawl generic -a start_url=URL`` archives any newsroom.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from parsel import Selector

from newsroom_archive.items import ArticlePage, ListingCard, ListingPage
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
from newsroom_archive.sites.base import Html, Newsroom
from newsroom_archive.sites.common import (
    image_url,
    is_article_node,
    json_ld_dates_of,
    json_ld_nodes,
    ld_objects,
    meta,
    replace_cfemails,
    selector,
    squash,
    text_of,
)

__all__ = [
    "EXTRACTOR",
    "NEWSROOM",
    "CardGroup",
    "announced_feeds",
    "card_groups",
    "extract_dates",
    "extract_figures",
    "extract_listing_dates",
    "extract_title",
    "is_listing",
    "parse_article",
    "parse_listing",
]

EXTRACTOR = "generic"
"""The ``extractor`` of every page, card and record read here."""
RULES = SourceRules(name="generic")

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
# Open Graph's names come from extruct; these are the other <meta> names CMSs give the
# publication time. They are read here rather than left to htmldate because htmldate
# returns the day only, and the time and offset are worth keeping (published_at).
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
_CHROME = "ancestor::nav or ancestor::header or ancestor::footer or ancestor::aside"


# --- structured data -----------------------------------------------------------------


@dataclass
class _Structured:
    """What extruct reads of a page: JSON-LD objects (``@graph`` members flattened),
    microdata items and the Open Graph properties."""

    json_ld: list[dict[str, Any]] = field(default_factory=list)
    microdata: list[dict[str, Any]] = field(default_factory=list)
    og: dict[str, str] = field(default_factory=dict)

    def og_value(self, *names: str) -> str | None:
        for name in names:
            value = self.og.get(name)
            if isinstance(value, str) and value.strip():
                return value
        return None


def _structured(page_html: str, url: str) -> _Structured:
    import extruct

    try:
        data = extruct.extract(
            page_html,
            base_url=url,
            syntaxes=["json-ld", "microdata", "opengraph"],
            uniform=True,
            errors="ignore",
        )
    except Exception:  # extruct raises whatever its parsers raise on broken markup
        return _Structured()
    og: dict[str, str] = {}
    for entry in data.get("opengraph", []):
        for key, value in entry.items():
            if isinstance(value, list):
                value = value[0] if value else None
            if isinstance(value, str) and key not in og:
                og[key] = value
    return _Structured(
        json_ld=list(ld_objects(data.get("json-ld", []))),
        microdata=[m for m in data.get("microdata", []) if isinstance(m, dict)],
        og=og,
    )


def _microdata_value(items: Iterable[dict[str, Any]], key: str) -> str | None:
    for item in items:
        value = item.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str) and value.strip():
            return value
    return None


# --- dates ---------------------------------------------------------------------------


def _rules_parse(text: str | None, rules: SourceRules | None) -> dt.date | None:
    parsed = parse_date(
        text,
        day_first=rules.day_first if rules else False,
        timezone=rules.timezone if rules else None,
    )
    return parsed.date if parsed else None


def _date_elements(sel: Selector, rules: SourceRules | None) -> Iterator[str]:
    """Date texts shown in the page, most explicit first: ``itemprop=datePublished``,
    ``<time datetime>``, an element whose class names a date, and a date standing
    alone right under the headline (``<h2>Title</h2><p>2/11/2026</p>``)."""
    for xpath in (
        "//*[@itemprop='datePublished']/@datetime",
        "//*[@itemprop='datePublished']/@content",
        "//*[@itemprop='datePublished'][not(self::meta)]//text()",
        "//time[@datetime]/@datetime",
    ):
        for value in sel.xpath(xpath).getall():
            if value.strip():
                yield value
    for node in sel.xpath(
        "//body//*[contains(translate(@class, 'DATE', 'date'), 'date')][not(self::script)]"
    ):
        text = clean_text(" ".join(node.xpath(".//text()").getall()))
        if not text or len(text) > _MAX_VISIBLE_DATE:
            continue
        date_text, _label = split_tag_line(_BYLINE.sub("", _POSTED.sub("", text)))
        if date_text:
            yield date_text
    for heading in sel.xpath("//body//*[self::h1 or self::h2 or self::h3]"):
        for sibling in heading.xpath("following-sibling::*[position() <= 2]"):
            text = text_of(sibling)
            if text and len(text) <= _MAX_VISIBLE_DATE and _rules_parse(text, rules):
                yield text


def _labelled_date(sel: Selector, rules: SourceRules | None) -> str | None:
    """A date shown after a label: ``<dt>Published:</dt><dd>15 July 2013</dd>``,
    ``<span>Posted on: 09 AUG 2026 12:45PM by PIB Delhi</span>``."""
    for node in sel.xpath("//body//*[not(*)][not(self::script or self::style)]"):
        text = text_of(node)
        if not text or len(text) > _MAX_VISIBLE_DATE or not _POSTED.match(text):
            continue
        rest = _BYLINE.sub("", _POSTED.sub("", text))
        if not rest:
            rest = text_of(node.xpath("following-sibling::*[1]")) or ""
        if _rules_parse(rest, rules):
            return rest
    return None


# "Posted On: 09 AUG 2026 12:45PM by PIB Delhi": the date between a label and a byline.
_POSTED = re.compile(r"^\s*(?:posted|published|released|issued)(?:\s+on)?\s*:?\s*", re.I)
_BYLINE = re.compile(r"\s+by\s+.*$", re.I)


def _htmldate(page_html: str, url: str, *, original: bool) -> dt.date | None:
    """htmldate's fast search (markup, date elements, the URL). Its extensive search
    also reads free text, and on the saved pages it was wrong wherever it was the only
    one to find a date, so it is not used."""
    import htmldate

    try:
        found = htmldate.find_date(
            page_html, url=url, original_date=original, extensive_search=False
        )
    except Exception:  # htmldate raises ValueError on markup it cannot parse
        return None
    try:
        return dt.date.fromisoformat(found) if found else None
    except ValueError:
        return None


def extract_dates(
    html: Html,
    url: str,
    *,
    rules: SourceRules | None = None,
    structured: _Structured | None = None,
) -> dict[str, str | None]:
    """Publication date of an article page, with where it was found.

    JSON-LD ``datePublished`` (articles before pages), then ``<meta>`` (Open Graph's
    ``article:published_time`` and kin): both are the page's own statement, with time
    and offset. Else the date elements of the page (``_date_elements``), the first whose
    day htmldate also finds (so a "recent news" sidebar's dates lose to the article's
    own), else the first; else htmldate's date (``time-element`` too: htmldate reads
    date elements and text patterns of the page), or ``url`` when it is the URL's. Keys:
    ``published_date``, ``published_at``, ``date_source``, ``updated_at``, ``raw``.
    """
    sel = selector(html)
    page_html = _page_text(sel)
    data = structured if structured is not None else _structured(page_html, url)
    day_first = rules.day_first if rules else False
    zone = rules.timezone if rules else None
    ld_published, ld_modified = json_ld_dates_of(data.json_ld)
    modified = (
        ld_modified
        or _microdata_value(data.microdata, "dateModified")
        or data.og_value(*_MODIFIED_META)
        or meta(sel, *_MODIFIED_META)
    )
    candidates: list[tuple[str | None, str]] = [
        (ld_published, "jsonld"),
        (data.og_value("article:published_time", "og:published_time"), "meta"),
        (meta(sel, *_PUBLISHED_META), "meta"),
        # Shown with its label, the date says what it is: a "Published" date wins over
        # an "Updated" one that htmldate would prefer.
        (_labelled_date(sel, rules), "time-element"),
    ]
    chosen = _first_parsed(candidates, day_first, zone)
    if chosen is None:
        chosen = _from_elements(sel, page_html, url, rules)
    if chosen is None:
        return {
            "published_date": None,
            "published_at": None,
            "date_source": None,
            "updated_at": _updated(modified, None, page_html, url, zone),
            "raw": None,
        }
    raw, source = chosen
    parsed = parse_date(raw, day_first=day_first, timezone=zone)
    assert parsed is not None  # every candidate chosen above parses
    return {
        "published_date": parsed.iso_date,
        "published_at": parsed.iso_at,
        "date_source": source,
        "updated_at": _updated(modified, parsed.date, page_html, url, zone),
        "raw": clean_text(raw),
    }


def _first_parsed(
    candidates: Iterable[tuple[str | None, str]], day_first: bool, zone: str | None
) -> tuple[str, str] | None:
    for raw, source in candidates:
        if raw and parse_date(raw, day_first=day_first, timezone=zone) is not None:
            return raw, source
    return None


def _from_elements(
    sel: Selector, page_html: str, url: str, rules: SourceRules | None
) -> tuple[str, str] | None:
    shown = [(text, day) for text in _date_elements(sel, rules) if (day := _clean_day(text, rules))]
    found = _htmldate(page_html, url, original=True)
    for text, day in shown:
        if day == found:
            return text, "time-element"
    if shown:
        return shown[0][0], "time-element"
    if found is None:
        from_url = date_from_url(url)
        return (from_url.isoformat(), "url") if from_url else None
    return found.isoformat(), "url" if found == date_from_url(url) else "time-element"


def _clean_day(text: str, rules: SourceRules | None) -> dt.date | None:
    return _rules_parse(text, rules) or _rules_parse(_BYLINE.sub("", _POSTED.sub("", text)), rules)


def _updated(
    modified: str | None,
    published: dt.date | None,
    page_html: str,
    url: str,
    zone: str | None,
) -> str | None:
    """``dateModified`` as given; else htmldate's latest date when it is later than the
    publication (htmldate gives the publication day again when a page shows no update,
    which would claim an update that never was)."""
    stamp = timestamp_iso(modified, timezone=zone)
    if stamp is not None:
        return stamp
    if published is None:
        return None
    latest = _htmldate(page_html, url, original=False)
    return latest.isoformat() if latest is not None and latest > published else None


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

_TITLE_SEPARATOR = re.compile(r"\s+[|–—:·•-]\s+|\s*[|·•]\s*")


def _heading_texts(sel: Selector) -> list[str]:
    texts = (text_of(h) for h in sel.xpath("//body//*[self::h1 or self::h2 or self::h3]"))
    return [t for t in (clean_text(t) for t in texts) if t]


def _names_heading(title: str, heading: str) -> bool:
    """Whether a metadata title is the heading, alone or with the site's name around
    it (``Heading - NASA``, ``Site - Section - Heading``): the heading must be most of
    the title, so that a heading naming the site or a section does not count."""
    a, b = title.casefold(), heading.casefold()
    if a == b:
        return True
    if a.startswith(b) and _TITLE_SEPARATOR.match(a[len(b) :]) and 2 * len(b) >= len(a):
        return True
    return max((p.strip() for p in _TITLE_SEPARATOR.split(a)), key=len) == b


def extract_title(
    html: Html,
    url: str,
    *,
    rules: SourceRules | None = None,
    structured: _Structured | None = None,
) -> str | None:
    """The headline: the page heading that ``og:title`` (else ``<title>``) names, which
    leaves the site's name out without knowing it; else ``og:title`` (its
    ``og:site_name`` removed), the JSON-LD headline, ``twitter:title``, the only long
    ``<h1>``, or ``<title>``. Cleaned, with the newsroom's title suffixes removed."""
    sel = selector(html)
    data = structured if structured is not None else _structured(_page_text(sel), url)
    suffixes = (rules.title_suffixes if rules else ()) + tuple(
        name for name in (clean_text(data.og_value("og:site_name")),) if name
    )
    # twitter:title comes late: some sites give every page the site's name there.
    og_title = clean_text(data.og_value("og:title") or meta(sel, "og:title"))
    html_title = clean_text(sel.xpath("//title/text()").get())
    headings = _heading_texts(sel)
    for named in (og_title, html_title):
        if named:
            for heading in headings:
                if _names_heading(named, heading):
                    return clean_title(heading, suffixes)
    h1s = [t for t in (clean_text(text_of(h)) for h in sel.xpath("//body//h1")) if t]
    for raw in (
        og_title,
        _ld_headline(data.json_ld),
        meta(sel, "twitter:title"),
        h1s[0] if len(h1s) == 1 and len(h1s[0].split()) >= 3 else None,
        html_title,
        h1s[0] if h1s else None,
    ):
        title = clean_title(raw, suffixes)
        if title:
            return title
    return None


def _ld_headline(nodes: Iterable[dict[str, Any]]) -> str | None:
    for node in nodes:
        value = node.get("headline")
        if isinstance(value, str) and value.strip():
            return value
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
    html: Html,
    url: str,
    *,
    rules: SourceRules | None = None,
    agencies: AgencyTable | None = None,
    published: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Captioned or credited images of a page, in document order, each once.

    Captions come from ``figcaption`` and elements whose class names a caption,
    description or legend (outermost only); credits from elements inside them (or
    right after them) whose class names a credit or copyright (``span.credits``,
    ``p.image-copyright``), from ``data-credit`` attributes, or from the caption text
    itself. ``published`` (read from the page when not given) dates datelines without
    a year. Keys: ``image_url``, ``alt``, ``caption``, ``credit``, ``photographers``,
    ``agencies``, ``caption_place``, ``caption_date``.
    """
    sel = selector(html)
    table = agencies or load_agencies(rules.agency_files if rules else ())
    if published is None:
        day = extract_dates(sel, url, rules=rules)["published_date"]
        published = dt.date.fromisoformat(day) if day else None
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
        inner = node.xpath(".//img[1]")
        img = node if node.root.tag == "img" else (inner[0] if inner else _image_of(node))
        add(_figure(None, node.attrib.get("data-credit"), img, url, published, table))
    return figures


# --- article pages -------------------------------------------------------------------

_DOCUMENT = re.compile(r"\.(?:pdf|docx?|xlsx?|csv|pptx?|odt|ods|odp|rtf|zip)$", re.I)
# Keywords that are settings, not subjects: ``productType:PRESS_RELEASE``,
# ``Page Type: Article``, ``Day: Wednesday``.
_CODE_TAG = re.compile(r"^[\w .-]+:")


def _page_text(sel: Selector) -> str:
    return str(sel.get())


def _body(text: str | None, leading: Iterable[str | None]) -> str | None:
    """trafilatura's lines as paragraphs; first lines repeating the title or the date
    line are dropped (they are fields of their own)."""
    lines = [line.strip() for line in (text or "").splitlines()]
    lines = [line for line in lines if line]
    drop = {value for value in leading if value}
    while lines and clean_text(lines[0]) in drop:
        lines = lines[1:]
    return "\n\n".join(lines) or None


def _tags(doc: Any, data: _Structured, sel: Selector) -> list[str]:
    raw: list[str] = []
    for values in (getattr(doc, "tags", None), getattr(doc, "categories", None)):
        raw.extend(v for v in values or () if isinstance(v, str))
    for node in data.json_ld:
        keywords = node.get("keywords")
        if isinstance(keywords, str):
            raw.append(keywords)
        elif isinstance(keywords, list):
            raw.extend(k for k in keywords if isinstance(k, str))
    raw.extend(sel.xpath("//meta[@property='article:tag']/@content").getall())
    tags: list[str] = []
    for value in raw:
        for part in value.split(","):
            tag = clean_text(part)
            if tag and not _CODE_TAG.match(tag) and tag not in tags:
                tags.append(tag)
    return tags


def _attachments(sel: Selector, url: str) -> list[str]:
    """Documents (PDF, Word, spreadsheets …) linked from the page outside its header,
    navigation, sidebars and footer."""
    found: list[str] = []
    for href in sel.xpath(f"//body//a[@href][not({_CHROME})]/@href").getall():
        link = urljoin(url, href.strip())
        if _DOCUMENT.search(urlsplit(link).path) and link not in found:
            found.append(link)
    return found


def _shown_image(sel: Selector, url: str, og_image: str | None) -> dict[str, Any]:
    """The ``og:image`` where the page shows it, for its alt text: a lead image without
    a caption is no figure of ``extract_figures``."""
    if og_image is None:
        return {}
    for img in sel.xpath("//body//img"):
        if image_url(img, url) == og_image:
            return {"image_url": og_image, "alt": clean_text(img.attrib.get("alt"))}
    return {}


def parse_article(html: Html, url: str) -> ArticlePage:
    """An article page: body (trafilatura), dates (JSON-LD, meta, date elements,
    htmldate), title (ours), lead figure (ours), tags, attachments, og: fields."""
    import trafilatura

    sel = selector(html)
    emails = replace_cfemails(sel)
    page_html = _page_text(sel)
    data = _structured(page_html, url)
    doc = trafilatura.bare_extraction(
        page_html,
        url=url,
        favor_precision=True,
        include_comments=False,
        with_metadata=True,
    )
    dates = extract_dates(sel, url, rules=RULES, structured=data)
    title = extract_title(sel, url, rules=RULES, structured=data)
    published = dt.date.fromisoformat(dates["published_date"]) if dates["published_date"] else None
    figures = extract_figures(sel, url, rules=RULES, published=published)
    canonical = sel.xpath("//link[@rel='canonical']/@href").get() or data.og_value("og:url")
    og_image = data.og_value("og:image", "og:image:url", "og:image:secure_url")
    og_image = urljoin(url, og_image.strip()) if og_image else None
    lead = figures[0] if figures else _shown_image(sel, url, og_image)
    return ArticlePage(
        url=url,
        canonical_url=urljoin(url, canonical.strip()) if canonical else None,
        title=title,
        html_title=text_of(sel.css("title")),
        description=squash(getattr(doc, "description", None))
        or squash(data.og_value("og:description"))
        or squash(meta(sel, "description")),
        date_published=dates["raw"] if dates["date_source"] != "url" else dates["published_date"],
        date_modified=dates["updated_at"],
        date_source=dates["date_source"],
        body=_body(getattr(doc, "text", None), (title, dates["raw"])),
        image_url=lead.get("image_url"),
        image_alt=lead.get("alt"),
        caption=lead.get("caption"),
        photo_credit=lead.get("credit"),
        og_image=og_image,
        emails=emails,
        tags=_tags(doc, data, sel),
        attachments=_attachments(sel, url),
        extractor=EXTRACTOR,
    )


# --- listings: feeds and sitemaps ----------------------------------------------------

_ROOT = re.compile(
    r"\A(?:\ufeff)?\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--.*?-->|<!DOCTYPE[^>]*>|<\?[^>]*\?>)\s*)*"
    r"<(?P<tag>[\w:.-]+)",
    re.S,
)
_FEED_ROOTS = frozenset({"rss", "feed", "rdf:rdf", "rdf"})
_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def _xml_kind(html: Html) -> tuple[str | None, str]:
    """(``feed``, ``sitemap``, ``sitemapindex`` or None, the text) of a page."""
    if isinstance(html, Selector):
        if html.type != "xml":
            return None, ""
        text = str(html.get())
    else:
        text = html
    match = _ROOT.match(text[:4096])
    if not match:
        return None, text
    tag = match["tag"].lower().rsplit(":", 1)[-1] if ":" in match["tag"] else match["tag"].lower()
    if match["tag"].lower() in _FEED_ROOTS or tag in _FEED_ROOTS:
        return "feed", text
    if tag in ("urlset", "sitemapindex"):
        return tag.replace("urlset", "sitemap"), text
    return None, text


def _plain(value: str | None) -> str | None:
    """Feed text to plain text: some feeds escape their markup twice (``&amp;nbsp;``)."""
    if value is None:
        return None
    return clean_text(html_lib.unescape(value))


def _feed_listing(text: str, url: str) -> ListingPage:
    import feedparser

    parsed = feedparser.parse(text, response_headers={"content-location": url})
    cards: list[ListingCard] = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        labels = [t.get("term") for t in entry.get("tags", []) if t.get("term")]
        cards.append(
            ListingCard(
                url=urljoin(url, link.strip()),
                position=len(cards) + 1,
                title=_plain(entry.get("title")),
                date_text=squash(entry.get("published") or entry.get("updated")),
                type_label=squash(labels[0]) if labels else None,
                teaser=_plain(entry.get("summary")),
            )
        )
    next_url = next(
        (link.get("href") for link in parsed.feed.get("links", []) if link.get("rel") == "next"),
        None,
    )
    return ListingPage(
        url=url,
        cards=cards,
        next_url=urljoin(url, next_url) if next_url else None,
        extractor=EXTRACTOR,
    )


def _sitemap_listing(text: str, url: str) -> ListingPage:
    """``<url><loc>`` entries, ``lastmod`` (or a news sitemap's publication date) as the
    date and a news sitemap's title. A sitemap index lists sitemaps, not articles."""
    try:
        root = etree.fromstring(
            text.encode("utf-8"), parser=etree.XMLParser(recover=True, resolve_entities=False)
        )
    except etree.XMLSyntaxError:
        root = None
    cards: list[ListingCard] = []
    if root is not None and etree.QName(root).localname == "urlset":
        for entry in root.iter(f"{_SITEMAP_NS}url", "url"):
            loc = _child_text(entry, "loc")
            if not loc:
                continue
            cards.append(
                ListingCard(
                    url=urljoin(url, loc),
                    position=len(cards) + 1,
                    title=_child_text(entry, f"{_NEWS_NS}title"),
                    date_text=_child_text(entry, f"{_NEWS_NS}publication_date")
                    or _child_text(entry, "lastmod"),
                )
            )
    return ListingPage(url=url, cards=cards, extractor=EXTRACTOR)


def _child_text(entry: etree._Element, name: str) -> str | None:
    for tag in (name,) if name.startswith("{") else (f"{_SITEMAP_NS}{name}", name):
        found = entry.find(f".//{tag}")
        if found is not None and found.text and found.text.strip():
            return found.text.strip()
    return None


def announced_feeds(html: Html, url: str) -> list[str]:
    """The RSS and Atom feeds (``<link rel="alternate">``) and sitemaps
    (``<link rel="sitemap">``) a page announces, absolute, in page order."""
    sel = selector(html)
    found: list[str] = []
    for link in sel.xpath("//link[@href]"):
        rel = (link.attrib.get("rel") or "").lower().split()
        kind = (link.attrib.get("type") or "").lower().strip()
        feed = "alternate" in rel and kind in ("application/rss+xml", "application/atom+xml")
        if feed or "sitemap" in rel:
            absolute = urljoin(url, link.attrib["href"].strip())
            if absolute not in found:
                found.append(absolute)
    return found


# --- listings: repeated cards in HTML ------------------------------------------------

_MIN_LINK_TEXT = 20
_MIN_LINK_WORDS = 4
_MAX_CARD_DEPTH = 6
_MAX_DATE_TEXT = 80
_PAGINATION = (
    "ancestor-or-self::*[contains(translate(@class, 'PAGER', 'pager'), 'pag')"
    " or contains(translate(@id, 'PAGER', 'pager'), 'pag')]"
)
_NEXT_TEXT = re.compile(r"^(?:next(?:\s+page)?|older(?:\s+\w+)?|more)?\s*[›»>→]*$", re.I)


@dataclass
class CardGroup:
    """Elements at the same tag-and-class path, each holding a link to an article."""

    members: list[Any]
    links: list[Any]
    """Each member's main link."""
    score: float = 0.0
    depth: int = 0


def _class_key(element: Any) -> str:
    # The first class names the component; digits number its instances
    # (``cat-list-row0``/``cat-list-row1``, ``post-123``, ``views-row-1``).
    classes = (element.get("class") or "").split()
    return re.sub(r"\d+", "", classes[0]) if classes else ""


def _path(element: Any) -> tuple[tuple[str, str], ...]:
    steps = []
    node = element
    while node is not None and isinstance(node.tag, str):
        steps.append((node.tag, _class_key(node)))
        node = node.getparent()
    return tuple(reversed(steps))


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


# Page furniture that repeats links without being a listing: menus, footers, sidebars.
# A card's own <header> (``<article><header><h2><a>``) is not the page's.
_CHROME_TAGS = frozenset({"nav", "aside"})
_PAGE_PARTS = frozenset({"header", "footer"})
_SECTIONING = frozenset({"article", "section", "main", "li"})
_CHROME_WORDS = frozenset(
    {"nav", "navbar", "navigation", "menu", "submenu", "megamenu", "dropdown", "footer"}
    | {"breadcrumb", "breadcrumbs", "sidebar", "skip", "toolbar", "share"}
)
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


def _in_chrome(element: Any) -> bool:
    node = element
    part = False
    # The classes of <body> describe the page (``one-sidebar``), not where a link is.
    while node is not None and isinstance(node.tag, str) and node.tag not in ("body", "html"):
        if node.tag in _CHROME_TAGS or node.get("role") in ("navigation", "banner", "contentinfo"):
            return True
        if node.tag in _PAGE_PARTS:
            part = True
        elif node.tag in _SECTIONING:
            part = False
        names = f"{node.get('class') or ''} {node.get('id') or ''}"
        if any(word.lower() in _CHROME_WORDS for word in _WORD.findall(names)):
            return True
        node = node.getparent()
    return part


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _article_link(a: Any, base: str, host: str | None) -> str | None:
    """The absolute URL of a link to another page of the site with a headline's worth
    of text, else None."""
    href = (a.get("href") or "").strip()
    if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
        return None
    link = urljoin(base, href)
    parts = urlsplit(link)
    # Without the page's URL a relative link is the site's own; with it, a link must
    # stay on the page's host.
    if parts.scheme not in ("http", "https") and (base or parts.scheme or parts.netloc):
        return None
    if host is not None and _host(link) != host:
        return None
    if link.split("#")[0] == base.split("#")[0] or _DOCUMENT.search(parts.path):
        return None  # the page itself, or a document (an attachment, not an article)
    text = _text(a)
    parent = a.getparent()
    if parent is not None and parent.tag == "p" and len(_text(parent)) > 2 * len(text):
        return None  # a link in running text
    words = len(text.split())
    # Scripts written without spaces: a dozen characters make a headline.
    spaceless = len(text) >= 12 and words <= 2 and not text.isascii()
    if len(text) < _MIN_LINK_TEXT and words < _MIN_LINK_WORDS and not spaceless:
        return None
    return link


def _base_url(sel: Selector, url: str | None) -> str:
    if url:
        return url
    for xpath in ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"):
        found = (sel.xpath(xpath).get() or "").strip()
        if urlsplit(found).scheme in ("http", "https"):
            return found
    return ""


def _has_date(element: Any) -> bool:
    if element.find(".//time") is not None:
        return True
    return any(len(t) <= _MAX_DATE_TEXT and split_tag_line(t)[0] for t in _short_texts(element))


def _short_texts(element: Any) -> Iterator[str]:
    for node in element.iter():
        if not isinstance(node.tag, str) or node.tag in ("script", "style"):
            continue
        text = _text(node)
        if text and len(text) <= _MAX_DATE_TEXT:
            yield text


def card_groups(sel: Selector, url: str | None) -> list[CardGroup]:
    """Groups of repeated card structures, best first.

    Every ancestor (up to a few levels) of a qualifying link is a candidate card,
    keyed by its tag-and-class path; a key shared by several elements, each holding a
    link to a different article, is a group. Groups score by their number of cards,
    with a bonus for cards showing a date; of nested groups with equal scores the
    outermost wins (its cards carry the date, teaser and image besides the link).
    """
    base = _base_url(sel, url)
    host = _host(base)
    root = sel.root
    if not hasattr(root, "iter"):
        return []
    by_path: dict[tuple[tuple[str, str], ...], dict[int, tuple[Any, Any]]] = defaultdict(dict)
    for a in root.iter("a"):
        if _in_chrome(a) or _article_link(a, base, host) is None:
            continue
        node = a
        for _ in range(_MAX_CARD_DEPTH):
            if node is None or node.tag in ("body", "html"):
                break
            members = by_path[_path(node)]
            members.setdefault(id(node), (node, a))
            node = node.getparent()
    groups: list[CardGroup] = []
    for path, members in by_path.items():
        if len(members) < 2:
            continue
        elements = [element for element, _a in members.values()]
        links = [a for _element, a in members.values()]
        urls = {_article_link(a, base, host) for a in links}
        if len(urls) < 0.8 * len(elements):
            continue  # the same link repeated: a menu, not a list of articles
        dated = sum(1 for e in elements if _has_date(e)) / len(elements)
        score = len(urls) * (1 + 0.5 * dated)
        groups.append(CardGroup(elements, links, score, len(path)))
    groups.sort(key=lambda g: (-g.score, g.depth))
    return groups


def _main_link(card: Any, fallback: Any) -> Any:
    for heading in card.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        a = heading.find(".//a[@href]")
        if a is not None:
            return a
        parent = heading.getparent()
        while parent is not None and parent is not card.getparent():
            if parent.tag == "a" and parent.get("href"):
                return parent
            parent = parent.getparent()
    return fallback


def _card(element: Any, link: Any, position: int, base: str) -> ListingCard:
    card = Selector(root=element)
    main = _main_link(element, link)
    heading = next(iter(element.iter("h1", "h2", "h3", "h4", "h5", "h6")), None)
    # clean_text: soft hyphens (``Attor\xadney``) are the theme's, not the headline's.
    title = clean_text(_text(heading)) if heading is not None else None
    title = title or clean_text(_text(main))
    date_text: str | None = None
    tag_line: str | None = None
    type_label: str | None = None
    time = element.find(".//time")
    if time is not None:
        date_text = squash(_text(time)) or squash(time.get("datetime"))
        if date_text and parse_date(date_text) is None and time.get("datetime"):
            date_text = squash(time.get("datetime"))
    if date_text is None:
        for text in _short_texts(element):
            if text == title:
                continue
            found, label = split_tag_line(text)
            if found:
                date_text = found
                if label:
                    tag_line, type_label = text, label
                break
    teaser = None
    for p in element.iter("p"):
        shown = squash(_text(p))
        if shown and shown not in (title, date_text, tag_line) and len(shown) >= 20:
            teaser = shown
            break
    img = card.xpath(".//img")
    first = img[0] if img else None
    caption, credit = _card_caption(card)
    if credit is None and first is not None:
        credit = squash(first.attrib.get("data-credit"))
    return ListingCard(
        url=urljoin(base, (main.get("href") or "").strip()),
        position=position,
        title=title,
        tag_line=tag_line,
        date_text=date_text,
        type_label=type_label,
        teaser=teaser,
        image_url=image_url(first, base),
        image_alt=squash(first.attrib.get("alt")) if first is not None else None,
        caption=caption,
        photo_credit=credit,
    )


def _card_caption(card: Selector) -> tuple[str | None, str | None]:
    """A card's image caption as shown, and a credit in its own element (the figure
    readers' rules, without the parsing: a card's fields stay as shown)."""
    for node in card.xpath(".//figcaption | .//*[contains(@class, 'caption')]"):
        caption = clean_text(_caption_text(node))
        credit = _credit_of(node)
        if caption or credit:
            return caption, credit
    return None, None


def _next_url(sel: Selector, url: str) -> str | None:
    for xpath in (
        "//link[@rel='next']/@href",
        "//a[contains(concat(' ', normalize-space(@rel), ' '), ' next ')]/@href",
        "//a[contains(concat(' ', normalize-space(@class), ' '), ' next ')]/@href",
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' next ')]/a/@href",
    ):
        found = sel.xpath(xpath).get()
        if found and found.strip() and not found.strip().startswith(("#", "javascript:")):
            return urljoin(url, found.strip())
    for a in sel.xpath(f"//a[@href][{_PAGINATION}] | //a[@href][@aria-label]"):
        text = squash(" ".join(a.xpath(".//text()").getall())) or squash(a.attrib.get("aria-label"))
        if text and text.strip() and _NEXT_TEXT.match(text) and re.search(r"\w|[›»>→]", text):
            href = a.attrib["href"].strip()
            if not href.startswith(("#", "javascript:")):
                return urljoin(url, href)
    return None


def parse_listing(html: Html, url: str) -> ListingPage:
    """The cards of a listing page: a feed's items, a sitemap's URLs, or an HTML page's
    best group of repeated cards, with the next page's URL. An HTML page without cards
    that announces a feed gives the feed as its next page, so a crawl reads that."""
    kind, text = _xml_kind(html)
    if kind == "feed":
        return _feed_listing(text, url)
    if kind in ("sitemap", "sitemapindex"):
        return _sitemap_listing(text, url)
    sel = selector(html)
    groups = card_groups(sel, url)
    base = _base_url(sel, url)
    cards: list[ListingCard] = []
    if groups:
        best = groups[0]
        for element, link in zip(best.members, best.links, strict=True):
            cards.append(_card(element, link, len(cards) + 1, base))
    next_url = _next_url(sel, url)
    if not cards and next_url is None:
        feeds = announced_feeds(sel, url)
        next_url = feeds[0] if feeds else None
    return ListingPage(url=url, cards=cards, next_url=next_url, extractor=EXTRACTOR)


_MIN_CARDS = 3
_MANY_CARDS = 10
_LONG_BODY = 1500


def is_listing(html: Html) -> bool:
    """A feed or sitemap, or an HTML page with at least three repeated cards that is not
    an article (an article says so in ``og:type`` or its JSON-LD type, or simply has a
    long text beside its cards: a "related news" box does not make it a listing)."""
    kind, _ = _xml_kind(html)
    if kind is not None:
        return True
    sel = selector(html)
    groups = card_groups(sel, None)
    if not groups or len(groups[0].members) < _MIN_CARDS:
        return False
    in_cards = {e for member in groups[0].members for e in member.iter("p")}
    prose = sum(
        len(_text(p)) for p in sel.root.iter("p") if p not in in_cards and not _in_chrome(p)
    )
    declared = (meta(sel, "og:type") or "").strip().lower() == "article" or any(
        is_article_node(node) for node in json_ld_nodes(sel)
    )
    if not declared and len(groups[0].members) >= _MANY_CARDS:
        return True  # a listing may show whole releases (long text) under their titles
    return prose < (_LONG_BODY / 3 if declared else _LONG_BODY)


NEWSROOM = Newsroom(
    name="generic",
    start_url="",
    rules=RULES,
    required_card_fields=(),
    parse_listing=parse_listing,
    parse_article=parse_article,
    is_listing=is_listing,
)
"""Any newsroom without a profile: ``scrapy crawl generic -a start_url=URL``."""
