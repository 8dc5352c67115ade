"""Scrapy's spider loader, plus one spider for every newsroom of the registry.

A newsroom whose crawl needs nothing beyond the shared ``NewsroomSpider`` has no spider
module of its own: adding its module under ``newsroom_archive.sites`` is enough for
``scrapy crawl NAME``, Scrapyd and ``scrapy list``. A module in ``spiders/`` with the
same name takes precedence, for a newsroom that needs its own crawling.
"""

from __future__ import annotations

from scrapy.spiderloader import SpiderLoader

from newsroom_archive.sites import Newsroom, sites
from spiders.base import NewsroomSpider


def spider_class(newsroom: Newsroom) -> type[NewsroomSpider]:
    title = "".join(part.capitalize() for part in newsroom.name.replace("_", "-").split("-"))
    return type(
        f"{title}Spider",
        (NewsroomSpider,),
        {
            "name": newsroom.name,
            "site": newsroom,
            # The newsroom's politeness overrides; command-line settings still win.
            "custom_settings": dict(newsroom.settings) or None,
            "__module__": __name__,
        },
    )


class NewsroomSpiderLoader(SpiderLoader):
    def _load_all_spiders(self) -> None:
        super()._load_all_spiders()
        for name, newsroom in sites().items():
            if name not in self._spiders:
                self._spiders[name] = spider_class(newsroom)
                self._found[name].append((__name__, self._spiders[name].__name__))
