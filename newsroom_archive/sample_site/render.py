"""Render a state of the sample newsroom into pages, deterministically.

Markup follows the amnestyusa.org shapes described in the site notes: the 2023 block
theme for listings, Yoast-style heads and JSON-LD for articles, lazy images, Cloudflare
e-mail obfuscation, and enough header, menu and script noise to make selectors matter.
"""

from __future__ import annotations

import hashlib
import json

from newsroom_archive.sample_site.content import (
    PRESS_EMAIL,
    UTM_QUERY,
    ArticleSpec,
    CardStyle,
    state_content,
)
from newsroom_archive.sample_site.pages import (
    HTML_TYPE,
    ROBOTS_TXT,
    TEXT_TYPE,
    Page,
    escape_attr,
    escape_text,
    http_date,
)
from newsroom_archive.sample_site.pages import cosmetic as _cosmetic
from newsroom_archive.sample_site.states import StateContent

__all__ = ["Page", "cf_email_encode", "render_content", "render_not_found", "render_site"]

SITE_NAME = "Amnesty International USA"
PLACEHOLDER = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
IMAGE_WIDTHS = ((480, 320), (1024, 683))
"""Resized copies listed in ``srcset`` besides the 1600 x 1067 original."""
REPORT_ICON = (
    '<img class="icon inline-block" src="/wp-content/themes/aiusa/assets/icons/report.svg" '
    'alt="Sheet of paper" width="12" height="16">'
)


def cf_email_encode(address: str, key: int) -> str:
    """Cloudflare's ``data-cfemail``: the key byte, then each byte XOR the key, in hex."""
    return f"{key:02x}" + "".join(f"{b ^ key:02x}" for b in address.encode())


def _cf_key(seed: str) -> int:
    # Cloudflare picks a random key per page view; a hash keeps pages reproducible.
    return 16 + hashlib.sha256(seed.encode()).digest()[0] % 224


def _cf_link(address: str, seed: str) -> str:
    hexed = cf_email_encode(address, _cf_key(seed))
    return (
        f'<a href="/cdn-cgi/l/email-protection" class="__cf_email__" '
        f'data-cfemail="{hexed}">[email&#160;protected]</a>'
    )


_text = escape_text
_attr = escape_attr


def _title(value: str) -> str:
    # WordPress writes the ampersands of post titles as a numeric entity.
    return _text(value).replace("&amp;", "&#038;")


def _link(base_url: str, path: str, utm: bool = False) -> str:
    return base_url + path + ("?" + _attr(UTM_QUERY) if utm else "")


def _srcset(base_url: str, image: str) -> str:
    stem = image.removesuffix(".jpg")
    sizes = [f"{base_url}{stem}-{w}x{h}.jpg {w}w" for w, h in IMAGE_WIDTHS]
    return ", ".join([*sizes, f"{base_url}{image} 1600w"])


def _figcaption(spec: ArticleSpec, css: str) -> str:
    parts = [_text(spec.caption)] if spec.caption else []
    if spec.credit and spec.credit_in == "span":
        parts.append(f'<span class="credit">{_text(spec.credit)}</span>')
    return f'<figcaption class="{css}">{" ".join(parts)}</figcaption>' if parts else ""


def _data_credit(spec: ArticleSpec) -> str:
    if spec.credit and spec.credit_in == "data-credit":
        return f' data-credit="{_attr(spec.credit)}"'
    return ""


def _card_image(spec: ArticleSpec, base_url: str) -> str:
    if not spec.image:
        return ""
    url = base_url + spec.image
    alt = _attr(spec.image_alt or "")
    if spec.lazy:
        img = (
            f'<img class="lazyload w-full aspect-video object-cover" src="{PLACEHOLDER}" '
            f'data-src="{url}" srcset="{_srcset(base_url, spec.image)}" '
            f'sizes="(max-width: 640px) 100vw, 480px" alt="{alt}" width="1600" height="1067"'
            f"{_data_credit(spec)}>"
        )
    else:
        img = (
            f'<img class="w-full aspect-video object-cover" src="{url}" alt="{alt}" '
            f'width="1600" height="1067"{_data_credit(spec)}>'
        )
    caption = _figcaption(spec, "sr-only card-md--caption")
    return f'<figure class="card-md--media">{img}{caption}</figure>\n'


def _card(spec: ArticleSpec, base_url: str, style: CardStyle, cosmetic: bool) -> str:
    # Both link forms occur in copies of the site; mixing them makes parsers resolve URLs.
    href = _link(base_url if spec.folder == "press-releases" else "", spec.path, cosmetic)
    if style == "drift":
        heading = f'<h2 class="card-title">{_title(spec.title)}</h2>\n'
    else:
        label = ""
        if spec.type_label:
            icon = REPORT_ICON + " " if spec.type_label == "Report" else ""
            label = f" • {icon}{_text(spec.type_label)}"
        heading = (
            f'<h3 class="utility-md">{_title(spec.title)}</h3>\n'
            f'<p class="card-md--tag--hocus utility-2xs mt-xs text-gray-300">'
            f"{spec.listing_date}{label}</p>\n"
        )
    card = (
        f'<div class="card-md h-full relative">\n'
        f'<a class="hocus-headline" href="{href}">\n'
        f"{_card_image(spec, base_url)}{heading}"
        f'<p class="body-xs mt-xs">{_text(spec.listing_teaser)}</p>\n'
        f"</a>\n</div>"
    )
    return _cosmetic(card) if cosmetic else card


_HEAD_ASSETS = """\
<link rel="stylesheet" id="aiusa-theme-css" media="all"
  href="/wp-content/themes/aiusa/assets/css/app.css?ver=2.3.1">
<link rel="preconnect" href="https://fonts.gstatic.com" crossorigin>
<script>window.dataLayer=window.dataLayer||[];
function gtag(){dataLayer.push(arguments);}gtag('js',new Date());</script>
<script id="wp-emoji-settings" type="application/json">
{"baseUrl":"https:\\/\\/s.w.org\\/images\\/core\\/emoji\\/14.0.0\\/72x72\\/","ext":".png"}
</script>"""

_HEADER = """\
<a class="skip-link screen-reader-text" href="#main">Skip to content</a>
<div class="alert-bar bg-yellow">
<p class="utility-xs">Sign up for action alerts <a href="/sign-up/">here</a>.</p></div>
<header class="site-header" role="banner">
<a class="site-logo" href="/"><img src="/wp-content/themes/aiusa/assets/logo.svg"
  alt="Amnesty International USA" width="160" height="48"></a>
<nav class="site-nav" aria-label="Main">
<ul class="menu">
<li class="menu-item"><a href="/issues/">Issues</a></li>
<li class="menu-item"><a href="/our-work/">Our Work</a></li>
<li class="menu-item current-menu-item"><a href="/news/">News</a></li>
<li class="menu-item"><a href="/take-action/">Take Action</a></li>
</ul>
<div class="mega-menu" hidden>
<div class="card-md h-full relative mega-menu__feature">
<a class="hocus-headline" href="/campaigns/write-for-rights/">
<h3 class="utility-md">Write for Rights</h3>
<p class="body-xs mt-xs">The world’s biggest letter-writing event.</p>
</a>
</div>
</div>
</nav>
<a class="btn btn-donate" href="/donate/">Donate</a>
</header>"""

_FOOTER = """\
<footer class="site-footer">
<nav aria-label="Footer"><ul class="menu">
<li><a href="/about-us/">About Us</a></li><li><a href="/news/">Newsroom</a></li>
<li><a href="/privacy-policy/">Privacy Policy</a></li><li><a href="/contact/">Contact</a></li>
</ul></nav>
<p class="utility-xs">Sample newsroom in the shapes of amnestyusa.org;
every article on it is invented.</p>
</footer>
<script src="/wp-includes/js/jquery/jquery.min.js?ver=3.6.0" id="jquery-core-js"></script>
<script src="/wp-content/themes/aiusa/assets/js/app.js?ver=2.3.1" id="aiusa-app-js" defer></script>
<script>document.querySelectorAll('img.lazyload').forEach(function(i){i.src=i.dataset.src;});
</script>"""


def _document(head: str, body_class: str, main: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en-US">\n<head>\n<meta charset="UTF-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'{head}\n{_HEAD_ASSETS}\n</head>\n<body class="{body_class}">\n{_HEADER}\n'
        f'<main id="main" class="site-main">\n{main}\n</main>\n{_FOOTER}\n</body>\n</html>\n'
    )


def _listing_url(page: int) -> str:
    return "/news/" if page == 1 else f"/news/page/{page}/"


def _listing(content: StateContent[ArticleSpec], page: int, base_url: str) -> str:
    if content.card_style == "news-card-2019":
        return _news_card_listing(content, page, base_url)
    cards = [a for a in content.listed if a.page == page]
    last = content.page_count
    suffix = "" if page == 1 else f" | Page {page} of {last}"
    head = [
        f"<title>Newsroom{suffix} | {SITE_NAME}</title>",
        f'<link rel="canonical" href="{base_url}{_listing_url(page)}">',
    ]
    nav = []
    if page > 1:
        head.append(f'<link rel="prev" href="{base_url}{_listing_url(page - 1)}">')
        nav.append(
            f'<div class="prev"><a class="prev" href="{_listing_url(page - 1)}">Previous</a></div>'
        )
    if page < last:
        head.append(f'<link rel="next" href="{base_url}{_listing_url(page + 1)}">')
        nav.append(
            f'<div class="next"><a class="next" href="{_listing_url(page + 1)}">Next</a></div>'
        )
    nav_html = "\n".join(nav)
    grid = "\n".join(
        _card(a, base_url, content.card_style, a.slug in content.cosmetic) for a in cards
    )
    main = (
        '<div class="wp-block-post-content">\n'
        '<h1 class="heading-xl">Newsroom</h1>\n'
        '<p class="body-md">News, reports and campaign updates from our researchers and '
        "campaigners.</p>\n"
        '<p class="body-md">If you are a member of the press, please reach out to '
        f"{_cf_link(PRESS_EMAIL, 'listing')}</p>\n"
        '<div class="filters"><a href="/news/?issue=refugee-migrant-rights">Refugee and '
        'Migrant Rights</a> <a href="/news/?issue=gun-violence">Gun Violence</a></div>\n'
        f'<div class="ts-grid-col-3-outline">\n{grid}\n</div>\n'
        f'<div class="pagination">\n{nav_html}\n</div>\n'
        "</div>"
    )
    return _document("\n".join(head), "archive blog wp-theme-aiusa", main)


def _news_card(spec: ArticleSpec, base_url: str) -> str:
    # The 2019–2021 order: photo, type label, title, teaser, date (site notes).
    figure = ""
    if spec.image:
        url = base_url + spec.image
        figure = (
            f'  <figure class="news-card__image"><img src="{PLACEHOLDER}" data-src="{url}" '
            f'alt="{_attr(spec.image_alt or "")}"{_data_credit(spec)}>'
            f"{_figcaption(spec, 'news-card__caption')}</figure>\n"
        )
    label = ""
    if spec.type_label:
        icon = (
            '<img class="icon" src="/wp-content/themes/aiusa/img/icon-report.svg" '
            'alt="Sheet of paper"> '
            if spec.type_label == "Report"
            else ""
        )
        label = f'  <span class="news-card__type">{icon}{_text(spec.type_label)}</span>\n'
    return (
        f'<article class="news-card">\n{figure}{label}'
        f'  <h2 class="news-card__title"><a href="{base_url}{spec.path}">'
        f"{_title(spec.title)}</a></h2>\n"
        f'  <div class="news-card__excerpt"><p>{_text(spec.listing_teaser)}</p></div>\n'
        f'  <span class="news-card__date">{spec.listing_date}</span>\n'
        "</article>"
    )


def _news_card_listing(content: StateContent[ArticleSpec], page: int, base_url: str) -> str:
    """A listing page of the 2019–2021 theme, as archived captures show it."""
    cards = "\n".join(_news_card(a, base_url) for a in content.page(page))
    suffix = "" if page == 1 else f" - Page {page}"
    nav = ""
    if page < content.page_count:
        nav = (
            f'<nav class="pagination"><div class="next"><a class="next" '
            f'href="{_listing_url(page + 1)}">Older posts</a></div></nav>\n'
        )
    return (
        '<!DOCTYPE html>\n<html lang="en-US">\n<head>\n<meta charset="UTF-8">\n'
        f"<title>Newsroom{suffix} - {SITE_NAME}</title>\n"
        f'<link rel="canonical" href="{base_url}{_listing_url(page)}">\n'
        f'<link rel="stylesheet" href="{base_url}/wp-content/themes/amnesty/style.css">\n'
        "</head>\n<body>\n"
        '<header class="site-header"><nav><ul><li><a href="/issues/">Issues</a></li>'
        '<li><a href="/news/">News</a></li><li><a href="/donate/">Donate</a></li></ul></nav>'
        "</header>\n"
        f'<main id="main"><section class="newsroom">\n<div class="news-listing">\n{cards}\n'
        f"</div>\n{nav}</section></main>\n"
        f'<footer class="site-footer"><p>&copy; {content.listing_modified.year} {SITE_NAME}'
        "</p></footer>\n</body>\n</html>\n"
    )


def _paragraph(spec: ArticleSpec, text: str, utm: bool) -> str:
    out = _text(text)
    for anchor, target in spec.links:
        out = out.replace(
            _text(anchor), f'<a href="{_link("", target, utm)}">{_text(anchor)}</a>', 1
        )
    if spec.email:
        out = out.replace(_text(spec.email), _cf_link(spec.email, spec.slug))
    return f"<p>{out}</p>"


def _json_ld(spec: ArticleSpec, url: str, image: str | None, ascii_only: bool) -> str:
    article: dict[str, object] = {
        "@type": "NewsArticle" if spec.folder == "press-releases" else "Article",
        "@id": url + "#article",
        "isPartOf": {"@id": url},
        "headline": spec.title,
        "datePublished": spec.published.isoformat(),
        "dateModified": spec.modified.isoformat(),
        "mainEntityOfPage": {"@id": url},
        "publisher": {"@id": "#organization"},
        "inLanguage": "en-US",
    }
    graph: list[dict[str, object]] = [
        article,
        {
            "@type": "WebPage",
            "@id": url,
            "url": url,
            "name": f"{spec.title} | {SITE_NAME}",
            "datePublished": spec.published.isoformat(),
            "dateModified": spec.modified.isoformat(),
        },
    ]
    if image:
        article["image"] = {"@id": url + "#primaryimage"}
        graph.append({"@type": "ImageObject", "@id": url + "#primaryimage", "url": image})
    graph.append({"@type": "Organization", "@id": "#organization", "name": SITE_NAME})
    text = json.dumps(
        {"@context": "https://schema.org", "@graph": graph},
        ensure_ascii=ascii_only,
        separators=(",", ":"),
    )
    # Yoast escapes every slash, which also keeps "</script>" out of the block.
    text = text.replace("/", "\\/")
    return f'<script type="application/ld+json" class="yoast-schema-graph">{text}</script>'


def _article(spec: ArticleSpec, base_url: str, cosmetic: bool) -> str:
    url = base_url + spec.path
    image = base_url + spec.image if spec.image else None
    head = [
        f"<title>{_title(spec.title)} | {SITE_NAME}</title>",
        f'<meta name="description" content="{_attr(spec.teaser_full)}">',
        f'<link rel="canonical" href="{url}">',
        '<meta property="og:locale" content="en_US">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{_attr(spec.title)}">',
        f'<meta property="og:description" content="{_attr(spec.teaser_full)}">',
        f'<meta property="og:url" content="{url}">',
        f'<meta property="og:site_name" content="{SITE_NAME}">',
    ]
    if spec.date_source in ("jsonld", "meta"):
        published = spec.published.isoformat()
        head.append(f'<meta property="article:published_time" content="{published}">')
    if spec.date_source == "jsonld":
        modified = spec.modified.isoformat()
        head.append(f'<meta property="article:modified_time" content="{modified}">')
    if image:
        head.append(f'<meta property="og:image" content="{image}">')
        head.append('<meta property="og:image:width" content="1600">')
        head.append('<meta property="og:image:height" content="1067">')
    if spec.date_source == "jsonld":
        head.append(_json_ld(spec, url, image, ascii_only=cosmetic))

    header = []
    if spec.type_label:
        header.append(f'<p class="utility-xs article-type">{_text(spec.type_label)}</p>')
    header.append(f'<h1 class="heading-xl">{_title(spec.title)}</h1>')
    if spec.date_source == "time-element":
        header.append(
            f'<p class="utility-xs article-date"><time datetime="{spec.published.isoformat()}">'
            f"{spec.listing_date}</time></p>"
        )
    figure = ""
    if spec.image and spec.hero:
        figure = (
            f'<figure class="relative"{_data_credit(spec)}>'
            f'<img class="lazyload w-full" src="{PLACEHOLDER}" data-src="{image}" '
            f'srcset="{_srcset(base_url, spec.image)}" sizes="100vw" '
            f'alt="{_attr(spec.image_alt or "")}" width="1600" height="1067">'
            f"{_figcaption(spec, 'utility-xs text-gray-500')}</figure>\n"
        )
    header_html = "\n".join(header)
    paragraphs = "\n".join(_paragraph(spec, p, cosmetic) for p in spec.body)
    related = _link("", f"/{spec.folder}/", cosmetic)
    more = f"More {_text(spec.type_label)}s" if spec.type_label else "More news"
    main = (
        '<div class="content-wrapper">\n'
        f'<article class="post type-{spec.folder} status-publish">\n'
        f'<header class="article-header">\n{header_html}\n</header>\n'
        f"{figure}"
        f'<div class="wp-block-post-content">\n{paragraphs}\n</div>\n'
        '<div class="share-links"><a href="https://twitter.com/intent/tweet?url='
        f'{_attr(url)}">Share on Twitter</a></div>\n'
        "</article>\n"
        f'<aside class="related"><h2 class="utility-md">More from the newsroom</h2>\n'
        f'<a href="{related}">{more}</a> '
        f'<a href="{_link("", "/news/", cosmetic)}">All news</a></aside>\n'
        "</div>"
    )
    page = _document("\n".join(head), f"single single-{spec.folder}", main)
    return _cosmetic(page) if cosmetic else page


def _not_found(base_url: str) -> str:
    main = (
        '<div class="content-wrapper">\n<h1 class="heading-xl">Page not found</h1>\n'
        "<p>The page you are looking for has moved or no longer exists. "
        f'Try the <a href="{base_url}/news/">newsroom</a>.</p>\n</div>'
    )
    return _document(f"<title>Page not found | {SITE_NAME}</title>", "error404", main)


def render_not_found(base_url: str = "") -> Page:
    return Page(404, _not_found(base_url.rstrip("/")).encode())


def render_site(state: str, base_url: str = "") -> dict[str, Page]:
    """Every page of a state by path. Links are absolute where the site's are, so give
    the base URL the pages will be served from (empty: root-relative everywhere)."""
    return render_content(state_content(state), base_url)


def render_content(content: StateContent[ArticleSpec], base_url: str = "") -> dict[str, Page]:
    """Every page of what a state publishes by path; ``render_site`` for a live state,
    and the newsroom's past (``wayback``) for the states of its archived captures."""
    base = base_url.rstrip("/")
    listing_modified = http_date(content.listing_modified)
    pages = {"/robots.txt": Page(200, ROBOTS_TXT, TEXT_TYPE)}
    for n in range(1, content.page_count + 1):
        pages[_listing_url(n)] = Page(
            200, _listing(content, n, base).encode(), HTML_TYPE, listing_modified
        )
    pages["/news/page/1/"] = Page(301, b"", HTML_TYPE, location="/news/")
    for spec in content.served:
        body = _article(spec, base, spec.slug in content.cosmetic).encode()
        pages[spec.path] = Page(200, body, HTML_TYPE, http_date(spec.modified))
    return pages
