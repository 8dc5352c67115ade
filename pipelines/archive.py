"""Hand normalised articles and removal checks to the archive of this crawl.

The archive's side of the crawl (the run, the lock, removals, health) is the
``ArchiveExtension``; this pipeline is only the place in Scrapy's item flow where items
reach it.
"""

from __future__ import annotations

from typing import Self

from scrapy.crawler import Crawler

from newsroom_archive.extension import ArchiveExtension


class ArchivePipeline:
    writes_to_archive = True
    """Enables the ``ArchiveExtension`` (``newsroom_archive.extension.writes_archive``)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.archive: ArchiveExtension | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def open_spider(self) -> None:
        self.archive = self.crawler.get_extension(ArchiveExtension)

    def process_item(self, item: object) -> object:
        if self.archive is not None:
            self.archive.write(item)
        return item
