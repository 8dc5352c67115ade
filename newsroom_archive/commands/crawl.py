"""``scrapy crawl`` that rejects bad spider arguments with a one-line error.

Scrapy creates the spider inside its event loop, where an exception from the
spider's constructor surfaces as a traceback; checking the arguments first keeps
the message to one line and the exit status at 2.
"""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawlCommand


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) == 1 and self.crawler_process is not None:
            try:
                spidercls = self.crawler_process.spider_loader.load(args[0])
            except KeyError:
                spidercls = None  # Scrapy reports an unknown spider itself
            check = getattr(spidercls, "parse_arguments", None)
            if check is not None:
                check(**opts.spargs)
        super().run(args, opts)
