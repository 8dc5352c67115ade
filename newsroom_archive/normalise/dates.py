"""Publication dates: parsing the forms newsrooms show, and choosing among sources.

Explicit formats are tried first; python-dateutil is only a last resort, and its
answer is kept only when the text itself gave day, month and year (dateutil fills
missing parts from a default, which would be a silent guess).

Ambiguous numeric dates: ``03/04/2020`` is read with ``day_first`` (the source's
``SourceRules.day_first``; default False, i.e. month first: 4 March is never chosen
by accident on a source not configured for it). A numeric date that can only be
read one way (``13/04/2020``) ignores the setting; dotted dates (``16.02.2022``) are
always day first, as everywhere they are used. Two-digit years (``03/04/20``) are
not read at all: the century would be a guess.

Times: ``published_at`` is only produced when the offset is known, from the text
(ISO offset, ``Z``, ``UTC``, ``EST`` …) or from the source's IANA timezone. A naive
time on a source without a timezone yields a date only.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from dateutil import parser as dateutil_parser

from newsroom_archive.normalise.text import clean_text

__all__ = [
    "DATE_SOURCES",
    "MONTHS",
    "PAGE_DATE_SOURCES",
    "DateFields",
    "ParsedDate",
    "date_from_url",
    "dates_in_text",
    "month_number",
    "parse_date",
    "parse_iso",
    "resolve_dates",
    "split_tag_line",
    "timestamp_iso",
]

DATE_SOURCES: dict[str, str] = {
    "jsonld": "datePublished in the page's JSON-LD",
    "meta": "a <meta> tag such as article:published_time",
    "time-element": "a date element in the page: <time datetime>, itemprop=datePublished, "
    "or a visible date element",
    "listing": "the date shown on the listing card",
    "url": "a /YYYY/MM/DD/ path in the article URL",
}
"""Codebook of ``date_source`` values, in priority order."""
PAGE_DATE_SOURCES = frozenset({"jsonld", "meta", "time-element"})

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("january", "jan", "januar", "jänner", "jaenner"),
        ("february", "feb", "febr", "februar", "feber"),
        ("march", "mar", "märz", "maerz", "mär", "mrz"),
        ("april", "apr"),
        ("may", "mai"),
        ("june", "jun", "juni"),
        ("july", "jul", "juli"),
        ("august", "aug"),
        ("september", "sep", "sept"),
        ("october", "oct", "oktober", "okt"),
        ("november", "nov"),
        ("december", "dec", "dezember", "dez"),
    ),
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _number
"""Month names and abbreviations (English and German), case-folded, without dots."""

_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    "mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun|"
    "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag"
)
_PREFIX = re.compile(
    r"^(?:(?:first\s+)?published|posted|updated|date|dated|veröffentlicht|stand|datum)"
    r"(?:\s+(?:on|am))?\s*:?\s*",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(rf"^(?:{_WEEKDAYS})\b\.?,?\s*", re.IGNORECASE)
_ISO = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*"
    r"(?P<offset>Z|[+-]\d{2}(?::?\d{2})?)?)?"
)
_MDY = re.compile(
    rf"(?P<mon>{_MONTH_ALT})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\.?\s*,?\s+(?P<year>\d{{4}})",
    re.IGNORECASE,
)
_DMY = re.compile(
    rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\.?\s*(?:of\s+)?(?P<mon>{_MONTH_ALT})\.?\s*,?\s*"
    r"(?P<year>\d{4})",
    re.IGNORECASE,
)
_NUMERIC = re.compile(r"(?P<a>\d{1,4})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,4})")
_TIME = re.compile(
    r"(?<![\d:.])(?P<h>\d{1,2})(?::(?P<m>\d{2})(?::(?P<s>\d{2}))?|\.(?P<m2>\d{2})(?=\s*Uhr))"
    r"(?:\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?))?"
    r"(?:\s*(?:Uhr|h)\b)?"
    r"(?:\s*(?P<tz>(?:UTC|GMT)\s*[+-]\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2}|[A-Z]{1,5}))?"
    r"\s*$"
)
_TRAILING_JOIN = re.compile(r"(?:[\s,|•·–—-]|\bat\b|\bum\b)+$", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_URL_DATE = re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/|$)")
_TAG_SEPARATOR = re.compile(r"\s*(?:[•·|]|\s[–—-]\s)\s*")
_LABEL_AUTHOR = re.compile(r"\s+(?:by|von)\s+.*$", re.IGNORECASE)
_TIME_ONLY = re.compile(
    r"(?:at\s+|um\s+)?\d{1,2}(?::\d{2}){1,2}\s*(?:[AaPp]\.?\s?[Mm]\.?)?\s*(?:Uhr|h)?"
    r"(?:\s*[A-Z]{2,5})?"
)
_IN_TEXT = re.compile(
    rf"\b(?:(?P<mon>{_MONTH_ALT})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?P<mon2>{_MONTH_ALT})\.?,?\s+(?P<year2>\d{{4}}))\b",
    re.IGNORECASE,
)

_UTC = dt.UTC
_FIXED_ZONES: dict[str, int] = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "CET": 1,
    "CEST": 2,
    "MEZ": 1,
    "MESZ": 2,
    "BST": 1,
}
_NAMED_ZONES: dict[str, str] = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
}
_MAX_DATE_TEXT = 200
_DEFAULT_A = dt.datetime(1904, 2, 29)
_DEFAULT_B = dt.datetime(1911, 11, 11)


def month_number(name: str) -> int | None:
    return MONTHS.get(name.casefold().rstrip("."))


@dataclass(frozen=True)
class ParsedDate:
    date: dt.date
    """Calendar date as the publisher gave it (in the publisher's offset)."""
    time: dt.time | None = None
    """Local time of day, if shown."""
    at: dt.datetime | None = None
    """Aware timestamp, only when the offset is known."""

    @property
    def iso_date(self) -> str:
        return self.date.isoformat()

    @property
    def iso_at(self) -> str | None:
        return self.at.isoformat() if self.at else None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _tzinfo(token: str | None, timezone: str | None) -> dt.tzinfo | None:
    if token:
        upper = token.upper().replace(" ", "")
        if upper in _FIXED_ZONES:
            return dt.timezone(dt.timedelta(hours=_FIXED_ZONES[upper]))
        if upper in _NAMED_ZONES:
            return ZoneInfo(_NAMED_ZONES[upper])
        m = re.fullmatch(r"(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?", upper)
        if m:
            minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
            if minutes < 24 * 60:
                sign = -1 if m.group(1) == "-" else 1
                return dt.timezone(dt.timedelta(minutes=sign * minutes))
    return ZoneInfo(timezone) if timezone else None


def _numeric(a: str, sep: str, b: str, c: str, day_first: bool) -> dt.date | None:
    if len(a) == 4:
        return _safe_date(int(a), int(b), int(c))
    if len(c) != 4:
        return None
    first, second, year = int(a), int(b), int(c)
    if sep == ".":
        return _safe_date(year, second, first)
    if first > 12 >= second:
        return _safe_date(year, second, first)
    if second > 12 >= first:
        return _safe_date(year, first, second)
    if day_first:
        return _safe_date(year, second, first)
    return _safe_date(year, first, second)


def _date_part(text: str, day_first: bool) -> tuple[bool, dt.date | None]:
    """(whether an explicit format matched, the date); a matched format that gives an
    impossible date (30 February) is final: dateutil must not guess another reading."""
    m = _MDY.fullmatch(text) or _DMY.fullmatch(text)
    if m:
        month = month_number(m["mon"])
        return True, _safe_date(int(m["year"]), month, int(m["day"])) if month else None
    m = _NUMERIC.fullmatch(text)
    if m:
        return True, _numeric(m["a"], m["sep"], m["b"], m["c"], day_first)
    return False, None


def _dateutil(text: str, day_first: bool) -> dt.datetime | None:
    try:
        with warnings.catch_warnings():
            # Unknown zone names only warn; the answer is checked below anyway.
            warnings.simplefilter("ignore")
            a = dateutil_parser.parse(text, default=_DEFAULT_A, dayfirst=day_first)
            b = dateutil_parser.parse(text, default=_DEFAULT_B, dayfirst=day_first)
    except Exception:  # dateutil raises several types on odd input; none may escape
        return None
    if (a.year, a.month, a.day) != (b.year, b.month, b.day):
        return None  # the text lacked a part and dateutil filled it in
    return a


def parse_iso(value: str | None, *, naive_zone: dt.tzinfo | None = None) -> dt.datetime | None:
    """An ISO 8601 date, or date and time, as a datetime; ``None`` when the text is not
    one or names a day or time that does not exist (it never raises).

    Code that reads ISO 8601 text (page dates, command-line moments, the archive's own
    timestamps) calls this one reader, so all of it accepts the same forms. It reads what
    ``datetime.fromisoformat`` reads since Python 3.11: ``2020-03-31`` (midnight),
    ``2020-03-31T14:05`` or with a space for the ``T``, seconds with a fraction (``.5``
    or ``,5``), and an offset ``Z``, ``+02``, ``+0200`` or ``+02:00``. Without an offset
    the result is naive, or in ``naive_zone`` when the caller knows what such a time
    means (the source's zone, or UTC for the archive's own timestamps).
    """
    if value is None:
        return None
    try:
        # Z spelled as an offset also reads a date with Z (2024-01-01Z), as its midnight.
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None and naive_zone is not None:
        moment = moment.replace(tzinfo=naive_zone)
    return moment


def _from_iso(m: re.Match[str], timezone: str | None) -> ParsedDate | None:
    if not m["time"]:
        midnight = parse_iso(m["date"])
        return ParsedDate(midnight.date()) if midnight else None
    # Rebuilt from the parts: the pattern allows white space before the offset.
    stamp = parse_iso(
        f"{m['date']}T{m['time']}{m['offset'] or ''}",
        naive_zone=ZoneInfo(timezone) if timezone else None,
    )
    if stamp is None:
        return None
    return ParsedDate(stamp.date(), stamp.time(), stamp if stamp.tzinfo else None)


def _clock(m: re.Match[str]) -> dt.time | None:
    hour, minute = int(m["h"]), int(m["m"] or m["m2"])
    second = int(m["s"] or 0)
    ampm = (m["ampm"] or "").lower().replace(".", "").replace(" ", "")
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return dt.time(hour, minute, second)


_MONTH_WORD = re.compile(rf"(?<![^\W\d_])(?:{_MONTH_ALT})\.?(?![^\W\d_])", re.IGNORECASE)
_ENGLISH_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _by_formats(text: str, formats: tuple[str, ...], timezone: str | None) -> ParsedDate | None:
    """The first of a profile's strptime formats that reads ``text`` whole.

    Month names of any language the month table knows become English first, so
    ``%d. %B %Y`` reads ``02. März 2021`` whatever the machine's locale.
    """
    english = _MONTH_WORD.sub(
        lambda m: _ENGLISH_MONTHS[MONTHS[m.group(0).casefold().rstrip(".")] - 1], text
    )
    for form in formats:
        try:
            parsed = dt.datetime.strptime(english, form)
        except ValueError:
            continue
        if not any(code in form for code in ("%H", "%I", "%M")):
            return ParsedDate(parsed.date())
        zone = parsed.tzinfo or _tzinfo(None, timezone)
        stamp = parsed.replace(tzinfo=zone) if zone else None
        return ParsedDate(parsed.date(), parsed.time(), stamp)
    return None


def parse_date(
    value: str | None,
    *,
    day_first: bool = False,
    timezone: str | None = None,
    formats: tuple[str, ...] = (),
) -> ParsedDate | None:
    """Parse a date (and time) as a newsroom shows it; ``None`` when it cannot.

    Handles ISO 8601 (with or without time and offset), ``March 31, 2020``,
    ``Mar. 31, 2020``, ``17 January, 2017 at 1:00``, ``02. November 2021``,
    ``16.02.2022``, ``April 5, 2018 | 6:00 PM``, ``2020/03/31``, ``03/04/2020`` (see
    the module notes on day_first), with optional weekday and "Published:" prefixes.
    Never raises.
    """
    text = clean_text(value) if value is not None else None
    if not text or len(text) > _MAX_DATE_TEXT:
        return None
    if formats and (declared := _by_formats(text, formats, timezone)) is not None:
        return declared
    iso = _ISO.fullmatch(text)
    if iso:
        return _from_iso(iso, timezone)
    text = _WEEKDAY.sub("", _PREFIX.sub("", text))
    clock: dt.time | None = None
    zone: dt.tzinfo | None = None
    tm = _TIME.search(text)
    if tm and tm.start() > 0:
        clock = _clock(tm)
        if clock is None:
            return None
        zone = _tzinfo(tm["tz"], timezone)
        text = _TRAILING_JOIN.sub("", text[: tm.start()])
    text = _WEEKDAY.sub("", text.strip(" ,"))
    matched, day = _date_part(text, day_first)
    if matched and day is None:
        return None
    if day is None:
        # Every date this module accepts has a four-digit year; without one dateutil
        # could only guess (and costs two parses).
        if not _YEAR.search(text):
            return None
        guessed = _dateutil(text, day_first)
        if guessed is None:
            return None
        day = guessed.date()
        if clock is None and (guessed.hour, guessed.minute, guessed.second) != (0, 0, 0):
            clock = guessed.time()
            zone = guessed.tzinfo or _tzinfo(None, timezone)
    if clock is None:
        return ParsedDate(day)
    stamp = dt.datetime.combine(day, clock, tzinfo=zone) if zone else None
    return ParsedDate(day, clock, stamp)


def timestamp_iso(value: str | None, *, timezone: str | None = None) -> str | None:
    """A timestamp as ISO 8601 "as given": with its offset when it has one, a bare
    date when only a date was given, a naive time only when no offset is known."""
    parsed = parse_date(value, timezone=timezone)
    if parsed is None:
        return None
    if parsed.at is not None:
        return parsed.at.isoformat()
    if parsed.time is not None:
        return dt.datetime.combine(parsed.date, parsed.time).isoformat()
    return parsed.iso_date


def split_tag_line(value: str | None) -> tuple[str | None, str | None]:
    """Split a tag line into (date text, type label).

    ``December 3, 2021 • Press Release`` → (``December 3, 2021``, ``Press Release``);
    ``Publication | 17 January, 2017 at 1:00`` → (``17 January, 2017 at 1:00``,
    ``Publication``); ``Blog entry by X | 28 April, 2017`` → (``28 April, 2017``,
    ``Blog entry``); ``April 5, 2018 | 6:00 PM`` → (the whole line, None).
    """
    text = clean_text(value)
    if not text:
        return None, None
    spans: list[tuple[int, int]] = []
    start = 0
    for sep in _TAG_SEPARATOR.finditer(text):
        if sep.start() > start:
            spans.append((start, sep.start()))
        start = sep.end()
    if start < len(text):
        spans.append((start, len(text)))
    date_spans: list[tuple[int, int]] = []
    label: str | None = None
    for a, b in spans:
        part = text[a:b]
        if _TIME_ONLY.fullmatch(part) or parse_date(part) is not None:
            date_spans.append((a, b))
        elif label is None:
            label = _LABEL_AUTHOR.sub("", part).strip() or None
    if not date_spans:
        return None, label
    return text[date_spans[0][0] : date_spans[-1][1]], label


def date_from_url(url: str | None) -> dt.date | None:
    """The date of a ``/YYYY/MM/DD/`` path, if the URL has one."""
    if not url:
        return None
    m = _URL_DATE.search(url)
    return _safe_date(int(m["y"]), int(m["m"]), int(m["d"])) if m else None


def dates_in_text(text: str | None) -> list[dt.date]:
    """Full dates written out in running text (``March 17, 2020``, ``29 March 2020``)."""
    found: list[dt.date] = []
    if not text:
        return found
    for m in _IN_TEXT.finditer(text):
        month = month_number(m["mon"] or m["mon2"])
        if month is None:
            continue
        day = _safe_date(int(m["year"] or m["year2"]), month, int(m["day"] or m["day2"]))
        if day is not None:
            found.append(day)
    return found


@dataclass(frozen=True)
class DateFields:
    published_date: str | None = None
    published_at: str | None = None
    date_source: str | None = None
    updated_at: str | None = None
    unparsed: tuple[str, ...] = ()
    """Raw date texts that were present but could not be parsed."""


def resolve_dates(
    *,
    page_date: str | None = None,
    page_source: str | None = None,
    page_modified: str | None = None,
    listing_date: str | None = None,
    url: str | None = None,
    day_first: bool = False,
    timezone: str | None = None,
    formats: tuple[str, ...] = (),
) -> DateFields:
    """Choose the publication date: page (jsonld/meta/time-element) > listing > URL.

    ``page_source`` is passed through when it is one of ``DATE_SOURCES``; a page date
    whose source the spider did not record gets ``date_source`` None rather than a
    guessed label.
    """
    unparsed: list[str] = []
    updated_at = timestamp_iso(page_modified, timezone=timezone)
    candidates = (
        (page_date, page_source if page_source in DATE_SOURCES else None),
        (listing_date, "listing"),
    )
    for raw, source in candidates:
        if raw is None or not raw.strip():
            continue
        parsed = parse_date(raw, day_first=day_first, timezone=timezone, formats=formats)
        if parsed is None:
            unparsed.append(raw)
            continue
        return DateFields(parsed.iso_date, parsed.iso_at, source, updated_at, tuple(unparsed))
    from_url = date_from_url(url)
    if from_url is not None:
        return DateFields(from_url.isoformat(), None, "url", updated_at, tuple(unparsed))
    return DateFields(None, None, None, updated_at, tuple(unparsed))
