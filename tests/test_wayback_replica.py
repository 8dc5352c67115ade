"""The Wayback replica: CDX rows, paging, mementos, 429s, and the answer key of its captures.

Expected rows are written from the capture schedule in ``sample_site/wayback.py`` (which
URL was captured when, in which state), not from the CDX code's output.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from urllib.parse import quote, urlencode

import pytest

from newsroom_archive.sample_site.wayback import GONE, Capture, WaybackReplica
from newsroom_archive.sites import get_site
from tests.helpers.http import fetch

SITE = "https://www.amnestyusa.org"
NIGERIA = f"{SITE}/reports/nigeria-investigate-killings-of-protesters-at-lagos-toll-gate/"
CENSUS = f"{SITE}/press-releases/census-cutoff-risks-undercounting-immigrant-communities/"


@pytest.fixture(scope="module")
def replica() -> Iterator[WaybackReplica]:
    with WaybackReplica() as server:
        yield server


def cdx(replica: WaybackReplica, **params: str) -> tuple[int, bytes]:
    status, _, body = fetch(replica.url("/cdx/search/cdx?" + urlencode(params)))
    return status, body


def cdx_json(replica: WaybackReplica, **params: str) -> list[list[str]]:
    status, body = cdx(replica, output="json", **params)
    assert status == 200, body
    table: list[list[str]] = json.loads(body)
    return table


def stamps(table: list[list[str]], column: int = 1) -> list[str]:
    return [row[column] for row in table[1:]]


def test_exact_query_gives_every_field_of_every_capture_in_time_order(
    replica: WaybackReplica,
) -> None:
    table = cdx_json(replica, url=NIGERIA)
    assert table[0] == [
        "urlkey",
        "timestamp",
        "original",
        "mimetype",
        "statuscode",
        "digest",
        "length",
    ]
    assert stamps(table) == ["20201021221030", "20210331171000", "20230601091000"]
    for row in table[1:]:
        assert row[0] == "org,amnestyusa)/reports/" + NIGERIA.rsplit("/", 2)[1]
        assert row[2:5] == [NIGERIA, "text/html", "200"]
    # Retitled between the first two; the same page since then.
    assert table[1][5] != table[2][5] == table[3][5]


def test_default_text_output_is_space_separated_lines(replica: WaybackReplica) -> None:
    status, body = cdx(replica, url=CENSUS, fl="timestamp,statuscode")
    assert status == 200
    assert body.decode() == (
        "20201021222000 200\n20210331172000 200\n20230601092000 200\n20240201151500 200\n"
    )


def test_prefix_queries_by_match_type_and_by_star(replica: WaybackReplica) -> None:
    by_star = cdx_json(replica, url="www.amnestyusa.org/news/*", fl="timestamp,original")
    by_type = cdx_json(
        replica, url="www.amnestyusa.org/news/", matchType="prefix", fl="timestamp,original"
    )
    assert by_star == by_type
    assert by_star[1:] == [
        ["20201021113000", f"{SITE}/news/"],
        ["20201021220000", f"{SITE}/news/"],
        ["20210331170000", f"{SITE}/news/"],
        ["20230601090000", f"{SITE}/news/"],
        ["20240201150000", f"{SITE}/news/"],
        ["20230601090200", f"{SITE}/news/page/1/"],
        ["20201021220412", f"{SITE}/news/page/2/"],
        ["20210331170500", f"{SITE}/news/page/2/"],
        ["20230601090500", f"{SITE}/news/page/2/"],
    ]
    assert len(cdx_json(replica, url="amnestyusa.org", matchType="host")) == 23


def test_from_and_to_are_inclusive_timestamp_prefixes(replica: WaybackReplica) -> None:
    table = cdx_json(replica, url=f"{SITE}/news/", fl="timestamp", **{"from": "2020", "to": "2021"})
    assert stamps(table, 0) == ["20201021113000", "20201021220000", "20210331170000"]
    table = cdx_json(replica, url=f"{SITE}/news/", fl="timestamp", **{"from": "202010212"})
    assert stamps(table, 0) == [
        "20201021220000",
        "20210331170000",
        "20230601090000",
        "20240201150000",
    ]


def test_filters_on_status_and_their_negation(replica: WaybackReplica) -> None:
    failing = cdx_json(
        replica, url=f"{SITE}/*", filter="!statuscode:200", fl="timestamp,statuscode"
    )
    assert failing[1:] == [
        ["20230601090200", "301"],
        ["20210331170500", "503"],
        ["20230601091500", "404"],
        ["20240201151000", "404"],
    ]
    ok = cdx_json(replica, url=f"{SITE}/news/page/2/", filter="statuscode:200", fl="timestamp")
    assert stamps(ok, 0) == ["20201021220412", "20230601090500"]


def test_collapse_on_digest_and_on_the_day(replica: WaybackReplica) -> None:
    # The census release never changed: one row for its four identical captures.
    table = cdx_json(replica, url=CENSUS, collapse="digest", fl="timestamp")
    assert stamps(table, 0) == ["20201021222000"]
    # Two captures of the front page on 21 October 2020: one per day keeps the first.
    table = cdx_json(replica, url=f"{SITE}/news/", collapse="timestamp:8", fl="timestamp")
    assert stamps(table, 0) == [
        "20201021113000",
        "20210331170000",
        "20230601090000",
        "20240201150000",
    ]


def test_limit_and_resume_key_page_through_everything(replica: WaybackReplica) -> None:
    every = stamps(cdx_json(replica, url=f"{SITE}/*", fl="urlkey,timestamp"))
    assert len(every) == 22
    seen: list[str] = []
    key = ""
    pages = 0
    while pages < 10:
        params = {
            "url": f"{SITE}/*",
            "fl": "urlkey,timestamp",
            "limit": "5",
            "showResumeKey": "true",
        }
        if key:
            params["resumeKey"] = key
        table = cdx_json(replica, **params)
        pages += 1
        if table[-2:-1] == [[]]:
            key = table[-1][0]
            assert key == quote(f"{table[-3][0]} {table[-3][1]}!", safe="").replace("%20", "+")
            seen += [r[1] for r in table[1:-2]]
        else:
            seen += [r[1] for r in table[1:]]
            break
    assert seen == every and pages == 5
    # The last N with a negative limit.
    assert stamps(cdx_json(replica, url=CENSUS, limit="-1", fl="timestamp"), 0) == [
        "20240201151500"
    ]


def test_pagination_api(replica: WaybackReplica) -> None:
    status, body = cdx(replica, url=f"{SITE}/*", showNumPages="true", pageSize="10")
    assert status == 200 and body == b"3\n"
    rows = [
        r
        for page in range(3)
        for r in cdx_json(replica, url=f"{SITE}/*", page=str(page), pageSize="10", fl="timestamp")[
            1:
        ]
    ]
    assert len(rows) == 22
    assert cdx_json(replica, url=f"{SITE}/*", page="3", pageSize="10") == []


def test_a_query_without_url_is_refused(replica: WaybackReplica) -> None:
    status, body = cdx(replica, output="json")
    assert status == 400 and b"url" in body


def memento(
    replica: WaybackReplica, stamp: str, url: str, raw: bool = True
) -> tuple[int, object, bytes]:
    return fetch(replica.url(f"/web/{stamp}{'id_' if raw else ''}/{url}"))


def test_every_memento_is_the_bytes_whose_sha1_is_its_cdx_digest(replica: WaybackReplica) -> None:
    table = cdx_json(replica, url=f"{SITE}/*")
    assert len(table) == 23
    for _, stamp, original, mimetype, status, digest, length in table[1:]:
        code, headers, body = memento(replica, stamp, original)
        assert code == int(status)
        assert base64.b32encode(hashlib.sha1(body).digest()).decode() == digest
        assert len(body) == int(length)
        assert headers["Content-Type"].split(";")[0] == mimetype  # type: ignore[index]
        assert headers["Memento-Datetime"] == dt.datetime.strptime(stamp, "%Y%m%d%H%M%S").strftime(  # type: ignore[index]
            "%a, %d %b %Y %H:%M:%S GMT"
        )


def test_the_redirect_and_the_error_captures(replica: WaybackReplica) -> None:
    code, headers, body = memento(replica, "20230601090200", f"{SITE}/news/page/1/")
    assert code == 301 and body == b""
    assert headers["Location"] == replica.url(f"/web/20230601090200id_/{SITE}/news/")  # type: ignore[index]
    assert headers["X-Archive-Orig-Location"] == "/news/"  # type: ignore[index]
    code, _, body = memento(replica, "20210331170500", f"{SITE}/news/page/2/")
    assert code == 503 and b"Service unavailable" in body
    code, _, body = memento(replica, "20230601091500", GONE.path.join([SITE, ""]))
    assert code == 404 and b"Page not found" in body


def test_a_timestamp_between_captures_redirects_to_the_nearest(replica: WaybackReplica) -> None:
    # 2021-03-01 is nearer 2021-03-31 than 2020-10-21.
    code, headers, _ = memento(replica, "20210301", CENSUS)
    assert code == 302
    assert headers["Location"] == replica.url(f"/web/20210331172000id_/{CENSUS}")  # type: ignore[index]
    code, headers, _ = memento(replica, "2099", CENSUS, raw=False)
    assert code == 302
    assert headers["Location"] == replica.url(f"/web/20240201151500/{CENSUS}")  # type: ignore[index]
    code, _, body = memento(replica, "20240201151500", CENSUS, raw=False)
    assert code == 200 and b"Census" in body
    code, _, _ = memento(replica, "2020", f"{SITE}/never-captured/")
    assert code == 404


def test_429s_come_when_configured_with_retry_after_and_the_log_has_times() -> None:
    with WaybackReplica(cdx_429_every=2, memento_429_every=3, retry_after=7) as server:
        query = "/cdx/search/cdx?" + urlencode({"url": CENSUS})
        codes = [fetch(server.url(query))[0] for _ in range(4)]
        assert codes == [200, 429, 200, 429]
        status, _headers, _ = fetch(server.url(query))
        assert status == 200
        got = [memento(server, "20201021222000", CENSUS) for _ in range(6)]
        assert [g[0] for g in got] == [200, 200, 429, 200, 200, 429]
        assert got[2][1]["Retry-After"] == "7"  # type: ignore[index]
        log = server.requests
        assert [r.status for r in log] == [200, 429, 200, 429, 200, 200, 200, 429, 200, 200, 429]
        times = [r.at for r in log]
        assert times == sorted(times) and times[0] > 0
    with WaybackReplica() as quiet:
        assert {fetch(quiet.url(query))[0] for _ in range(5)} == {200}


def test_captures_rendered_for_a_live_sample_newsrooms_url() -> None:
    with WaybackReplica(site_url="http://127.0.0.1:8999") as server:
        table = cdx_json(server, url="127.0.0.1:8999/news/", fl="urlkey,original")
        assert table[1] == ["1,0,0,127:8999)/news", "http://127.0.0.1:8999/news/"]
        body = memento(server, "20201021220000", "http://127.0.0.1:8999/news/")[2]
        assert b'href="http://127.0.0.1:8999/reports/nigeria-' in body


# --- the answer key ----------------------------------------------------------------------


def listing_captures(replica: WaybackReplica) -> list[Capture]:
    return [c for c in replica.captures if c.kind == "listing"]


def test_listing_captures_are_read_by_the_layout_of_their_time(replica: WaybackReplica) -> None:
    amnestyusa = get_site("amnestyusa")
    for capture in listing_captures(replica):
        page = amnestyusa.parse_listing(capture.page.body.decode(), capture.original)
        assert page.extractor == f"profile:amnestyusa/{capture.layout}", capture.timestamp
        got = [
            (
                c.url.split("?")[0],
                c.title,
                c.date_text,
                c.type_label,
                c.teaser,
                c.image_url,
                c.image_alt,
                c.caption,
                c.photo_credit,
            )
            for c in page.cards
        ]
        # A credit that ends the caption is split off by normalisation, not by the reader.
        want = [
            (
                SITE + a.path,
                a.title,
                a.listing_date,
                a.type_label,
                a.listing_teaser,
                SITE + a.image if a.image else None,
                a.image_alt if a.image else None,
                a.caption,
                None if a.credit_in == "caption" else a.credit,
            )
            for a in capture.expected
        ]
        assert got == want, capture.timestamp


def test_the_history_shows_what_the_schedule_says(replica: WaybackReplica) -> None:
    by_stamp = {c.timestamp: c for c in replica.captures}
    first = by_stamp["20201021113000"].expected
    # Before the Nigeria report was published that morning: the newest card is of 2020-10-02.
    assert first[0].slug == "census-cutoff-risks-undercounting-immigrant-communities"
    assert first[1].slug == GONE.slug and (first[1].page, first[1].position) == (1, 2)
    evening = by_stamp["20201021220000"].expected
    assert evening[0].title == "Nigeria: Investigate Shooting of Protesters in Lagos"
    assert evening[2].slug == GONE.slug and (evening[2].page, evening[2].position) == (1, 3)
    spring = by_stamp["20210331170000"].expected
    assert [a.title for a in spring if "Nigeria" in a.title] == [
        "Nigeria: Investigate Killings of Protesters at Lagos Toll Gate"
    ]
    assert by_stamp["20210331171000"].expected[0].title == (
        "Nigeria: Investigate Killings of Protesters at Lagos Toll Gate"
    )
    assert GONE.slug not in {a.slug for a in by_stamp["20230601090000"].expected}
    assert by_stamp["20240201150000"].expected[0].slug == (
        "winter-shelters-must-admit-asylum-seekers-without-checks"
    )
    assert by_stamp["20240201150500"].expected[0].title == (
        "New Administration Must Close Immigration Detention Centers Within 100 Days"
    )
    assert {c.layout for c in replica.captures if c.kind == "article"} == {"block-theme"}
