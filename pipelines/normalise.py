"""Turn each scraped article into research-grade fields (see newsroom_archive.normalise)."""

from __future__ import annotations

import dataclasses
from typing import Self

from scrapy.crawler import Crawler

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
        record = build_record(item, get_site(item.source).RULES)
        stats = self.crawler.stats
        assert stats is not None
        for field in dataclasses.fields(record):
            if getattr(record, field.name) in (None, []):
                stats.inc_value(f"item/missing/{field.name}")
        return NormalisedArticle(
            record=record,
            sighting=item.sighting,
            fetch=item.fetch,
            complete=item.page is not None,
            problems=[*item.parse_errors, *validate(record, item)],
            raw=dataclasses.asdict(item),
        )
