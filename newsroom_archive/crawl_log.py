"""What a crawl's log says: progress while it runs, and none of the start-up noise.

A cron log should grow by a few lines per quiet run: Scrapy's lists of enabled
components, its overridden settings and Alembic's migration context are dropped at INFO
(they come back with ``-s LOG_LEVEL=DEBUG``). The run's summary line is the archive
extension's, which alone knows the run's counts when it ends.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider
from scrapy.extensions.logstats import LogStats
from scrapy.settings import BaseSettings
from scrapy.utils.asyncio import create_looping_call

from newsroom_archive import stats as keys

logger = logging.getLogger(__name__)

# (logger, start of the message): INFO records of Scrapy and Alembic that describe the
# set-up, identical every run.
_START_UP_NOISE = (
    ("scrapy.addons", "Enabled addons"),
    ("scrapy.middleware", "Enabled "),
    ("scrapy.crawler", "Overridden settings"),
    ("alembic.runtime.migration", ""),
)


class _DropStartUpNoise(logging.Filter):
    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.INFO or not str(record.msg).startswith(self.prefix)


def quiet_start_up(settings: BaseSettings) -> None:
    """Drop the start-up noise from this process's log, unless it logs at DEBUG."""
    if str(settings.get("LOG_LEVEL", "DEBUG")).upper() == "DEBUG":
        return
    for name, prefix in _START_UP_NOISE:
        target = logging.getLogger(name)
        if not any(isinstance(f, _DropStartUpNoise) for f in target.filters):
            target.addFilter(_DropStartUpNoise(prefix))


class CrawlProgress(LogStats):
    """Scrapy's ``LogStats``, saying what the archive made of the items so far; every
    ``LOGSTATS_INTERVAL`` seconds, from the first interval on (a quiet run that ends
    sooner logs none)."""

    def spider_opened(self, spider: Spider) -> None:
        # As LogStats does, but without its line at time zero, which says nothing.
        self.pagesprev, self.itemsprev = 0, 0
        self.task = create_looping_call(self.log, spider)
        self.task.start(self.interval, now=False)

    def log(self, spider: Spider) -> None:
        self.calculate_stats()
        counts = _archive_counts(spider)
        archived = (
            f"; archived so far: {counts.get('new', 0)} new, {counts.get('changed', 0)} changed, "
            f"{counts.get('unchanged', 0)} unchanged"
            if counts is not None
            else ""
        )
        failed = self.stats.get_value(keys.ARTICLE_NOT_FETCHED, 0)
        logger.info(
            "progress: %d pages fetched (%d/min), %d items scraped (%d/min)%s%s",
            self.pages,
            self.prate,
            self.items,
            self.irate,
            archived,
            f"; {failed} article pages not fetched" if failed else "",
            extra={"spider": spider},
        )


def _archive_counts(spider: Spider) -> dict[str, int] | None:
    from newsroom_archive.extension import ArchiveExtension

    crawler: Any = getattr(spider, "crawler", None)
    archive = crawler.get_extension(ArchiveExtension) if crawler is not None else None
    return archive.counts() if archive is not None else None
