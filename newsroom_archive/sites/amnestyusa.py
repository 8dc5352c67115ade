"""Amnesty International USA newsroom: page parsing (no crawling here).

Two listing themes are understood: the WordPress block theme in use since 2023
(``div.card-md.h-full.relative`` cards) and the 2019–2021 theme (``article.news-card``:
photo, type label, title, teaser, date). The spider and ``newsroom-archive extract``
both call these functions.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from parsel import Selector

from newsroom_archive.items import ArticlePage, ListingCard, ListingPage
from newsroom_archive.normalise import SourceRules
from newsroom_archive.sites.base import Newsroom
from newsroom_archive.sites.common import (
    block_text,
    image_url,
    json_ld_dates,
    meta,
    replace_cfemails,
    selector,
    squash,
    text_of,
)

NAME = "amnestyusa"
START_URL = "https://www.amnestyusa.org/news/"
RULES = SourceRules(
    name=NAME,
    day_first=False,
    title_suffixes=(" | Amnesty International USA", " - Amnesty International USA"),
)

# Every card of this newsroom shows these; a card without them means the markup changed.
REQUIRED_CARD_FIELDS = ("title", "date_text")

_PAGE_NUMBER = re.compile(r"/page/(\d+)/?")
# Public scrapers match the class attribute exactly: the header's mega-menu reuses the
# card classes plus one of its own, and is not part of the listing.
_CURRENT_CARD = 'div[class="card-md h-full relative"]'
_OLD_CARD = "article.news-card"


def page_number(url: str) -> int:
    match = _PAGE_NUMBER.search(url)
    return int(match.group(1)) if match else 1


def is_listing(html: str | Selector) -> bool:
    sel = selector(html)
    return bool(sel.css(f"{_CURRENT_CARD}, {_OLD_CARD}")) or bool(sel.css("div.next a.next"))


def split_tag_line(tag_line: str | None) -> tuple[str | None, str | None]:
    """``December 3, 2021 • Press Release`` → (date text, type label), by position.

    This newsroom's tag line is always the date, then optionally ` • ` and the label; the
    date text is kept as shown even when it does not parse, so validation can say so.
    """
    if not tag_line:
        return None, None
    date_text, _, label = tag_line.partition("•")
    return squash(date_text), squash(label)


def _figure_fields(scope: Selector, base_url: str) -> dict[str, str | None]:
    img = scope.css("img:not(.icon)")
    first = img[0] if img else None
    caption_sel = scope.css("figcaption")
    caption = None
    credit = None
    if caption_sel:
        caption = squash(
            " ".join(
                caption_sel[0]
                .xpath(".//text()[not(ancestor::*[contains(@class, 'credit')])]")
                .getall()
            )
        )
        credit = text_of(caption_sel[0].css(".credit, .wp-caption-credit"))
    if credit is None:
        credit = squash(scope.xpath("(@data-credit | .//@data-credit)[1]").get())
    return {
        "image_url": image_url(first, base_url),
        "image_alt": squash(first.attrib.get("alt")) if first is not None else None,
        "caption": caption,
        "photo_credit": credit,
    }


def _current_card(card: Selector, position: int, base_url: str) -> ListingCard | None:
    href = card.css("a.hocus-headline::attr(href)").get() or card.css("a::attr(href)").get()
    if not href:
        return None
    tag_line = text_of(card.css("p.card-md--tag--hocus"))
    date_text, label = split_tag_line(tag_line)
    return ListingCard(
        url=urljoin(base_url, href.strip()),
        position=position,
        title=text_of(card.css("h3.utility-md")),
        tag_line=tag_line,
        date_text=date_text,
        type_label=label,
        teaser=text_of(card.css("p.body-xs.mt-xs")),
        **_figure_fields(card, base_url),
    )


def _old_card(card: Selector, position: int, base_url: str) -> ListingCard | None:
    href = card.css(".news-card__title a::attr(href)").get() or card.css("a::attr(href)").get()
    if not href:
        return None
    date_line = text_of(card.css(".news-card__date, .news-card__meta"))
    date_text, label_in_date = split_tag_line(date_line)
    label = text_of(card.css(".news-card__type")) or label_in_date
    return ListingCard(
        url=urljoin(base_url, href.strip()),
        position=position,
        title=text_of(card.css(".news-card__title")),
        tag_line=date_line if label_in_date else None,
        date_text=date_text,
        type_label=label,
        teaser=text_of(card.css(".news-card__excerpt")),
        **_figure_fields(card, base_url),
    )


def parse_listing(html: str | Selector, url: str) -> ListingPage:
    """Every card of a listing page, in page order, and the next page's URL."""
    sel = selector(html)
    cards: list[ListingCard] = []
    for node in sel.css(f"{_CURRENT_CARD}, {_OLD_CARD}"):
        build = _current_card if node.root.tag == "div" else _old_card
        card = build(node, len(cards) + 1, url)
        if card is not None:
            cards.append(card)
    next_href = sel.css("div.next a.next::attr(href)").get()
    return ListingPage(
        url=url,
        cards=cards,
        next_url=urljoin(url, next_href.strip()) if next_href else None,
        page_number=page_number(url),
    )


def parse_article(html: str | Selector, url: str) -> ArticlePage:
    """The fields an article page shows: body, dates, hero photo and caption, og: fields."""
    sel = selector(html)
    emails = replace_cfemails(sel)
    published, modified = json_ld_dates(sel)
    date_source = "jsonld" if published else None
    if published is None and (published := squash(meta(sel, "article:published_time"))):
        date_source = "meta"
    if published is None and (
        published := squash(sel.css("article time::attr(datetime), time::attr(datetime)").get())
    ):
        date_source = "time-element"
    modified = modified or squash(meta(sel, "article:modified_time"))

    article = sel.css("div.content-wrapper article") or sel.css("article")
    scope = article[0] if article else sel
    body = scope.css("div.wp-block-post-content")
    hero = scope.css("figure.relative") or sel.css("figure.relative")
    figure = _figure_fields(hero[0], url) if hero else {}
    canonical = sel.css('link[rel="canonical"]::attr(href)').get()
    return ArticlePage(
        url=url,
        canonical_url=urljoin(url, canonical.strip()) if canonical else None,
        title=squash(meta(sel, "og:title")) or text_of(scope.css("h1")),
        html_title=text_of(sel.css("title")),
        description=squash(meta(sel, "og:description", "description")),
        type_label=text_of(scope.css(".article-type")),
        date_published=published,
        date_modified=modified,
        date_source=date_source,
        body=block_text(body[0]) if body else None,
        image_url=figure.get("image_url"),
        image_alt=figure.get("image_alt"),
        caption=figure.get("caption"),
        photo_credit=figure.get("photo_credit"),
        og_image=squash(meta(sel, "og:image")),
        emails=emails,
    )


NEWSROOM = Newsroom(
    name=NAME,
    start_url=START_URL,
    rules=RULES,
    required_card_fields=REQUIRED_CARD_FIELDS,
    parse_listing=parse_listing,
    parse_article=parse_article,
    is_listing=is_listing,
)
