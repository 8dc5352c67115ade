"""The archive's side of a crawl, as a Scrapy extension.

One crawl is one run in the archive. This extension opens the archive and the run when
the spider opens (continuing the run of an interrupted JOBDIR crawl), holds the crawl
lock, tells the spider what the archive knows, writes what the item pipeline hands it,
asks the newsroom about unseen articles when a full crawl has read its whole listing, and
at the end closes the run with its status, judges its health and only then its removals.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.settings import BaseSettings
from scrapy.utils.conf import build_component_list
from scrapy.utils.misc import load_object

from newsroom_archive import stats as keys
from newsroom_archive.archive import Archive, resolve_url
from newsroom_archive.archive.locks import crawl_lock as lock_name
from newsroom_archive.items import KnownArticle, NormalisedArticle, RemovalCheck
from newsroom_archive.warc.capture import DEFAULT_MAX_BYTES, CaptureRef, WarcCapture

if TYPE_CHECKING:
    from newsroom_archive.planner import CrawlPlanner

logger = logging.getLogger(__name__)

_STATE_RUN = "newsroom_run_id"

# Scrapy's finish reasons that mean the crawl was cut short from outside.
_INTERRUPTED = {"shutdown", "cancelled"}


def writes_archive(settings: BaseSettings) -> bool:
    """Whether this crawl writes to an archive: an enabled item pipeline says it does
    (``writes_to_archive``), so ``ITEM_PIPELINES={}`` crawls without one."""
    components = build_component_list(
        settings.get_component_priority_dict_with_base("ITEM_PIPELINES")
    )
    for component in components:
        try:
            loaded = load_object(component) if isinstance(component, str) else component
        except (ImportError, NameError, ValueError):
            continue  # Scrapy itself reports a pipeline that cannot be loaded
        if getattr(loaded, "writes_to_archive", False):
            return True
    return False


def run_status(reason: str, errors: int) -> str:
    """A run's status from Scrapy's finish reason and its error count."""
    if reason in _INTERRUPTED:
        return "interrupted"
    if reason == "finished" and errors == 0:
        return "finished"
    return "failed"


def summary(
    run_id: int,
    status: str,
    reason: str,
    stats: dict[str, Any],
    counts: dict[str, int],
    errors: int,
    healthy: bool,
) -> str:
    """The run in one line, the last a crawl logs (a cron log's line per run)."""
    why = "" if reason == status else f" ({reason})"
    tally = ", ".join(
        f"{counts.get(name, 0)} {name}"
        for name in ("new", "changed", "unchanged", "removed", "quarantined")
    )
    return (
        f"run {run_id} {status}{why}: {int(stats.get(keys.RESPONSE_COUNT, 0))} pages, "
        f"{int(stats.get(keys.LISTING_CARDS, 0))} cards; {tally}; {errors} errors, "
        f"{int(stats.get(keys.ARTICLE_NOT_FETCHED, 0))} article pages not fetched, "
        f"health {'ok' if healthy else 'failed'}"
    )


class ArchiveExtension:
    def __init__(self, crawler: Crawler, archive: Archive) -> None:
        self.crawler = crawler
        self.archive = archive
        self.run_id: int | None = None
        self.lock: str | None = None
        self.capture: WarcCapture | None = None
        """The run's WARC files (None when capture is off)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not writes_archive(settings):
            raise NotConfigured("no item pipeline writes to the archive")
        archive = Archive(
            resolve_url(settings.get("ARCHIVE_URL")),
            batch_size=settings.getint("ARCHIVE_BATCH_SIZE", 200),
        )
        extension = cls(crawler, archive)
        # spider_opened, after Scrapy's SpiderState extension has loaded `spider.state`
        # (JOBDIR), which runs first because this extension comes later in EXTENSIONS.
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    # -- what the spider and the pipeline call ---------------------------------------

    def known_articles(self, source: str) -> dict[str, KnownArticle]:
        return self.archive.known_articles(source)

    def write(self, item: object) -> None:
        """Archive one item of this run: a normalised article or a removal check."""
        if self.run_id is None:
            return
        if isinstance(item, RemovalCheck):
            self.archive.record_check(self.run_id, item.url, item.status, item.warc_record_id)
        elif isinstance(item, NormalisedArticle):
            if item.complete and item.problems:
                record = item.record
                reason = "; ".join(item.problems)
                self.archive.quarantine(self.run_id, record.source, record.url, reason, item.raw)
                self._stats().inc_value(keys.ITEM_QUARANTINED)
            else:
                self.archive.add(self.run_id, item)

    def captured(self, ref: CaptureRef) -> None:
        """A record the capture wrote: its row goes in with the run's next write."""
        self.archive.add_capture(self.run_id, ref)

    def counts(self) -> dict[str, int]:
        """What this run has archived so far (new, changed, unchanged, ...)."""
        if self.run_id is None:
            return {}
        return dict(self.archive.runs.tally(self.run_id).counts)

    # -- the run's lifecycle ------------------------------------------------------------

    def spider_opened(self, spider: Any) -> None:
        # Re-entrant for this process: `scrapy crawl` took it already to refuse cleanly.
        self.lock = lock_name(spider.name)
        taken_over = self.archive.acquire_lock(self.lock)
        if taken_over:
            logger.warning("crawl lock %s: %s", self.lock, taken_over)
        # With JOBDIR, Scrapy keeps `spider.state` across an interruption: a resumed
        # crawl is a new run that continues the one recorded there.
        state = getattr(spider, "state", None)
        previous = state.get(_STATE_RUN) if isinstance(state, dict) else None
        policy = spider.policy
        self.run_id = self.archive.start_run(
            source=spider.name,
            spider=spider.name,
            mode=policy.mode,
            args=policy.as_arguments(),
            resumed_from=previous,
        )
        if isinstance(state, dict):
            state[_STATE_RUN] = self.run_id
        if previous is not None:
            spider.logger.info("run %s resumes run %s", self.run_id, previous)
        self.capture = self._open_capture(spider)
        where = f", WARC in {self.capture.folder}" if self.capture is not None else ""
        spider.logger.info("archive %s, run %s%s", self.archive.location, self.run_id, where)

    def _open_capture(self, spider: Any) -> WarcCapture | None:
        from newsroom_archive import __version__
        from newsroom_archive.warc import warc_dir

        settings = self.crawler.settings
        if not settings.getbool("WARC_ENABLED", True):
            return None
        assert self.run_id is not None
        folder = warc_dir(self.archive.db.url, settings.get("WARC_DIR") or None)
        capture = WarcCapture(
            folder,
            source=spider.name,
            run_id=self.run_id,
            software=f"newsroom-archive/{__version__}",
            settings={
                "spider": spider.name,
                "arguments": spider.policy.as_arguments(),
                "user_agent": settings.get("USER_AGENT"),
                "download_delay": settings.getfloat("DOWNLOAD_DELAY"),
                "robotstxt_obey": settings.getbool("ROBOTSTXT_OBEY"),
            },
            earlier=self.archive.captured_responses(spider.name),
            max_bytes=settings.getint("WARC_MAX_BYTES", DEFAULT_MAX_BYTES),
        )
        return capture

    def spider_idle(self, spider: Any) -> None:
        """After a complete full crawl, ask the newsroom for each archived article it did
        not see. What the answers mean is judged when the run closes (``spider_closed``),
        and only for a run that finished cleanly and healthily."""
        planner: CrawlPlanner = spider.planner
        if self.run_id is None or not planner.removal_checks_due():
            return
        urls = self.archive.unseen_articles(
            spider.name, self.run_id, url_prefix=planner.policy.site_prefix
        )
        if not urls:
            return
        spider.logger.info("checking %d archived articles not seen on the listing", len(urls))
        assert self.crawler.engine is not None
        for url in urls:
            self.crawler.engine.crawl(spider.removal_check(url))
        raise DontCloseSpider

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.run_id is None:
            self.archive.close()
            return
        stats = self._stats()
        # Before the stats are read, so they count these too.
        quarantined = self.archive.settle()
        if quarantined:
            stats.inc_value(keys.ITEM_QUARANTINED, quarantined)
        values = stats.get_stats()
        errors = int(values.get(keys.LOG_ERRORS, 0)) + int(values.get(keys.SPIDER_EXCEPTIONS, 0))
        status = run_status(reason, errors)
        self.archive.finish_run(
            self.run_id,
            status,
            stats=values,
            finish_reason=reason,
            pages_fetched=int(values.get(keys.RESPONSE_COUNT, 0)),
            errors=errors,
            stop_reason=values.get(keys.STOP_REASON),
            apply_removals=False,
        )
        healthy = self._check_health()
        # A run whose health check failed read the site wrongly: no evidence of removals.
        self.archive.apply_removals(self.run_id, status if healthy else "unhealthy")
        stats.set_value(keys.RUN_ID, self.run_id)
        stats.set_value(keys.RUN_STATUS, status)
        stats.set_value(keys.HEALTH_OK, healthy)
        spider.logger.info(
            summary(self.run_id, status, reason, values, self.counts(), errors, healthy)
        )
        if self.capture is not None:
            self.capture.close()
        if self.lock is not None:
            self.archive.release_lock(self.lock)
        self.archive.close()

    def _check_health(self) -> bool:
        from newsroom_archive.health import end_of_crawl

        assert self.run_id is not None
        settings = self.crawler.settings
        report = end_of_crawl(
            self.archive,
            self.run_id,
            notify_command=settings.get("HEALTH_NOTIFY") or None,
            config_path=settings.get("HEALTH_CONFIG") or None,
        )
        return report.ok

    def _stats(self) -> Any:
        assert self.crawler.stats is not None
        return self.crawler.stats
