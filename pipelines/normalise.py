"""Turn each scraped article into research-grade fields (see newsroom_archive.normalise)."""

from __future__ import annotations

import dataclasses
from typing import Self

from scrapy.crawler import Crawler

from newsroom_archive import stats as keys
from newsroom_archive.items import NormalisedArticle, ScrapedArticle
from newsroom_archive.normalise import build_record, validate
from newsroom_archive.sites import get_site


class NormalisePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: object) -> object:
        if not isinstance(item, ScrapedArticle):
            return item
        record = build_record(item, get_site(item.source).rules)
        stats = self.crawler.stats
        assert stats is not None
        # Coverage of parsed pages apart: a 304 or a card-only item has no page fields.
        complete = item.page is not None
        if complete:
            stats.inc_value(keys.ITEM_PAGES)
        for field in dataclasses.fields(record):
            if getattr(record, field.name) in (None, []):
                stats.inc_value(keys.ITEM_MISSING + field.name)
                if complete:
                    stats.inc_value(keys.ITEM_PAGE_MISSING + field.name)
        return NormalisedArticle(
            record=record,
            sighting=item.sighting,
            fetch=item.fetch,
            complete=complete,
            problems=[*item.parse_errors, *validate(record, item)],
            raw=dataclasses.asdict(item),
        )
