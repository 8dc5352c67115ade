"""Markup helpers shared by every page reader: the newsrooms and the generic extractor
(parsel in, plain values out)."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from parsel import Selector, SelectorList
from w3lib.url import canonicalize_url

from newsroom_archive.normalise.images import pick_image_url
from newsroom_archive.normalise.text import collapse_ws

# Query parameters that identify a visit, not a page. The `id`/`lang`/`rss` trio is
# appended by a press-release syndication feed whose copies circulate widely.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "mc_cid",
        "mc_eid",
        "ref",
        "id",
        "lang",
        "rss",
        "_ga",
        "igshid",
    }
)


_DEFAULT_PORTS = {"http": "80", "https": "443"}


def without_default_port(scheme: str, netloc: str) -> str:
    """``host:443`` of https (``:80`` of http) is the host itself (RFC 3986, 6.2.3):
    a site that writes its port into its links names the same articles as one that
    does not."""
    host, colon, port = netloc.rpartition(":")
    if colon and port == _DEFAULT_PORTS.get(scheme.lower()):
        return host
    return netloc


def canonical_url(url: str, keep: Collection[str] = ()) -> str:
    """The identity of an article: tracking parameters and fragment removed, query sorted.

    ``keep`` names parameters that identify articles on a site although they are
    tracking junk elsewhere (a Joomla site's ``?id=670``): a profile's ``keep_query``.
    """
    parts = urlsplit(url.strip())
    kept = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key in keep
        or (not key.lower().startswith("utm_") and key.lower() not in TRACKING_PARAMS)
    ]
    netloc = without_default_port(parts.scheme, parts.netloc)
    rebuilt = urlunsplit((parts.scheme, netloc, parts.path or "/", urlencode(kept), ""))
    return canonicalize_url(rebuilt)


def selector(html: str | Selector) -> Selector:
    """A selector over a page's text; one already built is used as it is."""
    return html if isinstance(html, Selector) else Selector(text=html)


def squash(text: str | None) -> str | None:
    """Collapse white space; empty becomes None. Entity decoding already happened in lxml."""
    if text is None:
        return None
    return collapse_ws(text) or None


def text_of(sel: Selector | SelectorList[Selector] | None) -> str | None:
    """Visible text of an element: inline markup joined as written, scripts and styles
    left out, line breaks and block boundaries read as spaces."""
    if sel is None:
        return None
    if isinstance(sel, SelectorList):
        if not sel:
            return None
        sel = sel[0]
    root = sel.root
    if not hasattr(root, "iter"):
        return squash(str(root))
    parts: list[str] = []
    _collect_text(root, parts)
    return squash("".join(parts))


def _collect_text(element: Any, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _SKIPPED:
        return
    if tag in _SPACED:
        parts.append(" ")
    if element.text and tag:
        parts.append(element.text)
    for child in element:
        _collect_text(child, parts)
        if child.tail:
            parts.append(child.tail)
    if tag in _SPACED:
        parts.append(" ")


_SKIPPED = frozenset({"script", "style", "noscript", "template"})
_SPACED = frozenset(
    {"br", "p", "div", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption"}
    | {"section", "article", "blockquote", "tr", "ul", "ol", "figure"}
)


def decode_cfemail(hex_string: str) -> str | None:
    """Cloudflare e-mail obfuscation: the first byte is the XOR key for the rest."""
    try:
        data = bytes.fromhex(hex_string)
    except ValueError:
        return None
    if len(data) < 2:
        return None
    key = data[0]
    try:
        return bytes(b ^ key for b in data[1:]).decode("utf-8")
    except UnicodeDecodeError:
        return None


def replace_cfemails(sel: Selector) -> list[str]:
    """Put decoded addresses in place of `[email protected]` and return them."""
    found: list[str] = []
    for node in sel.css("[data-cfemail]"):
        address = decode_cfemail(node.attrib.get("data-cfemail", ""))
        if address is None:
            continue
        found.append(address)
        root = node.root
        for child in list(root):
            root.remove(child)
        root.text = address
    return found


def image_url(img: Selector | None, base_url: str) -> str | None:
    """The real image behind a lazy-loaded <img>: never a data: placeholder."""
    if img is None:
        return None
    return pick_image_url(
        img.attrib.get("src"),
        img.attrib.get("data-src") or img.attrib.get("data-lazy-src"),
        img.attrib.get("data-srcset") or img.attrib.get("srcset"),
        base_url,
    )


def json_ld_nodes(sel: Selector) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object on the page in document order, ``@graph`` members where
    they stand. Raw control characters inside strings are let through: CMS editors
    paste them, and the rest of the block is still good."""
    for raw in sel.xpath("//script[@type='application/ld+json']/text()").getall():
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        yield from ld_objects(data)


def ld_objects(value: Any) -> Iterator[dict[str, Any]]:
    """The objects of parsed JSON-LD (a block, or a list of blocks as extruct gives
    them), ``@graph`` members where they stand."""
    if isinstance(value, list):
        for entry in value:
            yield from ld_objects(entry)
    elif isinstance(value, dict):
        yield value
        if "@graph" in value:
            yield from ld_objects(value["@graph"])


# schema.org's Article and the subtypes newsrooms give their posts, and two types some
# CMSs use for them: Blog, and PressRelease (not a schema.org type).
_ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "BlogPosting",
        "Report",
        "ScholarlyArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "ReportageNewsArticle",
        "BackgroundNewsArticle",
        "LiveBlogPosting",
        "SocialMediaPosting",
        "Blog",
        "PressRelease",
    }
)


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type")
    if isinstance(kind, str):
        return {kind}
    if isinstance(kind, list):
        return {k for k in kind if isinstance(k, str)}
    return set()


def is_article_node(node: dict[str, Any]) -> bool:
    """Whether a JSON-LD object is an article (a type in ``_ARTICLE_TYPES``)."""
    return bool(_types(node) & _ARTICLE_TYPES)


def article_rank(node: dict[str, Any]) -> int:
    """0 for an article, 1 for a page (``WebPage`` …), 2 for any other JSON-LD object."""
    if is_article_node(node):
        return 0
    return 1 if any("Page" in t for t in _types(node)) else 2


def json_ld_dates(sel: Selector) -> tuple[str | None, str | None]:
    """(datePublished, dateModified) from the page's JSON-LD, as written.

    Each of the two is chosen on its own: of the nodes that give it as a non-empty
    string, an article (a type in ``_ARTICLE_TYPES``) wins over a page (a type naming
    ``Page``: ``WebPage``, ``ItemPage`` …), a page over any other node, and among
    equals the first in document order wins. A Yoast graph's ``WebPage`` dates thus
    give way to its ``NewsArticle``'s, and a page whose only dated node is its
    ``WebPage`` still has dates.
    """
    return json_ld_dates_of(json_ld_nodes(sel))


def json_ld_dates_of(nodes: Iterable[dict[str, Any]]) -> tuple[str | None, str | None]:
    """``json_ld_dates`` of JSON-LD objects already parsed (by extruct, say)."""
    best: dict[str, tuple[int, str]] = {}
    for node in nodes:
        rank = article_rank(node)
        for key in ("datePublished", "dateModified"):
            value = node.get(key)
            if isinstance(value, str) and value and (key not in best or rank < best[key][0]):
                best[key] = (rank, value)
    published = best.get("datePublished")
    modified = best.get("dateModified")
    return (published[1] if published else None, modified[1] if modified else None)


def meta(sel: Selector, *names: str) -> str | None:
    """Content of the first ``<meta>`` naming one of ``names`` (as property, name or
    itemprop), the names tried in order; blank content counts as absent. The content is
    as written: each caller cleans it the way its field needs."""
    for name in names:
        value = sel.xpath(
            "//meta[@property=$name or @name=$name or @itemprop=$name]/@content", name=name
        ).get()
        if value and value.strip():
            return value
    return None
