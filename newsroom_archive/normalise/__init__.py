"""Normalisation: pure functions from scraped values to research-grade fields.

No Scrapy in here. ``build_record`` is the one entry point the pipeline and the
``extract`` command use.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

from newsroom_archive.items import ArticleRecord, ListingCard, ScrapedArticle


@dataclass(frozen=True)
class SourceRules:
    """What normalisation needs to know about one newsroom."""

    name: str
    day_first: bool = False
    """How to read an ambiguous numeric date such as 03/04/2020 on this source."""
    title_suffixes: tuple[str, ...] = ()
    language: str = "en"
    kind_folders: dict[str, str] = field(default_factory=dict)


_WS = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]+>")


def clean_text(value: str | None) -> str | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFC", html.unescape(_TAG.sub(" ", value)))
    text = _WS.sub(" ", text.replace("\u200b", "")).strip()
    return text or None


def build_record(item: ScrapedArticle, rules: SourceRules) -> ArticleRecord:
    card: ListingCard | None = item.card
    page = item.page
    title = clean_text((page.title if page else None) or (card.title if card else None))
    teaser = clean_text(card.teaser if card else None) or clean_text(
        page.description if page else None
    )
    return ArticleRecord(
        source=item.source,
        url=item.url,
        title=title,
        type_label=clean_text(card.type_label if card else None),
        teaser=teaser,
        body=clean_text(page.body if page else None),
        image_url=(page.image_url if page else None) or (card.image_url if card else None),
        image_alt=clean_text((page.image_alt if page else None) or (card.image_alt if card else None)),
        caption=clean_text((page.caption if page else None) or (card.caption if card else None)),
    )


def validate(record: ArticleRecord) -> list[str]:
    problems = []
    if not record.url.startswith(("http://", "https://")):
        problems.append("url is not absolute")
    if not record.title:
        problems.append("title missing")
    return problems
