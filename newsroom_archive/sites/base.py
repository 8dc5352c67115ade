"""What a newsroom provides to the crawl, ``extract`` and the tests: the typed interface.

A newsroom is a :class:`Newsroom` value: its name (the spider's, the archive source's),
where its listing starts, its normalisation rules, the card fields its listing always
shows, and the pure functions that turn a listing page and an article page (HTML and the
URL it came from) into records. Each module under ``newsroom_archive.sites`` defines one
as ``NEWSROOM``; the registry (``newsroom_archive.sites``) finds them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from parsel import Selector

from newsroom_archive.items import ArticlePage, ListingPage, ScrapedArticle
from newsroom_archive.normalise.rules import SourceRules
from newsroom_archive.sites.common import canonical_url

Html = str | Selector
"""A page's text, or a parsel selector already built over it."""


@dataclass(frozen=True)
class Newsroom:
    name: str
    """The spider's name, the archive source's and the fixtures' folder."""
    start_url: str
    """The first listing page."""
    rules: SourceRules
    required_card_fields: tuple[str, ...]
    """Fields every card of this listing shows: a card without one means the markup
    changed, and what was read is a broken parse, not an edit (the layout-drift guard)."""
    parse_listing: Callable[[Html, str], ListingPage]
    parse_article: Callable[[Html, str], ArticlePage]
    is_listing: Callable[[Html], bool]

    def read_page(self, html: Html, url: str) -> list[ScrapedArticle]:
        """A saved page as the spider would read it: a listing page gives one item per
        card, an article page one item (``newsroom-archive extract``)."""
        if self.is_listing(html):
            listing = self.parse_listing(html, url)
            return [
                ScrapedArticle(
                    source=self.name,
                    url=canonical_url(card.url),
                    card=card,
                    extractor=listing.extractor,
                )
                for card in listing.cards
            ]
        page = self.parse_article(html, url)
        return [ScrapedArticle(source=self.name, url=canonical_url(url), page=page)]
