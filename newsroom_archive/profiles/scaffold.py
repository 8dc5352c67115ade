"""``profile new``: a draft profile from saved pages, and fixtures to fill in.

The repeated card structure of the listing is found by the generic extractor's card
detector; this module turns what it found into selectors a person can read and correct
(the class names the site gave its cards, the heading that holds the link, the
``time`` element), checks that each selector selects what it was drawn from, and
writes the profile beside fixtures of the saved pages. The fixtures' records are the
draft's own reading, marked ``"checked": false``: ``profile check`` refuses them until
someone has compared every value with the page and set ``checked`` to true.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from parsel import Selector

from newsroom_archive.normalise.dates import parse_date
from newsroom_archive.sites.common import json_ld_nodes, meta, squash
from newsroom_archive.sites.generic import announced_feeds, card_groups

_NEXT_LINKS = (
    "a[rel=next]",
    "li.next a",
    "li.pager-next a",
    "li.pager__item--next a",
    ".pagination .next a",
    "a.next",
    "a.next-page",
)
_NEXT_WORDS = re.compile(
    r"^(next|next page|older|older posts|weiter|nächste|›|»|>)\s*[›»>]*$", re.I
)
_WORD_CLASS = re.compile(r"^[A-Za-z_][\w-]*$")


@dataclass
class Draft:
    """What ``profile new`` proposes: the profile's text and what it could not find."""

    name: str
    toml: str
    notes: list[str] = field(default_factory=list)


def name_for(url: str) -> str:
    """A newsroom name from the URL's host: ``www.oag.ca.gov`` → ``oag-ca-gov``."""
    host = (urlsplit(url).hostname or "newsroom").removeprefix("www.")
    return re.sub(r"[^a-z0-9]+", "-", host.lower()).strip("-") or "newsroom"


def _classes(element: Any) -> list[str]:
    return [c for c in (element.get("class") or "").split() if _WORD_CLASS.match(c)]


def _simple(element: Any, classes: list[str] | None = None) -> str:
    names = _classes(element) if classes is None else classes
    return element.tag + "".join(f".{c}" for c in names)


def _card_selector(sel: Selector, members: list[Any]) -> str:
    """A CSS selector that selects exactly the cards (their shared classes, with the
    parent's when the classes alone select more)."""
    shared = set(_classes(members[0]))
    for member in members[1:]:
        shared &= set(_classes(member))
    ordered = [c for c in _classes(members[0]) if c in shared]
    own = _simple(members[0], ordered)
    wanted = {id(m) for m in members}
    for candidate in (own, f"{_simple(members[0].getparent())} > {own}"):
        found = sel.css(candidate)
        if {id(node.root) for node in found} == wanted:
            return candidate
    return own


def _relative(card: Any, target: Any) -> str:
    """A short CSS path from a card to an element inside it."""
    steps = []
    node = target
    while node is not None and node is not card:
        steps.append(_simple(node))
        node = node.getparent()
    steps.reverse()
    return " ".join(steps[-2:]) if steps else "*"


def _first_heading(card: Any) -> Any:
    return next(iter(card.iter("h1", "h2", "h3", "h4", "h5", "h6")), None)


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def _date_element(card: Any) -> tuple[str | None, Any]:
    time = card.find(".//time")
    if time is not None:
        return ("::attr(datetime)" if time.get("datetime") else ""), time
    for node in card.iter():
        if not isinstance(node.tag, str) or node.tag in ("a", "script"):
            continue
        text = _text(node)
        if 4 <= len(text) <= 40 and parse_date(text) is not None:
            return "", node
    return None, None


def _teaser(card: Any, title: str) -> Any:
    for p in card.iter("p"):
        text = _text(p)
        if len(text) >= 20 and text != title:
            return p
    return None


def _next_link(sel: Selector) -> str | None:
    for css in _NEXT_LINKS:
        if sel.css(f"{css}::attr(href)").get():
            return f"css:{css}::attr(href)"
    for a in sel.css("a[href]"):
        if _NEXT_WORDS.match(squash(a.xpath("string()").get()) or ""):
            classes = _classes(a.root)
            if classes:
                return f"css:a.{classes[0]}::attr(href)"
            parent = a.root.getparent()
            if parent is not None and _classes(parent):
                return f"css:{_simple(parent)} > a::attr(href)"
    return None


def _quote(value: str) -> str:
    # A JSON string is a TOML basic string for everything json.dumps writes.
    return json.dumps(value, ensure_ascii=False)


def _listing(sel: Selector, url: str, notes: list[str]) -> tuple[list[str], list[str]]:
    """The listing section's lines and the fields every card showed."""
    groups = card_groups(sel, url)
    if not groups:
        notes.append("no repeated card structure found on the listing page: write `cards`")
        return ["[layouts.listing]", 'format = "html"', 'cards = "css:TODO"', ""], []
    members = groups[0].members
    card = members[0]
    lines = ["[layouts.listing]", 'format = "html"']
    lines.append(f"cards = {_quote('css:' + _card_selector(sel, members))}")
    nxt = _next_link(sel)
    if nxt:
        lines.append(f"next = {_quote(nxt)}")
    else:
        notes.append(
            "no next-page link found: add `next` or `page_template` if the listing has pages"
        )
    lines += ["", "[layouts.listing.fields]"]
    heading = _first_heading(card)
    link = heading.find(".//a[@href]") if heading is not None else None
    if link is None:
        link = groups[0].links[0]
    lines.append(f"url = {_quote('css:' + _relative(card, link) + '::attr(href)')}")
    title_node = heading if heading is not None else link
    lines.append(f"title = {_quote('css:' + _relative(card, title_node))}")
    shown = ["title"]
    pseudo, date_node = _date_element(card)
    if date_node is not None:
        lines.append(f"date_text = {_quote('css:' + _relative(card, date_node) + (pseudo or ''))}")
        if all(_date_element(m)[1] is not None for m in members):
            shown.append("date_text")
    else:
        notes.append("no date on the first card: add `date_text` if the cards show one")
    teaser = _teaser(card, _text(title_node))
    if teaser is not None:
        lines.append(f"teaser = {_quote('css:' + _relative(card, teaser))}")
    if card.find(".//img") is not None:
        lines.append('image = "css:img"')
    lines.append('# type_label = "css:…"   (the card\'s type label, if it shows one)')
    return lines, shown


_CONTAINERS = frozenset({"div", "section", "article", "main", "td"})
_INLINE = frozenset(
    {"p", "a", "b", "strong", "i", "em", "span", "br", "u", "sup", "sub", "li", "ul", "ol"}
)


def _body_element(sel: Selector) -> Any:
    """The container holding the most running text: paragraphs, and text between
    ``<br>`` s that some newsrooms write instead of paragraphs."""
    weight: Counter[Any] = Counter()
    for node in sel.root.iter():
        if not isinstance(node.tag, str) or node.tag in ("script", "style"):
            continue
        pieces = [node.text or ""] + [child.tail or "" for child in node]
        length = sum(len(p.strip()) for p in pieces)
        if not length:
            continue
        holder = node
        while holder is not None and holder.tag in _INLINE:
            holder = holder.getparent()
        if holder is not None and holder.tag in _CONTAINERS:
            weight[holder] += length
    if not weight:
        return None
    best, length = weight.most_common(1)[0]
    return best if length >= 200 else None


def _unique(sel: Selector, element: Any) -> str:
    if element.get("id") and _WORD_CLASS.match(element.get("id")):
        return f"{element.tag}#{element.get('id')}"
    candidate = _simple(element)
    if len(sel.css(candidate)) == 1:
        return candidate
    parent = element.getparent()
    return f"{_simple(parent)} > {candidate}" if parent is not None else candidate


def _article(sel: Selector, notes: list[str]) -> list[str]:
    lines = ["[layouts.article]"]
    titles = [s for s in ("meta:og:title",) if meta(sel, "og:title")] + ["css:h1"]
    lines.append(f"title = {json.dumps(titles)}")
    published = []
    if any(isinstance(n.get("datePublished"), str) for n in json_ld_nodes(sel)):
        published.append("jsonld:datePublished")
    if meta(sel, "article:published_time"):
        published.append("meta:article:published_time")
    if sel.css("time[datetime]"):
        published.append("css:time::attr(datetime)")
    if published:
        lines.append(f"published = {json.dumps(published)}")
    else:
        notes.append("no machine-readable date on the article: write `published` (css:…)")
    body = _body_element(sel)
    if body is not None:
        lines.append(f"body = {_quote('css:' + _unique(sel, body))}")
    else:
        notes.append("no body found on the article: write `body`")
    figures = sel.css("figure")
    if figures:
        lines.append('figure = "css:figure"')
        lines.append('image = "css:img"')
        if figures[0].css("figcaption"):
            credit = figures[0].xpath(
                ".//*[contains(@class, 'credit') or contains(@class, 'copyright')]"
            )
            if credit:
                css = _simple(credit[0].root)
                lines.append(f'caption = {{ source = "css:figcaption", exclude = {_quote(css)} }}')
                lines.append(f"photo_credit = {_quote('css:' + css)}")
            else:
                lines.append('caption = "css:figcaption"')
    return lines


def draft_profile(
    url: str, listing_html: str, article_html: str | None = None, name: str | None = None
) -> Draft:
    """A profile for the newsroom at ``url`` from its saved listing (and article) page."""
    name = name or name_for(url)
    notes: list[str] = []
    listing = Selector(text=listing_html)
    host = urlsplit(url).hostname or ""
    title = squash(meta(listing, "og:site_name")) or squash(listing.css("title::text").get())
    lines = [
        f"# Drafted by `newsroom-archive profile new` from saved pages of {url}:",
        "# check every selector against the pages, then the fixtures' values.",
        f"name = {_quote(name)}",
        f"organisation = {_quote(title or host)}",
        f"language = {_quote((listing.xpath('/html/@lang').get() or 'en').split('-')[0].lower())}",
        '# timezone = "America/New_York"   (the zone of times shown without an offset)',
        f"start_urls = [{_quote(url)}]",
    ]
    for feed in announced_feeds(listing, url):
        lines.append(f'# The page announces a feed: {feed} (a layout with format = "feed")')
    listing_lines, shown = _listing(listing, url, notes)
    lines.append(f"required_card_fields = {json.dumps(shown)}")
    lines += ["", "[[layouts]]", 'name = "current"', "", *listing_lines]
    if article_html is not None:
        lines += ["", *_article(Selector(text=article_html), notes)]
    return Draft(name=name, toml="\n".join(lines) + "\n", notes=notes)


def article_url(article_html: str) -> str | None:
    """The saved article's own URL: its canonical link, else og:url."""
    sel = Selector(text=article_html)
    for found in (sel.css('link[rel="canonical"]::attr(href)').get(), meta(sel, "og:url")):
        if found and urlsplit(found.strip()).scheme in ("http", "https"):
            return found.strip()
    return None


def write_draft(
    draft: Draft,
    into: Path,
    pages: list[tuple[str, Path, str]],
) -> list[Path]:
    """Write ``NAME.toml`` into ``into`` and, per saved page (slug, file, URL), a copy of
    the page and its fixture under ``fixtures/NAME/``; the written paths."""
    from newsroom_archive.profiles.fixtures import records_of
    from newsroom_archive.profiles.profile import load_profile
    from newsroom_archive.profiles.reader import newsroom

    into.mkdir(parents=True, exist_ok=True)
    profile_path = into / f"{draft.name}.toml"
    profile_path.write_text(draft.toml, encoding="utf-8")
    site = newsroom(load_profile(profile_path))
    folder = into / "fixtures" / draft.name
    folder.mkdir(parents=True, exist_ok=True)
    written = [profile_path]
    for slug, source, url in pages:
        page = folder / f"{slug}{source.suffix or '.html'}"
        page.write_bytes(source.read_bytes())
        text = page.read_text(encoding="utf-8", errors="replace")
        fixture = {
            "page": page.name,
            "url": url,
            "checked": False,
            # Only what was read: a field left out of a record is expected empty.
            "records": [
                {k: v for k, v in record.items() if v not in (None, [], False, "")}
                for record in records_of(site, text, url)
            ],
        }
        if site.is_listing(text):
            fixture["next_url"] = site.parse_listing(text, url).next_url
        target = folder / f"{slug}.fixture.json"
        target.write_text(
            json.dumps(fixture, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        written += [page, target]
    return written
