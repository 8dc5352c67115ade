"""Scrapy settings for newsroom_archive: polite by default, for unattended runs."""

from __future__ import annotations

from newsroom_archive import __version__

BOT_NAME = "newsroom_archive"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
# Every newsroom of newsroom_archive.sites is a spider, with or without a module here.
SPIDER_LOADER_CLASS = "spiders.loader.NewsroomSpiderLoader"

# Identify the archive and give the newsroom a way to reach whoever runs it.
USER_AGENT = (
    f"newsroom-archive/{__version__} (research archive of public newsrooms; "
    "contact: archive-operator@example.org)"
)
ROBOTSTXT_OBEY = True

# One newsroom, gently: a couple of parallel requests, adapting to the server's speed.
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
COOKIES_ENABLED = False
# No listening ports: Scrapy's telnet console and its remote-control HTTP server (which
# runs code sent to it, and writes a job file to the home directory) are off.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# A redirect that loops or leaves the site fails its request with the reason, so that the
# card asking for the page is kept and counted (newsroom_archive/redirects.py). A crawl
# with `-a replay=PATH` is answered from WARC captures, last in the request path, and
# never reaches the network (newsroom_archive/warc/replay.py; idle in other crawls).
DOWNLOADER_MIDDLEWARES = {
    "newsroom_archive.redirects.OffsiteGuard": 60,
    "newsroom_archive.redirects.RedirectGuard": 610,
    # Next to the downloader: every response as it came off the wire, before it is
    # decompressed or its redirect followed (newsroom_archive/warc/middleware.py).
    "newsroom_archive.warc.middleware.WarcCaptureMiddleware": 960,
    # A replay (-a replay=PATH) answers every request from WARC captures, last before
    # any download handler (newsroom_archive/warc/replay.py).
    "newsroom_archive.warc.replay.ReplayMiddleware": 950,
}

ITEM_PIPELINES = {
    "pipelines.normalise.NormalisePipeline": 300,
    "pipelines.archive.ArchivePipeline": 800,
}

# The archive's side of the crawl: the run, the lock, removals and health. Late in the
# order, so that Scrapy's own extensions (stats, JOBDIR state) have run before it.
EXTENSIONS = {
    "newsroom_archive.extension.ArchiveExtension": 1000,
    # Progress every LOGSTATS_INTERVAL seconds, with what the archive made of it so far.
    "scrapy.extensions.logstats.LogStats": None,
    "newsroom_archive.crawl_log.CrawlProgress": 0,
}
LOGSTATS_INTERVAL = 30.0

# Where the archive goes: -s ARCHIVE_URL=..., else $NEWSROOM_ARCHIVE_URL, else
# sqlite:///data/newsroom.sqlite (resolved in newsroom_archive.archive.resolve_url).
ARCHIVE_URL = None
# Items written per transaction: a crash loses at most this many items' writes,
# which the next run fetches again.
ARCHIVE_BATCH_SIZE = 200

# The raw evidence: every response as a WARC record (docs/evidence.md). The folder
# defaults to warc/ beside a SQLite archive, else data/warc/; a file per run, a new one
# past WARC_MAX_BYTES.
WARC_ENABLED = True
WARC_DIR = None
WARC_MAX_BYTES = 1 << 30

# The health check at the end of every crawl: thresholds per source from a TOML file
# (else $NEWSROOM_HEALTH_CONFIG, else built-in defaults; docs/operations.md), and a command
# that receives the JSON report when a check fails (mail, chat).
HEALTH_CONFIG = None
HEALTH_NOTIFY = None

FEED_EXPORT_ENCODING = "utf-8"
# A quiet run logs a few lines: Scrapy's version line without the table of library
# versions, and no dump of the stats at the end (they are stored with the run, in
# crawl_runs.stats; the run's summary line says what matters). `scrapy crawl` drops the
# rest of the start-up listing at INFO (newsroom_archive.crawl_log).
LOG_LEVEL = "INFO"
LOG_VERSIONS: list[str] = []
STATS_DUMP = False
COMMANDS_MODULE = "newsroom_archive.commands"
