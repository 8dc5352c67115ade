"""A profile's page readers: listing cards and article fields from HTML (or a feed) and
the page's URL, by the layout of the page's time.

``newsroom(profile)`` gives the :class:`~newsroom_archive.sites.base.Newsroom` the
spider, ``extract`` and the fixtures use. A page is read with the first layout, of those
valid on the page's day (all, when the day is not known) before the others, whose
``detect`` sources it matches; a page no layout recognises is read with the first
candidate, so that the layout-drift guard, not a silent skip, reports it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from parsel import Selector

from newsroom_archive.items import ArticlePage, ListingCard, ListingPage
from newsroom_archive.normalise.rules import SourceRules
from newsroom_archive.profiles.fields import (
    Field,
    Page,
    compile_field,
    elements,
    exists,
    first,
    paragraphs,
    read,
    read_with_origin,
    without,
)
from newsroom_archive.profiles.profile import CARD_KEYS, Layout, ListingSpec, Profile
from newsroom_archive.sites.base import Html, Newsroom
from newsroom_archive.sites.common import (
    canonical_url,
    image_url,
    meta,
    replace_cfemails,
    selector,
    squash,
    text_of,
    without_default_port,
)

_FEED_ROOT = "/*[local-name()='rss' or local-name()='feed' or local-name()='RDF']"
_SITEMAP_ROOT = "/*[local-name()='urlset']"


def _x(name: str) -> str:
    return f"*[local-name()='{name}']"


# A feed's items and a sitemap's entries read the same way on every site; a profile
# may still declare fields of its own for them.
FEED_CARDS = f"xpath://item | //{_x('entry')}"
FEED_FIELDS = {
    "url": compile_field(
        [
            f"xpath:./{_x('link')}[@rel='alternate' or not(@rel)]/@href",
            f"xpath:./{_x('link')}/text()",
            f"xpath:./{_x('guid')}[not(@isPermaLink='false')]/text()",
        ]
    ),
    "title": compile_field(f"xpath:./{_x('title')}"),
    "date_text": compile_field(
        [f"xpath:./{_x(n)}/text()" for n in ("pubDate", "published", "date", "updated")]
    ),
    "teaser": compile_field([f"xpath:./{_x(n)}/text()" for n in ("description", "summary")]),
}
SITEMAP_CARDS = f"xpath://{_x('url')}"
SITEMAP_FIELDS = {
    "url": compile_field(f"xpath:./{_x('loc')}/text()"),
    "title": compile_field(f"xpath:.//{_x('news')}/{_x('title')}/text()"),
    "date_text": compile_field(f"xpath:.//{_x('publication_date')}/text()"),
}
ARTICLE_DEFAULTS = {
    "title": compile_field(["meta:og:title", "css:h1"]),
    "description": compile_field(["meta:og:description", "meta:description"]),
    "published": compile_field(
        ["jsonld:datePublished", "meta:article:published_time", "css:time::attr(datetime)"]
    ),
    "modified": compile_field(["jsonld:dateModified", "meta:article:modified_time"]),
}


def extractor_name(profile: Profile, layout: Layout) -> str:
    return f"profile:{profile.name}/{layout.name}"


def _tree(html: Html, xml: bool) -> Selector:
    if isinstance(html, Selector):
        return html
    if xml:
        text = html.lstrip("\ufeff")
        return Selector(text=re.sub(r"^\s*<\?xml[^>]*\?>", "", text), type="xml")
    return selector(html)


def _is_xml(html: Html) -> bool:
    if isinstance(html, Selector):
        return html.type == "xml"
    head = html.lstrip("\ufeff \t\r\n")[:512]
    return head.startswith("<?xml") and "<html" not in head.lower()


def _listing_matches(spec: ListingSpec, sel: Selector, url: str) -> bool:
    page = Page(root=sel, scope=sel, url=url, hooks={})
    if spec.format == "feed":
        return bool(sel.xpath(_FEED_ROOT)) and (not spec.detect or exists(spec.detect, page))
    if spec.format == "sitemap":
        return bool(sel.xpath(_SITEMAP_ROOT)) and (not spec.detect or exists(spec.detect, page))
    if spec.detect:
        return exists(spec.detect, page)
    return bool(spec.cards) and exists((spec.cards or "",), page)


def _choose(
    profile: Profile,
    day: dt.date | None,
    sel: Selector,
    url: str,
    kind: str,
) -> Layout | None:
    candidates = [
        layout for layout in profile.layouts_for(day) if getattr(layout, kind) is not None
    ]
    for layout in candidates:
        if kind == "listing":
            assert layout.listing is not None
            if _listing_matches(layout.listing, sel, url):
                return layout
        else:
            assert layout.article is not None
            page = Page(root=sel, scope=sel, url=url, hooks={})
            if not layout.article.detect or exists(layout.article.detect, page):
                return layout
    return candidates[0] if candidates else None


def is_listing(profile: Profile, html: Html, day: dt.date | None = None) -> bool:
    """Whether a layout recognises the page as a listing, or it links a next listing
    page (a listing whose cards changed shape is still a listing: the drift guard's)."""
    sel = _tree(html, _is_xml(html))
    page = Page(root=sel, scope=sel, url="", hooks=profile.hooks)
    for layout in profile.layouts_for(day):
        spec = layout.listing
        if spec is not None and (
            _listing_matches(spec, sel, "") or (spec.next is not None and first(spec.next, page))
        ):
            return True
    return False


def _base_url(sel: Selector, url: str) -> str:
    """What the page's relative links resolve against: its ``<base href>`` (itself
    relative to the page's URL), else the page's URL."""
    href = sel.xpath("//base[@href][1]/@href").get()
    return urljoin(url, href.strip()) if href and href.strip() else url


# --- listings ---------------------------------------------------------------------------


def _image(field: Field | None, page: Page, base: str) -> tuple[str | None, str | None]:
    """(URL, alt) of the image a field points at: an element (its real source behind
    lazy loading, and its alt) or an attribute holding a URL."""
    if field is None:
        return None, None
    for step in field.steps:
        for source in step.source:
            kind, _, expr = source.partition(":")
            if kind in ("css", "xpath") and "::" not in expr and not expr.endswith("]/@src"):
                nodes = elements(source, page.scope)
                if nodes:
                    return image_url(nodes[0], base), squash(nodes[0].attrib.get("alt"))
        values = read(Field((step,)), page)
        if values:
            return urljoin(base, values[0]), None
    return None, None


def _card(
    profile: Profile,
    fields: dict[str, Field],
    node: Selector,
    root: Selector,
    url: str,
    n: int,
    base: str,
) -> ListingCard | None:
    page = Page(root=root, scope=node, url=url, hooks=profile.hooks)
    href = first(fields.get("url"), page)
    if not href:
        return None
    values: dict[str, str | None] = {}
    # Fields read from the page first, then those that start from another field.
    for key in sorted(CARD_KEYS, key=lambda k: bool(fields.get(k) and fields[k].uses_fields)):
        values[key] = first(fields.get(key), page, values)
    image, alt = _image(fields.get("image"), page, base)
    return ListingCard(
        url=urljoin(base, href.strip()),
        position=n,
        image_url=image,
        image_alt=alt,
        **values,
    )


def _page_number(profile: Profile, spec: ListingSpec, sel: Selector, url: str) -> int:
    if spec.page_number is not None:
        value = first(spec.page_number, Page(root=sel, scope=sel, url=url, hooks=profile.hooks))
        if value and value.isdigit():
            return int(value)
        return 1
    if spec.page_template is not None:
        found = _template_number(spec.page_template, url)
        if found is not None:
            return found - spec.first_page + 1
    return 1


def _template_number(template: str, url: str) -> int | None:
    pattern = re.escape(template).replace(re.escape("{page}"), r"(\d+)")
    # The template's host may be the live site's while the crawl reads a mirror.
    path = urlsplit(template)
    tail = re.escape(urlunsplit(("", "", path.path, path.query, ""))).replace(
        re.escape("{page}"), r"(\d+)"
    )
    for candidate in (pattern, tail):
        match = re.search(candidate + "$", url)
        if match:
            return int(match.group(1))
    return None


def _next_url(
    profile: Profile, spec: ListingSpec, sel: Selector, url: str, number: int, cards: int
) -> str | None:
    if spec.next is not None:
        href = first(spec.next, Page(root=sel, scope=sel, url=url, hooks=profile.hooks))
        return urljoin(_base_url(sel, url), href.strip()) if href else None
    if spec.page_template is not None and cards:
        following = spec.page_template.format(page=number + spec.first_page)
        # Keep the crawl on the host it reads (a mirror, a test server).
        parts = urlsplit(following)
        here = urlsplit(url)
        return urlunsplit((here.scheme, here.netloc, parts.path, parts.query, ""))
    return None


def parse_listing(
    profile: Profile, html: Html, url: str, day: dt.date | None = None
) -> ListingPage:
    """Every card of a listing page (or feed, or sitemap), in page order, and the next
    listing page's URL."""
    sel = _tree(html, _is_xml(html))
    layout = _choose(profile, day, sel, url, "listing")
    if layout is None or layout.listing is None:
        raise ValueError(f"profile {profile.name} reads no listing pages")
    spec = layout.listing
    cards_source, fields = spec.cards, spec.fields
    if spec.format == "feed":
        cards_source, fields = cards_source or FEED_CARDS, {**FEED_FIELDS, **fields}
    elif spec.format == "sitemap":
        cards_source, fields = cards_source or SITEMAP_CARDS, {**SITEMAP_FIELDS, **fields}
    assert cards_source is not None
    cards: list[ListingCard] = []
    base = _base_url(sel, url)
    for node in elements(cards_source, sel):
        card = _card(profile, fields, node, sel, url, len(cards) + 1, base)
        if card is not None:
            cards.append(card)
    number = _page_number(profile, spec, sel, url)
    return ListingPage(
        url=url,
        cards=cards,
        next_url=_next_url(profile, spec, sel, url, number, len(cards)),
        page_number=number,
        extractor=extractor_name(profile, layout),
    )


# --- articles ---------------------------------------------------------------------------


def _body(field: Field | None, page: Page, exclude: tuple[str, ...]) -> str | None:
    if field is None:
        return None
    for step in field.steps:
        for source in step.source:
            kind, _, expr = source.partition(":")
            if kind not in ("css", "xpath") or "::" in expr:
                values = read(Field((step,)), page)
                if values:
                    return "\n\n".join(values)
                continue
            nodes = elements(source, page.scope)
            if not nodes:
                continue
            parts = [step.exclude, *exclude]
            dropped = ", ".join(p for p in parts if p)
            chosen = nodes if step.all else nodes[:1]
            texts = [paragraphs(without(n, dropped) if dropped else n) for n in chosen]
            joined = "\n\n".join(p for found in texts for p in found)
            if joined:
                return joined
    return None


_EMPTY = Selector(text="<html></html>")


def _first_element(sources: tuple[str, ...], scopes: list[Selector]) -> Selector | None:
    for scope in scopes:
        for source in sources:
            found = elements(source, scope)
            if found:
                return found[0]
    return None


def parse_article(
    profile: Profile, html: Html, url: str, day: dt.date | None = None
) -> ArticlePage:
    """The fields an article page shows, as its profile declares them."""
    sel = _tree(html, False)
    layout = _choose(profile, day, sel, url, "article")
    if layout is None or layout.article is None:
        raise ValueError(f"profile {profile.name} reads no article pages")
    spec = layout.article
    emails = replace_cfemails(sel) if spec.decode_cfemail else []
    fields = {**ARTICLE_DEFAULTS, **spec.fields}
    scope = _first_element(spec.scope, [sel]) or sel
    page = Page(root=sel, scope=scope, url=url, hooks=profile.hooks)
    figure_page = page
    if spec.figure:
        # The lead figure inside the article, else anywhere on the page; none: no image.
        figure = _first_element(spec.figure, [scope, sel])
        figure_page = replace(page, scope=figure if figure is not None else _EMPTY)
    published, origin = read_with_origin(fields["published"], page)
    base = _base_url(sel, url)
    image, alt = _image(fields.get("image"), figure_page, base)
    canonical = sel.css('link[rel="canonical"]::attr(href)').get()
    return ArticlePage(
        url=url,
        canonical_url=urljoin(base, canonical.strip()) if canonical else None,
        title=first(fields["title"], page),
        html_title=text_of(sel.css("title")),
        description=first(fields["description"], page),
        type_label=first(fields.get("type_label"), page),
        date_published=published[0] if published else None,
        date_modified=first(fields["modified"], page),
        date_source=origin if published else None,
        body=_body(fields.get("body"), page, spec.body_exclude),
        image_url=image,
        image_alt=alt,
        caption=first(fields.get("caption"), figure_page),
        photo_credit=first(fields.get("photo_credit"), figure_page),
        og_image=squash(meta(sel, "og:image")),
        emails=emails,
        tags=read(fields.get("tags"), page),
        attachments=[urljoin(base, link) for link in read(fields.get("attachments"), page)],
        extractor=extractor_name(profile, layout),
    )


# --- the newsroom ------------------------------------------------------------------------


def canonicaliser(profile: Profile) -> Callable[[str], str]:
    """The article identity under the profile's URL rules, on top of the shared ones."""
    rules = profile.canonical

    def canonical(url: str) -> str:
        parts = urlsplit(url.strip())
        scheme = "https" if rules.https and parts.scheme == "http" else parts.scheme
        query = [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if k not in rules.drop_query and (rules.keep_query is None or k in rules.keep_query)
        ]
        path = parts.path.lower() if rules.lowercase_path else parts.path
        if rules.trailing_slash == "add" and not path.endswith("/"):
            path += "/"
        elif rules.trailing_slash == "remove" and len(path) > 1:
            path = path.rstrip("/")
        # The old scheme's default port goes before the scheme changes (http://h:80/).
        netloc = without_default_port(parts.scheme, parts.netloc)
        rebuilt = urlunsplit((scheme, netloc, path, urlencode(query), ""))
        return canonical_url(rebuilt, keep=rules.keep_query or ())

    return canonical


def custom_settings(profile: Profile) -> dict[str, object]:
    """Scrapy settings of the profile's politeness overrides."""
    names = {
        "download_delay": "DOWNLOAD_DELAY",
        "concurrency": "CONCURRENT_REQUESTS_PER_DOMAIN",
        "autothrottle": "AUTOTHROTTLE_ENABLED",
        "obey_robots": "ROBOTSTXT_OBEY",
    }
    return {names[key]: value for key, value in profile.politeness.items()}


def newsroom(profile: Profile, day: dt.date | None = None) -> Newsroom:
    """The profile as the crawl, ``extract`` and the fixtures use it; ``day`` reads every
    page with the layouts of that day first (a Wayback capture's, a saved page's)."""
    return Newsroom(
        name=profile.name,
        start_url=profile.start_urls[0],
        start_urls=profile.start_urls,
        rules=SourceRules(
            name=profile.name,
            day_first=profile.day_first,
            title_suffixes=profile.title_suffixes,
            language=profile.language,
            kind_labels=profile.kinds,
            kind_folders=profile.kind_folders,
            timezone=profile.timezone,
            date_formats=profile.date_formats,
        ),
        required_card_fields=profile.required_card_fields,
        parse_listing=partial(parse_listing, profile, day=day),
        parse_article=partial(parse_article, profile, day=day),
        is_listing=partial(is_listing, profile, day=day),
        organisation=profile.organisation,
        hosts=profile.hosts,
        settings=custom_settings(profile),
        canonicalise=canonicaliser(profile),
        dated=partial(newsroom, profile),
        profile=profile,
    )
