"""Dates as newsrooms show them: formats, tag lines, day-first rules, offsets, sources."""

from __future__ import annotations

import datetime as dt

import pytest

from newsroom_archive.normalise import (
    DATE_SOURCES,
    date_from_url,
    parse_date,
    parse_dateline,
    parse_iso,
    resolve_dates,
    split_tag_line,
    timestamp_iso,
)


@pytest.mark.parametrize(
    ("text", "date", "time"),
    [
        ("March 31, 2020", "2020-03-31", None),
        ("Mar. 31, 2020", "2020-03-31", None),
        ("Sept. 3, 2020", "2020-09-03", None),
        ("December 3, 2021", "2021-12-03", None),
        ("2020-03-31", "2020-03-31", None),
        ("28 April, 2017", "2017-04-28", None),
        ("17 January, 2017 at 1:00", "2017-01-17", "01:00:00"),
        ("02. November 2021", "2021-11-02", None),
        ("2. März 2021", "2021-03-02", None),
        ("5. Mai 2021", "2021-05-05", None),
        ("12. Okt. 2021", "2021-10-12", None),
        ("3. Dez. 2021", "2021-12-03", None),
        ("16.02.2022", "2022-02-16", None),
        ("April 5, 2018 | 6:00 PM", "2018-04-05", "18:00:00"),
        ("July 25, 2019 | 11:15 PM", "2019-07-25", "23:15:00"),
        ("February 28 2024, 9:54 a.m.", "2024-02-28", "09:54:00"),
        ("Tuesday, March 17, 2020", "2020-03-17", None),
        ("Published: March 17, 2020", "2020-03-17", None),
        ("2020/03/31", "2020-03-31", None),
        ("17-12-2024 - 13:17", "2024-12-17", "13:17:00"),
        ("1 May 2021 13.30 Uhr", "2021-05-01", "13:30:00"),
        ("31st of March 2020", "2020-03-31", None),
        ("  April 10, 2015            ", "2015-04-10", None),
        ("March&nbsp;31,&#160;2020", "2020-03-31", None),
    ],
)
def test_listing_formats(text: str, date: str, time: str | None) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert parsed.iso_date == date
    assert (parsed.time.isoformat() if parsed.time else None) == time
    # A naive time never gets an offset invented for it.
    assert parsed.iso_at is None


@pytest.mark.parametrize(
    "text",
    ["xyz", "", "   ", "March 2020", "2020", "Feb 30, 2020", "2020-13-01", "6:00 PM", "31/31/2020"],
)
def test_unparseable_is_none(text: str) -> None:
    assert parse_date(text) is None


def test_none_is_none() -> None:
    assert parse_date(None) is None


@pytest.mark.parametrize(
    ("text", "date", "at"),
    [
        # The publisher's calendar day, not the UTC day (which would be 2020-04-09).
        ("2020-04-08T22:30:00-04:00", "2020-04-08", "2020-04-08T22:30:00-04:00"),
        ("2024-02-28T14:54:09Z", "2024-02-28", "2024-02-28T14:54:09+00:00"),
        ("2024-01-11T16:10:50+00:00", "2024-01-11", "2024-01-11T16:10:50+00:00"),
        ("2020-04-08T22:30:00+0200", "2020-04-08", "2020-04-08T22:30:00+02:00"),
        ("2020-04-08T22:30:00.000+02:00", "2020-04-08", "2020-04-08T22:30:00+02:00"),
        ("2019-07-25T11:15", "2019-07-25", None),
        ("2024-12-17T13:17:00", "2024-12-17", None),
        ("2024-02-28 12:05:21", "2024-02-28", None),
        ("May 1, 2020 10:00 AM ET", "2020-05-01", "2020-05-01T10:00:00-04:00"),
        ("May 1, 2020 10:00 UTC", "2020-05-01", "2020-05-01T10:00:00+00:00"),
        ("3 March 2021 at 09:00 CET", "2021-03-03", "2021-03-03T09:00:00+01:00"),
    ],
)
def test_offsets(text: str, date: str, at: str | None) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert (parsed.iso_date, parsed.iso_at) == (date, at)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-03-31", "2020-03-31T00:00:00"),
        ("2020-03-31T14:05", "2020-03-31T14:05:00"),
        ("2020-03-31 14:05:11,5", "2020-03-31T14:05:11.500000"),
        ("2024-02-28T14:54:09Z", "2024-02-28T14:54:09+00:00"),
        ("2020-04-08T22:30+02", "2020-04-08T22:30:00+02:00"),
        ("2020-04-08T22:30:00-0400", "2020-04-08T22:30:00-04:00"),
        ("2020-02-30", None),
        ("2020-03-31T24:30", None),
        ("March 31, 2020", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_iso(text: str | None, expected: str | None) -> None:
    moment = parse_iso(text)
    assert (moment.isoformat() if moment else None) == expected


def test_parse_iso_zone_for_naive_times_only() -> None:
    naive = parse_iso("2024-01-05T10:00:00", naive_zone=dt.UTC)
    assert naive is not None
    assert naive.isoformat() == "2024-01-05T10:00:00+00:00"
    aware = parse_iso("2024-01-05T10:00:00-05:00", naive_zone=dt.UTC)
    assert aware is not None
    assert aware.isoformat() == "2024-01-05T10:00:00-05:00"


def test_source_timezone_gives_offset_to_naive_times() -> None:
    parsed = parse_date("April 5, 2018 | 6:00 PM", timezone="America/New_York")
    assert parsed is not None
    assert parsed.iso_at == "2018-04-05T18:00:00-04:00"
    winter = parse_date("2019-01-25T11:15", timezone="America/New_York")
    assert winter is not None
    assert winter.iso_at == "2019-01-25T11:15:00-05:00"
    # An explicit offset wins over the source's zone.
    explicit = parse_date("2020-04-08T22:30:00+02:00", timezone="America/New_York")
    assert explicit is not None
    assert explicit.iso_at == "2020-04-08T22:30:00+02:00"
    # A date without a time stays a date.
    day = parse_date("March 31, 2020", timezone="America/New_York")
    assert day is not None
    assert day.iso_at is None


@pytest.mark.parametrize(
    ("text", "day_first", "expected"),
    [
        ("03/04/2020", False, "2020-03-04"),
        ("03/04/2020", True, "2020-04-03"),
        ("03-04-2020", True, "2020-04-03"),
        ("13/04/2020", False, "2020-04-13"),
        ("13/04/2020", True, "2020-04-13"),
        ("04/13/2020", False, "2020-04-13"),
        ("04/13/2020", True, "2020-04-13"),
        ("03.04.2020", False, "2020-04-03"),
        ("03.04.2020", True, "2020-04-03"),
        ("2020/04/03", True, "2020-04-03"),
    ],
)
def test_day_first_rules(text: str, day_first: bool, expected: str) -> None:
    parsed = parse_date(text, day_first=day_first)
    assert parsed is not None
    assert parsed.iso_date == expected


@pytest.mark.parametrize(
    ("line", "date_text", "label"),
    [
        ("December 3, 2021 • Press Release", "December 3, 2021", "Press Release"),
        ("March 31, 2020", "March 31, 2020", None),
        ("Publication | 17 January, 2017 at 1:00", "17 January, 2017 at 1:00", "Publication"),
        ("Blog entry by Annisa Rahmawati | 28 April, 2017", "28 April, 2017", "Blog entry"),
        ("April 5, 2018 | 6:00 PM", "April 5, 2018 | 6:00 PM", None),
        ("Press Release", None, "Press Release"),
        ("Pressemitteilung · 16.02.2022", "16.02.2022", "Pressemitteilung"),
        ("", None, None),
        (None, None, None),
    ],
)
def test_split_tag_line(line: str | None, date_text: str | None, label: str | None) -> None:
    assert split_tag_line(line) == (date_text, label)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://theintercept.com/2024/02/28/aaron-bushnell/", dt.date(2024, 2, 28)),
        ("https://example.org/2020/4/8/slug", dt.date(2020, 4, 8)),
        ("https://example.org/2020/02/30/slug/", None),
        ("https://example.org/2020/02/slug/", None),
        ("https://www.europarl.europa.eu/news/en/press-room/20241212IPR25960/x", None),
        (None, None),
    ],
)
def test_date_from_url(url: str | None, expected: dt.date | None) -> None:
    assert date_from_url(url) == expected


def test_priority_page_over_listing_over_url() -> None:
    url = "https://example.org/2020/03/01/slug/"
    page = resolve_dates(
        page_date="2020-03-31T09:00:00-04:00",
        page_source="jsonld",
        listing_date="March 30, 2020",
        url=url,
    )
    assert (page.published_date, page.published_at, page.date_source) == (
        "2020-03-31",
        "2020-03-31T09:00:00-04:00",
        "jsonld",
    )
    listing = resolve_dates(listing_date="March 30, 2020", url=url)
    assert (listing.published_date, listing.published_at, listing.date_source) == (
        "2020-03-30",
        None,
        "listing",
    )
    from_url = resolve_dates(url=url)
    assert (from_url.published_date, from_url.date_source) == ("2020-03-01", "url")
    nothing = resolve_dates(url="https://example.org/news/slug/")
    assert (nothing.published_date, nothing.date_source, nothing.unparsed) == (None, None, ())


def test_unparseable_page_date_falls_back_and_is_recorded() -> None:
    fields = resolve_dates(
        page_date="sometime in spring", page_source="meta", listing_date="March 30, 2020"
    )
    assert (fields.published_date, fields.date_source) == ("2020-03-30", "listing")
    assert fields.unparsed == ("sometime in spring",)


@pytest.mark.parametrize("source", ["jsonld", "meta", "time-element"])
def test_page_sources_pass_through(source: str) -> None:
    fields = resolve_dates(page_date="2020-03-31", page_source=source)
    assert fields.date_source == source


def test_unknown_page_source_is_not_guessed() -> None:
    assert resolve_dates(page_date="2020-03-31", page_source="html").date_source is None
    assert list(DATE_SOURCES) == ["jsonld", "meta", "time-element", "listing", "url"]


def test_listing_time_needs_timezone_for_published_at() -> None:
    naive = resolve_dates(listing_date="April 5, 2018 | 6:00 PM")
    assert (naive.published_date, naive.published_at) == ("2018-04-05", None)
    zoned = resolve_dates(listing_date="April 5, 2018 | 6:00 PM", timezone="America/Denver")
    assert zoned.published_at == "2018-04-05T18:00:00-06:00"


@pytest.mark.parametrize(
    ("modified", "expected"),
    [
        ("2024-02-28T14:54:15+00:00", "2024-02-28T14:54:15+00:00"),
        ("2020-04-09T08:00:00-04:00", "2020-04-09T08:00:00-04:00"),
        ("2019-07-25", "2019-07-25"),
        ("2019-07-25T11:15", "2019-07-25T11:15:00"),
        ("garbage", None),
        (None, None),
    ],
)
def test_updated_at_as_given(modified: str | None, expected: str | None) -> None:
    assert timestamp_iso(modified) == expected
    assert resolve_dates(page_modified=modified).updated_at == expected


@pytest.mark.parametrize(
    ("caption", "published", "expected"),
    [
        # December dateline on a January article: the previous year.
        ("KYIV - DECEMBER 30: People shop.", dt.date(2021, 1, 4), "2020-12-30"),
        ("KYIV - DECEMBER 31: People shop.", dt.date(2021, 1, 1), "2020-12-31"),
        # January dateline on a January article: the same year.
        ("KYIV - JANUARY 2: People shop.", dt.date(2021, 1, 4), "2021-01-02"),
        # A full date in the caption text wins over the publication year.
        (
            "KYIV - DECEMBER 30: People shop on Wednesday, December 30, 2020.",
            dt.date(2022, 6, 1),
            "2020-12-30",
        ),
        # A year in the dateline wins over everything.
        ("KYIV - DECEMBER 30, 2019: People shop.", dt.date(2021, 1, 4), "2019-12-30"),
    ],
)
def test_new_year_dateline(caption: str, published: dt.date, expected: str) -> None:
    assert parse_dateline(caption, published) == ("Kyiv", expected)


def test_bad_timezone_in_rules_is_an_error() -> None:
    from newsroom_archive.normalise import SourceRules

    with pytest.raises(ValueError, match="unknown timezone"):
        SourceRules(name="x", timezone="Mars/Olympus_Mons")
