"""The Wayback Machine's CDX API and mementos: queries, rows, paging (pure)."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qsl, urlsplit

import pytest

from newsroom_archive.wayback import (
    DEFAULT_WAYBACK_URL,
    WAYBACK_ENV,
    CdxCapture,
    cdx_query,
    distinct_contents,
    memento_url,
    parse_cdx,
    wayback_url,
)


def test_the_service_is_the_setting_else_the_environment_else_the_archive(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(WAYBACK_ENV, raising=False)
    assert wayback_url() == DEFAULT_WAYBACK_URL == "https://web.archive.org"
    monkeypatch.setenv(WAYBACK_ENV, "http://127.0.0.1:9/")
    assert wayback_url() == "http://127.0.0.1:9"
    assert wayback_url("http://127.0.0.1:8/") == "http://127.0.0.1:8"


def test_a_cdx_query_asks_for_one_200_capture_per_url_and_day() -> None:
    url = cdx_query(
        "http://127.0.0.1:9",
        "www.amnestyusa.org/news/",
        since=dt.date(2020, 1, 1),
        until=dt.date(2021, 12, 31),
        limit=50,
        resume_key="abc def",
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("http", "127.0.0.1:9", "/cdx/search/cdx")
    assert parse_qsl(parts.query) == [
        ("url", "www.amnestyusa.org/news/"),
        ("matchType", "prefix"),
        ("output", "json"),
        ("fl", "urlkey,timestamp,original,mimetype,statuscode,digest,length"),
        ("filter", "statuscode:200"),
        ("collapse", "timestamp:8"),
        ("limit", "50"),
        ("showResumeKey", "true"),
        ("from", "20200101000000"),
        ("to", "20211231235959"),
        ("resumeKey", "abc def"),
    ]


ROWS = [
    ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"],
    [
        "org,amnestyusa)/news",
        "20200331120000",
        "https://www.amnestyusa.org/news/",
        "text/html",
        "200",
        "AAA",
        "100",
    ],
    [
        "org,amnestyusa)/news",
        "20200401120000",
        "https://www.amnestyusa.org/news/",
        "text/html",
        "200",
        "AAA",
        "100",
    ],
    [
        "org,amnestyusa)/news",
        "20200501120000",
        "https://www.amnestyusa.org/news/",
        "text/html",
        "200",
        "BBB",
        "101",
    ],
]


def test_rows_and_the_resume_key_of_a_page() -> None:
    captures, resume = parse_cdx(json.dumps([*ROWS, [], ["org,amnestyusa)/news 20200502"]]))
    assert resume == "org,amnestyusa)/news 20200502"
    assert [(c.timestamp, c.digest) for c in captures] == [
        ("20200331120000", "AAA"),
        ("20200401120000", "AAA"),
        ("20200501120000", "BBB"),
    ]
    assert captures[0].observed_at == "2020-03-31T12:00:00Z"
    assert captures[0].day == dt.date(2020, 3, 31)
    assert parse_cdx(json.dumps(ROWS)) == (captures, None)
    assert parse_cdx("") == ([], None)
    assert parse_cdx("[]") == ([], None)


def test_repeats_of_the_same_bytes_show_nothing_new() -> None:
    captures, _ = parse_cdx(json.dumps(ROWS))
    assert [c.timestamp for c in distinct_contents(captures)] == [
        "20200331120000",
        "20200501120000",
    ]


def test_a_memento_s_original_bytes() -> None:
    capture = CdxCapture(
        "k", "20200331120000", "https://www.amnestyusa.org/news/", "text/html", "200", "A", "1"
    )
    assert memento_url("http://127.0.0.1:9", capture) == (
        "http://127.0.0.1:9/web/20200331120000id_/https://www.amnestyusa.org/news/"
    )


def test_the_queries_page_through_the_replica_and_mementos_hold_the_digested_bytes() -> None:
    import base64
    import hashlib

    from newsroom_archive.sample_site.wayback import WaybackReplica, history
    from tests.helpers.http import fetch

    expected: dict[tuple[str, str], str] = {}
    for capture in history():
        if capture.page.status == 200:
            day = (capture.original, capture.timestamp[:8])
            # The first capture of a URL on a day is the one the collapse keeps.
            expected.setdefault(day, capture.timestamp)
    with WaybackReplica() as replica:
        base = replica.url("").rstrip("/")
        found: list[CdxCapture] = []
        resume = None
        pages = 0
        while True:
            status, _, body = fetch(
                cdx_query(base, "www.amnestyusa.org/", limit=5, resume_key=resume)
            )
            assert status == 200
            rows, resume = parse_cdx(body.decode())
            found += rows
            pages += 1
            if resume is None:
                break
        assert pages > 1
        assert sorted((c.original, c.timestamp) for c in found) == sorted(
            (url, stamp) for (url, _), stamp in expected.items()
        )
        for capture in found:
            status, _, payload = fetch(memento_url(base, capture))
            assert status == 200
            digest = base64.b32encode(hashlib.sha1(payload).digest()).decode()
            assert digest == capture.digest
