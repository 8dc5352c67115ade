"""Scrapyd, as docs/operations.md deploys it: a Scrapyd on loopback, the egg built by
`scrapyd-deploy --build-egg` from the document's `scrapy.cfg` and `setup.py`, uploaded to
`addversion.json`, a crawl of the sample newsroom scheduled through `schedule.json`, and
the articles found in the archive.

Every request goes to 127.0.0.1: Scrapyd, the sample newsroom and the crawl it runs.
"""

from __future__ import annotations

import configparser
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsroom_archive.crawl import LOOPBACK_SETTINGS
from newsroom_archive.sample_site import SampleNewsroom, article_url, expected_articles
from newsroom_archive.sites import sites
from tests.helpers.docs import block

pytest.importorskip("scrapyd", reason="Scrapyd is not installed (pip install scrapyd)")
pytest.importorskip(
    "scrapyd_client", reason="scrapyd-client is not installed (pip install scrapyd-client)"
)
pytest.importorskip("setuptools", reason="building the egg needs setuptools")

pytestmark = pytest.mark.crawl

PROJECT = "newsroom_archive"
# Proxies from the environment must not see loopback traffic.
HTTP = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def call(base: str, endpoint: str, data: bytes | None = None, **headers: str) -> dict[str, Any]:
    request = urllib.request.Request(f"{base}/{endpoint}", data=data, headers=headers)
    with HTTP.open(request, timeout=30) as response:
        answer: dict[str, Any] = json.loads(response.read())
    assert answer["status"] == "ok", answer
    return answer


def form(fields: list[tuple[str, str]]) -> bytes:
    return urllib.parse.urlencode(fields).encode("ascii")


def multipart(fields: dict[str, str], egg: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="egg"; filename="project.egg"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + egg
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def clean_env(home: Path) -> dict[str, str]:
    """No settings module, archive or Scrapyd configuration from the caller's environment:
    the egg must name the settings, the schedule call the archive."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SCRAPY_SETTINGS_MODULE", "NEWSROOM_ARCHIVE_URL", "NEWSROOM_HEALTH_CONFIG")
    }
    env["HOME"] = str(home)
    return env


def build_egg(folder: Path, env: dict[str, str]) -> bytes:
    """`scrapyd-deploy --build-egg` in a folder holding the document's two files."""
    folder.mkdir()
    (folder / "scrapy.cfg").write_text(block("scrapy.cfg"), encoding="utf-8")
    (folder / "setup.py").write_text(block("setup.py"), encoding="utf-8")
    script = Path(sys.executable).with_name("scrapyd-deploy")
    launcher = (
        [str(script)] if script.exists() else [sys.executable, "-m", "scrapyd_client", "deploy"]
    )
    egg = folder / "newsroom_archive.egg"
    result = subprocess.run(
        [*launcher, "--build-egg", str(egg)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return egg.read_bytes()


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[tuple[str, Path, dict[str, str]]]:
    """Scrapyd on 127.0.0.1 with the document's configuration, in a folder of its own."""
    home = tmp_path / "scrapyd"
    home.mkdir()
    conf = configparser.ConfigParser(interpolation=None)
    conf.read_string(block("scrapyd.conf"))
    assert conf["scrapyd"]["bind_address"] == "127.0.0.1"
    port = free_port()
    conf["scrapyd"].update(
        {
            "http_port": str(port),
            "eggs_dir": str(home / "eggs"),
            "logs_dir": str(home / "logs"),
            "dbs_dir": str(home / "dbs"),
            "poll_interval": "0.5",
        }
    )
    with (home / "scrapyd.conf").open("w", encoding="utf-8") as handle:
        conf.write(handle)
    env = clean_env(tmp_path)
    log = home / "scrapyd.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "scrapyd", "--pidfile=", f"--logfile={log}"],
        cwd=home,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                call(base, "daemonstatus.json")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    text = log.read_text(errors="replace") if log.exists() else "(no log)"
                    pytest.fail(f"Scrapyd did not start on {base}:\n{text[-3000:]}")
                time.sleep(0.2)
        yield base, home, env
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def wait_for(base: str, job: str, limit: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        jobs = call(base, f"listjobs.json?project={PROJECT}")
        for finished in jobs["finished"]:
            if finished["id"] == job:
                return dict(finished)
        time.sleep(0.5)
    pytest.fail(f"Scrapyd job {job} did not finish within {limit:g} s: {jobs}")


def test_deploy_and_schedule_a_crawl(
    scrapyd: tuple[str, Path, dict[str, str]], tmp_path: Path
) -> None:
    base, home, env = scrapyd
    egg = build_egg(tmp_path / "deploy", env)
    body, content_type = multipart({"project": PROJECT, "version": "1"}, egg)
    added = call(base, "addversion.json", body, **{"Content-Type": content_type})
    assert (added["project"], added["spiders"]) == (PROJECT, len(sites()))
    assert call(base, f"listspiders.json?project={PROJECT}")["spiders"] == sorted(sites())

    db = tmp_path / "archive.sqlite"
    with SampleNewsroom("base") as site:
        newsroom = site.start()
        settings = {"ARCHIVE_URL": f"sqlite:///{db}", **LOOPBACK_SETTINGS}
        fields = [
            ("project", PROJECT),
            ("spider", "amnestyusa"),
            ("start_url", f"{site.base_url}/news/"),
            ("mode", "full"),
            *(("setting", f"{name}={value}") for name, value in settings.items()),
        ]
        job = call(base, "schedule.json", form(fields))["jobid"]
        finished = wait_for(base, job)
        served = site.requests

    log = home / "logs" / PROJECT / "amnestyusa" / f"{job}.log"
    assert finished["log_url"].endswith(f"/{job}.log")
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "Spider closed (finished)" in text, text[-3000:]
    assert " ERROR: " not in text, text[-3000:]
    with sqlite3.connect(db) as conn:
        urls = {url for (url,) in conn.execute("select url from articles")}
        runs = conn.execute("select spider, mode, status, args from crawl_runs").fetchall()
    assert urls == {article_url(newsroom, spec) for spec in expected_articles("base")}
    assert [run[:3] for run in runs] == [("amnestyusa", "full", "finished")]
    assert json.loads(runs[0][3])["start_url"] == f"{newsroom}/news/"
    assert {r.path for r in served} >= {"/news/", "/news/page/4/"}
