"""Write normalised articles into the archive, one crawl run per spider run."""

from __future__ import annotations

from typing import Any, Self
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newsroom_archive import signals as newsroom_signals
from newsroom_archive.archive import Archive, ArchiveError, resolve_url
from newsroom_archive.items import KnownArticle, NormalisedArticle, RemovalCheck

_STATE_RUN = "newsroom_run_id"

# Scrapy's finish reasons that mean the crawl was cut short from outside.
_INTERRUPTED = {"shutdown", "cancelled"}


class ArchivePipeline:
    def __init__(self, crawler: Crawler, url: str) -> None:
        self.crawler = crawler
        self.url = url
        self.archive: Archive | None = None
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        url = resolve_url(crawler.settings.get("ARCHIVE_URL"))
        if not url:
            raise NotConfigured("no archive URL")
        pipeline = cls(crawler, url)
        # spider_opened, not open_spider: with JOBDIR, Scrapy's SpiderState extension
        # loads `spider.state` on that signal, and its handler was connected before ours.
        crawler.signals.connect(pipeline.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(
            pipeline.removal_candidates, signal=newsroom_signals.removal_candidates
        )
        crawler.signals.connect(pipeline.known_articles, signal=newsroom_signals.known_articles)
        return pipeline

    def open_spider(self) -> None:
        spider = self.crawler.spider
        assert spider is not None
        try:
            self.archive = Archive(
                self.url, batch_size=self.crawler.settings.getint("ARCHIVE_BATCH_SIZE", 200)
            )
        except ArchiveError as exc:
            spider.logger.error("%s", exc)
            raise

    def spider_opened(self, spider: Any) -> None:
        assert self.archive is not None
        # With JOBDIR, Scrapy keeps `spider.state` across an interruption: a resumed
        # crawl is a new run that continues the one recorded there.
        state = getattr(spider, "state", None)
        previous = state.get(_STATE_RUN) if isinstance(state, dict) else None
        self.run_id = self.archive.start_run(
            source=spider.name,
            spider=spider.name,
            mode=getattr(spider, "mode", "full"),
            args=getattr(spider, "spider_args", {}),
            resumed_from=previous,
        )
        if isinstance(state, dict):
            state[_STATE_RUN] = self.run_id
        if previous is not None:
            spider.logger.info("run %s resumes run %s", self.run_id, previous)
        spider.logger.info("archive %s, run %s", self.archive.location, self.run_id)

    def known_articles(self, spider: Any) -> dict[str, KnownArticle]:
        if self.archive is None:
            return {}
        return self.archive.known_articles(spider.name)

    def removal_candidates(self, spider: Any) -> list[str]:
        if self.archive is None or self.run_id is None:
            return []
        parts = urlsplit(spider.start_url)
        return self.archive.unseen_articles(
            spider.name, self.run_id, url_prefix=f"{parts.scheme}://{parts.netloc}/"
        )

    def process_item(self, item: object) -> object:
        if self.archive is None or self.run_id is None:
            return item
        if isinstance(item, RemovalCheck):
            self.archive.record_check(self.run_id, item.url, item.status)
            return item
        if not isinstance(item, NormalisedArticle):
            return item
        if item.complete and item.problems:
            self.archive.quarantine(
                self.run_id, item.record.source, item.record.url, "; ".join(item.problems), item.raw
            )
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("item/quarantined")
            return item
        self.archive.add(self.run_id, item)
        return item

    def close_spider(self) -> None:
        if self.archive is not None:
            # Before the stats are final, so they count these too.
            quarantined = self.archive.settle()
            if quarantined and self.crawler.stats is not None:
                self.crawler.stats.inc_value("item/quarantined", quarantined)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.archive is None or self.run_id is None:
            return
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        errors = int(stats.get("log_count/ERROR", 0)) + int(stats.get("spider_exceptions", 0))
        if reason in _INTERRUPTED:
            status = "interrupted"
        elif reason == "finished" and errors == 0:
            status = "finished"
        else:
            status = "failed"
        self.archive.finish_run(
            self.run_id,
            status,
            stats=stats,
            finish_reason=reason,
            pages_fetched=int(stats.get("downloader/response_count", 0)),
            errors=errors,
            stop_reason=stats.get("newsroom/stop_reason"),
            apply_removals=False,
        )
        healthy = self._check_health(spider)
        # A run whose health check failed read the site wrongly: no evidence of removals.
        self.archive.apply_removals(self.run_id, status if healthy else "unhealthy")
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("newsroom/run_id", self.run_id)
            self.crawler.stats.set_value("newsroom/run_status", status)
            self.crawler.stats.set_value("newsroom/health_ok", healthy)
        self.archive.close()

    def _check_health(self, spider: Any) -> bool:
        from newsroom_archive.health import end_of_crawl

        assert self.archive is not None and self.run_id is not None
        settings = self.crawler.settings
        report = end_of_crawl(
            self.archive,
            self.run_id,
            notify_command=settings.get("HEALTH_NOTIFY") or None,
            config_path=settings.get("HEALTH_CONFIG") or None,
        )
        return report.ok
