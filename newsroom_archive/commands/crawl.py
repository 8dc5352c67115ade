"""``scrapy crawl`` for unattended runs.

- Bad or unknown spider arguments get one line on stderr and exit 2, before Scrapy starts
  (inside its event loop an exception from the spider's constructor is a traceback, and
  a mistyped argument must never start a crawl of the live site).
- One crawl per archive and spider at a time: a second one is refused with one line and
  exit 75 (EX_TEMPFAIL: try again later, not a failure), and a lock left by a dead
  process is taken over.
- The exit status is 1 when the run failed or its health check did, so cron, systemd and
  Scrapyd see it.
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys
from difflib import get_close_matches
from typing import NoReturn

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError
from scrapy.settings import Settings
from scrapy.spiderloader import get_spider_loader
from sqlalchemy import select

from newsroom_archive.archive import Archive, ArchiveError, resolve_url
from newsroom_archive.archive.locks import LockHeld
from newsroom_archive.archive.models import CrawlRun
from newsroom_archive.crawl_log import quiet_start_up
from newsroom_archive.extension import lock_name, writes_archive

logger = logging.getLogger(__name__)


EX_TEMPFAIL = 75
"""sysexits.h: a temporary failure; the same crawl later will do (the lock was held)."""


class Command(ScrapyCrawlCommand):
    archive: Archive | None = None
    """The archive whose crawl lock this process holds, taken before Scrapy starts."""

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        # Everything that can refuse the crawl is checked here, before Scrapy's start-up
        # log: a refusal is one line on stderr, what a cron mail or a job log shows.
        try:
            super().process_options(args, opts)
            name = self._spider_name(args)
            spidercls = get_spider_loader(self._settings).load(name)
            check = getattr(spidercls, "parse_arguments", None)
            if check is not None:
                check(**opts.spargs)
        except UsageError as exc:
            # In argparse's words, as Scrapy's own usage errors have them, on one line.
            refuse(f"scrapy: error: {exc}", 2)
        quiet_start_up(self._settings)
        if writes_archive(self._settings):
            self.archive = self._lock(name)

    @property
    def _settings(self) -> Settings:
        assert self.settings is not None  # Scrapy sets them before process_options
        return self.settings

    def _spider_name(self, args: list[str]) -> str:
        known = sorted(get_spider_loader(self._settings).list())
        if len(args) != 1:
            raise UsageError(f"give one spider name (known: {', '.join(known)})")
        if args[0] not in known:
            close = get_close_matches(args[0], known, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise UsageError(f"unknown spider {args[0]!r}{hint}; known: {', '.join(known)}")
        return args[0]

    def _lock(self, name: str) -> Archive:
        """The archive, with this spider's crawl lock held; the archive extension holds
        it for the crawl, and ``run`` releases it."""
        lock = lock_name(name)
        try:
            archive = Archive(resolve_url(self._settings.get("ARCHIVE_URL")))
            taken_over = archive.acquire_lock(lock)
        except ArchiveError as exc:
            refuse(
                f"scrapy crawl {name}: refused: {exc}",
                EX_TEMPFAIL if isinstance(exc, LockHeld) else 1,
            )
        if taken_over:
            logger.warning("crawl lock %s: %s", lock, taken_over)
        return archive

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        archive = self.archive
        if archive is None:
            super().run(args, opts)
            return
        try:
            super().run(args, opts)
        finally:
            archive.release_lock(lock_name(args[0]))
        if self.exitcode == 0:
            self.exitcode = self._outcome(archive)
        archive.engine.dispose()

    def _outcome(self, archive: Archive) -> int:
        """1 unless this process's run finished and passed its health check."""
        with archive.engine.connect() as conn:
            run = conn.execute(
                select(CrawlRun.status, CrawlRun.health_ok)
                .where(CrawlRun.pid == os.getpid(), CrawlRun.hostname == socket.gethostname())
                .order_by(CrawlRun.id.desc())
                .limit(1)
            ).first()
        if run is None:
            return 1
        return 0 if run.status == "finished" and run.health_ok is not False else 1


def refuse(message: str, status: int) -> NoReturn:
    print(message, file=sys.stderr)
    raise SystemExit(status)
