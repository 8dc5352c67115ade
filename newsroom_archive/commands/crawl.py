"""``scrapy crawl`` for unattended runs.

- Bad spider arguments get a one-line error (Scrapy creates the spider inside its event
  loop, where an exception from its constructor surfaces as a traceback).
- One crawl per archive and spider at a time: a second one is refused with a message,
  and a lock left by a dead process is taken over.
- The exit status is 1 when the run failed or its health check did, so cron, systemd and
  Scrapyd see it.
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from sqlalchemy import select

from newsroom_archive.archive import Archive, ArchiveError, resolve_url
from newsroom_archive.archive.models import CrawlRun
from newsroom_archive.extension import lock_name, writes_archive

logger = logging.getLogger(__name__)


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1 or self.crawler_process is None:
            super().run(args, opts)
            return
        name = args[0]
        try:
            spidercls = self.crawler_process.spider_loader.load(name)
        except KeyError:
            spidercls = None  # Scrapy reports an unknown spider itself
        check = getattr(spidercls, "parse_arguments", None)
        if check is not None:
            check(**opts.spargs)
        if spidercls is None or not writes_archive(self.crawler_process.settings):
            super().run(args, opts)
            return

        # Taken here, before Scrapy starts, so that a refusal is one line and exit 1;
        # the archive extension holds it for the crawl.
        lock = lock_name(name)
        try:
            archive = Archive(resolve_url(self.crawler_process.settings.get("ARCHIVE_URL")))
            taken_over = archive.acquire_lock(lock)
        except ArchiveError as exc:
            print(f"scrapy crawl {name}: refused: {exc}", file=sys.stderr)
            self.exitcode = 1
            return
        if taken_over:
            logger.warning("crawl lock %s: %s", lock, taken_over)
        try:
            super().run(args, opts)
        finally:
            archive.release_lock(lock)
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
