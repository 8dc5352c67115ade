"""Run ``scrapy crawl`` in a child process, as cron or Scrapyd would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

# Settings for crawling the bundled sample newsroom on loopback: no politeness
# delays are needed against our own server, and it has no robots.txt rules to fear.
LOOPBACK_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "RETRY_TIMES": "0",
}


def crawl_command(
    spider: str,
    *,
    archive_url: str | None,
    spider_args: Mapping[str, object] | None = None,
    settings: Mapping[str, str] | None = None,
) -> list[str]:
    # The environment's own `scrapy` script, as cron would run it; `-m scrapy` otherwise.
    script = Path(sys.executable).with_name("scrapy")
    launcher = [str(script)] if script.exists() else [sys.executable, "-m", "scrapy"]
    command = [*launcher, "crawl", spider]
    if archive_url is not None:
        command += ["-s", f"ARCHIVE_URL={archive_url}"]
    for name, setting in (settings or {}).items():
        command += ["-s", f"{name}={setting}"]
    for name, arg in (spider_args or {}).items():
        if arg is not None:
            command += ["-a", f"{name}={arg}"]
    return command


def crawl_environment(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a crawl process (default: this one's)."""
    env = dict(os.environ if env is None else env)
    # Works from any directory, with or without scrapy.cfg beside it.
    env.setdefault("SCRAPY_SETTINGS_MODULE", "newsroom_archive.settings")
    return env


def run_crawl(
    spider: str,
    *,
    archive_url: str | None,
    spider_args: Mapping[str, object] | None = None,
    settings: Mapping[str, str] | None = None,
    capture: bool = True,
    timeout: float = 600,
    cwd: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``archive_url=None`` leaves the choice to the crawl: $NEWSROOM_ARCHIVE_URL, else
    data/newsroom.sqlite below ``cwd``."""
    env = crawl_environment(env)
    return subprocess.run(
        crawl_command(spider, archive_url=archive_url, spider_args=spider_args, settings=settings),
        env=env,
        cwd=cwd,
        capture_output=capture,
        text=True,
        timeout=timeout,
        check=False,
    )
