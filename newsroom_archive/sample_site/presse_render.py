"""Render a state of the German sample newsroom into pages, deterministically.

Markup follows a Drupal 9 site: a views listing (``div.view-presse`` with
``div.views-row`` cards and a full pager ``?page=N`` counted from 0), a sidebar view whose
rows are ``div.views-row`` too, nodes with ``field--name-*`` fields, and metatag heads
without JSON-LD. As Drupal's views do, a ``?page=`` past the last page answers with the
last page (the pager clamps) and one that is not a number with the first.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from newsroom_archive.sample_site.pages import (
    HTML_TYPE,
    TEXT_TYPE,
    Page,
    cosmetic,
    escape_attr,
    escape_text,
    http_date,
)
from newsroom_archive.sample_site.presse_content import (
    ORGANISATION,
    PRESS_EMAIL,
    TIMELINE,
    PresseArticle,
)
from newsroom_archive.sample_site.states import CardStyle

__all__ = ["LISTING_PATH", "render_not_found", "render_site", "route"]

LISTING_PATH = "/presse/"
ROBOTS_TXT = (
    b"# Drupal's robots.txt, shortened\nUser-agent: *\nDisallow: /admin/\n"
    b"Disallow: /search/\nDisallow: /user/login\n"
)


_text = escape_text
_attr = escape_attr


def listing_path(index: int) -> str:
    """The listing page of pager index ``index`` (0 is the first page, as in Drupal)."""
    return LISTING_PATH if index == 0 else f"{LISTING_PATH}?page={index}"


def _card(spec: PresseArticle, style: CardStyle) -> str:
    if style == "drift":
        # A redesign: one link around kicker and heading, no <time>, no views fields.
        return (
            '<div class="views-row">\n<div class="teaser-card">\n'
            f'<a class="teaser-card__link" href="{spec.path}">\n'
            f'<span class="teaser-card__kicker">{_text(spec.type_label)} · '
            f"{spec.card_date}</span>\n"
            f'<h2 class="teaser-card__title">{_text(spec.title)}</h2>\n</a>\n'
            f'<p class="teaser-card__text">{_text(spec.listing_teaser)}</p>\n</div>\n</div>'
        )
    return (
        '<div class="views-row">\n'
        '<div class="views-field views-field-field-typ"><div class="field-content">'
        f"{_text(spec.type_label)}</div></div>\n"
        '<div class="views-field views-field-created"><span class="field-content">'
        f'<time datetime="{spec.published.isoformat()}" class="datetime">{spec.card_date}</time>'
        "</span></div>\n"
        '<div class="views-field views-field-title"><h3 class="field-content">'
        f'<a href="{spec.path}" hreflang="de">{_text(spec.title)}</a></h3></div>\n'
        '<div class="views-field views-field-body"><div class="field-content">'
        f"{_text(spec.listing_teaser)}</div></div>\n"
        "</div>"
    )


def _pager(index: int, last: int) -> str:
    items = []
    if index > 0:
        items.append(
            '<li class="pager__item pager__item--first"><a href="?page=0" '
            'title="Zur ersten Seite"><span aria-hidden="true">« Erste</span></a></li>'
        )
        items.append(
            f'<li class="pager__item pager__item--previous"><a href="?page={index - 1}" '
            'title="Zur vorherigen Seite" rel="prev"><span aria-hidden="true">‹ Vorherige'
            "</span></a></li>"
        )
    for n in range(last + 1):
        if n == index:
            items.append(
                f'<li class="pager__item is-active"><a href="?page={n}" title="Aktuelle Seite">'
                f'<span class="visually-hidden">Aktuelle Seite</span>{n + 1}</a></li>'
            )
        else:
            items.append(
                f'<li class="pager__item"><a href="?page={n}" title="Gehe zu Seite {n + 1}">'
                f"{n + 1}</a></li>"
            )
    if index < last:
        items.append(
            f'<li class="pager__item pager__item--next"><a href="?page={index + 1}" '
            'title="Zur nächsten Seite" rel="next"><span aria-hidden="true">Nächste ›'
            "</span></a></li>"
        )
        items.append(
            f'<li class="pager__item pager__item--last"><a href="?page={last}" '
            'title="Zur letzten Seite"><span aria-hidden="true">Letzte »</span></a></li>'
        )
    joined = "\n".join(items)
    return (
        '<nav class="pager" role="navigation" aria-labelledby="pagination-heading">\n'
        '<h4 id="pagination-heading" class="visually-hidden">Seitennummerierung</h4>\n'
        f'<ul class="pager__items js-pager__items">\n{joined}\n</ul>\n</nav>'
    )


_SIDEBAR = """\
<aside class="layout-sidebar-second" role="complementary">
<div class="views-element-container block block-views block-views-blockmeistgelesen-block-1">
<h2>Meistgelesen</h2>
<div class="view view-meistgelesen view-id-meistgelesen"><div class="view-content">
<div class="views-row"><div class="views-field views-field-title"><span class="field-content">
<a href="/ueber-uns" hreflang="de">Über uns</a></span></div></div>
<div class="views-row"><div class="views-field views-field-title"><span class="field-content">
<a href="/mitmachen/briefaktion" hreflang="de">Briefaktion: Schreiben Sie mit!</a></span>
</div></div>
</div></div>
</div>
</aside>"""

_HEADER = """\
<a href="#main-content" class="visually-hidden focusable skip-link">Direkt zum Inhalt</a>
<div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>
<header role="banner" class="site-header">
<a href="/" title="Startseite" rel="home" class="site-logo"><img src="/themes/custom/mrb/logo.svg"
  alt="Startseite"></a>
<nav role="navigation" aria-labelledby="block-hauptnavigation-menu">
<h2 class="visually-hidden" id="block-hauptnavigation-menu">Hauptnavigation</h2>
<ul class="menu"><li class="menu-item"><a href="/themen">Themen</a></li>
<li class="menu-item menu-item--active-trail"><a href="/presse/">Presse</a></li>
<li class="menu-item"><a href="/mitmachen">Mitmachen</a></li>
<li class="menu-item"><a href="/spenden">Spenden</a></li></ul>
</nav>
</header>"""

_FOOTER = """\
<footer role="contentinfo" class="site-footer">
<p>Beispiel-Menschenrechtsbüro · Musterstraße 1 · 10115 Berlin</p>
<p>Eine Beispiel-Presseseite in der Gestalt einer Drupal-Website; alle Texte sind erfunden.</p>
<ul class="menu"><li><a href="/impressum">Impressum</a></li>
<li><a href="/datenschutz">Datenschutz</a></li></ul>
</footer>
</div>
<script src="/core/assets/vendor/jquery/jquery.min.js?v=3.6.0"></script>
<script src="/core/misc/drupal.js?v=9.2.8"></script>"""


def _document(title: str, head: list[str], body_class: str, main: str) -> str:
    lines = "\n".join(head)
    return (
        '<!DOCTYPE html>\n<html lang="de" dir="ltr" prefix="og: https://ogp.me/ns#">\n<head>\n'
        '<meta charset="utf-8">\n'
        '<meta name="Generator" content="Drupal 9 (https://www.drupal.org)">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f"{lines}\n<title>{_text(title)} | {ORGANISATION}</title>\n"
        '<link rel="stylesheet" media="all" href="/themes/custom/mrb/css/style.css?r4v1x2">\n'
        f'</head>\n<body class="{body_class}">\n{_HEADER}\n'
        '<main role="main" class="layout-main">\n<a id="main-content" tabindex="-1"></a>\n'
        f'<div class="layout-content">\n{main}\n</div>\n{_SIDEBAR}\n</main>\n{_FOOTER}\n'
        "</body>\n</html>\n"
    )


def _listing(state: str, index: int, base_url: str) -> str:
    content = TIMELINE.content(state)
    last = content.page_count - 1
    cards = "\n".join(_card(a, content.card_style) for a in content.page(index + 1))
    head = [f'<link rel="canonical" href="{base_url}{listing_path(index)}">']
    main = (
        '<h1 class="page-title">Presse</h1>\n'
        '<div class="views-element-container">\n'
        '<div class="view view-presse view-id-presse view-display-id-page_1">\n'
        '<div class="view-header"><p>Pressemitteilungen, Stellungnahmen und Berichte. '
        f'Pressekontakt: <a href="mailto:{PRESS_EMAIL}">{PRESS_EMAIL}</a></p></div>\n'
        '<form class="views-exposed-form" action="/presse/" method="get">\n'
        '<label for="edit-typ">Art</label><select id="edit-typ" name="typ">'
        '<option value="All" selected>- Alle -</option>'
        '<option value="1">Pressemitteilung</option><option value="2">Stellungnahme</option>'
        '<option value="3">Bericht</option></select>\n'
        '<input type="submit" value="Anwenden" class="button"></form>\n'
        f'<div class="view-content">\n{cards}\n</div>\n'
        f"{_pager(index, last)}\n"
        "</div>\n</div>"
    )
    return _document("Presse", head, "path-presse page-view-presse", main)


def _figure(spec: PresseArticle) -> str:
    if not spec.image:
        return ""
    parts = []
    if spec.caption:
        parts.append(_text(spec.caption))
    if spec.credit and spec.credit_in == "span":
        parts.append(f'<span class="bildnachweis">{_text(spec.credit)}</span>')
    caption = f"<figcaption>{' '.join(parts)}</figcaption>" if parts else ""
    return (
        '<figure class="media media--type-image media--view-mode-artikelbild">'
        f'<img loading="lazy" src="{_attr(spec.image)}" width="1200" height="675" '
        f'alt="{_attr(spec.image_alt or "")}">{caption}</figure>\n'
    )


def _fields(spec: PresseArticle, base_url: str) -> str:
    out = []
    if spec.attachment:
        name = spec.attachment.rsplit("/", 1)[1]
        out.append(
            '<div class="field field--name-field-dokument"><div class="field__label">Dokument'
            '</div><span class="file file--mime-application-pdf file--application-pdf">'
            f'<a href="{base_url}{spec.attachment}" type="application/pdf">{name}</a>'
            " (PDF, 1,2 MB)</span></div>"
        )
    if spec.tags:
        items = "".join(
            f'<div class="field__item"><a href="/schlagwort/{_attr(tag.lower())}" '
            f'hreflang="de">{_text(tag)}</a></div>'
            for tag in spec.tags
        )
        out.append(
            '<div class="field field--name-field-schlagworte"><div class="field__label">'
            f'Schlagworte</div><div class="field__items">{items}</div></div>'
        )
    return "".join(f"{field}\n" for field in out)


def _article(spec: PresseArticle, base_url: str) -> str:
    url = base_url + spec.path
    head = [
        f'<meta name="description" content="{_attr(spec.teaser_full)}">',
        f'<link rel="canonical" href="{url}">',
        f'<meta property="og:site_name" content="{ORGANISATION}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:url" content="{url}">',
        f'<meta property="og:title" content="{_attr(spec.title)}">',
        f'<meta property="og:description" content="{_attr(spec.teaser_full)}">',
        f'<meta property="article:modified_time" content="{spec.modified.isoformat()}">',
    ]
    if spec.image:
        head.append(f'<meta property="og:image" content="{_attr(base_url + spec.image)}">')
    if spec.date_shown == "time":
        when = (
            '<div class="field field--name-created">'
            f'<time datetime="{spec.published.isoformat()}">{spec.german_date}</time></div>'
        )
    else:
        when = f'<div class="field field--name-field-datum">{spec.german_date}</div>'
    paragraphs = "\n".join(f"<p>{_text(p)}</p>" for p in spec.body)
    main = (
        '<article role="article" class="node node--type-presse node--view-mode-full">\n'
        '<div class="node__meta">\n'
        f'<div class="field field--name-field-typ">{_text(spec.type_label)}</div>\n'
        f"{when}\n</div>\n"
        f'<h1 class="page-title"><span class="field field--name-title">{_text(spec.title)}'
        "</span></h1>\n"
        f"{_figure(spec)}"
        '<div class="clearfix text-formatted field field--name-body field--type-text-with-summary '
        f'field--label-hidden field__item">\n{paragraphs}\n</div>\n'
        f"{_fields(spec, base_url)}"
        '<div class="share"><a href="https://www.facebook.com/sharer/sharer.php?u='
        f'{_attr(url)}">Teilen</a></div>\n'
        "</article>\n"
        '<div class="block block-weitere"><h2>Weitere Pressemitteilungen</h2>'
        '<a href="/presse/">Alle Pressemitteilungen</a></div>'
    )
    return _document(spec.title, head, "path-node page-node-type-presse", main)


def _not_found(base_url: str) -> str:
    main = (
        '<h1 class="page-title">Seite nicht gefunden</h1>\n'
        "<p>Die angeforderte Seite konnte nicht gefunden werden. Zur "
        f'<a href="{base_url}/presse/">Presseübersicht</a>.</p>'
    )
    return _document("Seite nicht gefunden", [], "path-not-found", main)


def render_not_found(base_url: str = "") -> Page:
    return Page(404, _not_found(base_url.rstrip("/")).encode())


def render_site(state: str, base_url: str = "") -> dict[str, Page]:
    """Every page of a state by path (listing pages by ``/presse/?page=N``). Links are
    root-relative but for the attachments', which Drupal writes absolute."""
    base = base_url.rstrip("/")
    content = TIMELINE.content(state)
    modified = http_date(content.listing_modified)
    pages = {"/robots.txt": Page(200, ROBOTS_TXT, TEXT_TYPE)}
    for index in range(content.page_count):
        body = _listing(state, index, base).encode()
        pages[listing_path(index)] = Page(200, body, HTML_TYPE, modified)
    for spec in content.served:
        markup = _article(spec, base)
        if spec.slug in content.cosmetic:
            markup = cosmetic(markup)
        pages[spec.path] = Page(200, markup.encode(), HTML_TYPE, http_date(spec.modified))
    return pages


def route(path: str, query: str, pages: dict[str, Page]) -> Page | None:
    """The page a request reaches: the listing by its ``page`` parameter, clamped to the
    pages there are, as Drupal's views pager does; other pages by path alone."""
    if path != LISTING_PATH:
        return pages.get(path)
    value = dict(parse_qsl(query)).get("page", "0")
    index = int(value) if value.isdigit() else 0
    last = sum(1 for key in pages if key == LISTING_PATH or key.startswith(LISTING_PATH + "?"))
    return pages[listing_path(min(index, last - 1))]
