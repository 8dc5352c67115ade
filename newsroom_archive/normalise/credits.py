"""Photo captions: the credit split off, parsed into people and organisations, and the
dateline read.

Splitting a caption from its credit
    Credits are taken from the end of the caption only, repeatedly, so that a caption
    followed by two credits (``… (Photo by A / AFP) (Photo by A/AFP via Getty
    Images)``) loses both. A trailing part counts as a credit when it

    - is in parentheses and starts with a credit word (``Photo by``, ``Photo:``,
      ``©``, ``Credit:``, ``Foto:``, ``@ `` …), or is a slash/``via`` credit with a
      known agency (``(smolaw11/iStock)``, ``(Robert F. Bukaty / AP)``), or is a lone
      known agency after the end of a sentence (``… 2020. (AFP)``);
    - or, without parentheses, starts with a credit word (``© JOSE JORDAN / AFP``,
      ``Photo: Tom Brenner for …``) and is short and has no sentence end;
    - or is a bare slash/``via`` credit with a known agency after the end of a
      sentence (``… (COVID-19). Valery Sharifulin/TASS``).

    Other parentheses stay: ``Health workers (left) …``, ``David Bloom (C), …``,
    ``… in London (Archivaufnahme)``. A caption that is nothing but a credit gives
    ``caption=None``. The dateline stays in the caption text (it was published as
    part of it) and is also parsed into ``caption_place`` and ``caption_date``.

Telling people from organisations (in this order)
    1. markers that name neither are dropped: ``POOL`` (a pool arrangement, not an
       organisation), ``Handout``, ``HO``, ``File``, ``Stringer``, ``Staff``, also in a
       list (``AP Photo/Evan Vucci, File``);
    2. the agency table (``agencies.csv``: wires, distributors, photo libraries,
       newspapers, organisations) gives the canonical organisation, also for
       ``<alias> Photo`` (``AFP PHOTO``);
    3. photo and asset numbers name neither and are dropped: a run of five or more
       digits (``GettyImages-1207264390``) or capitals followed by three or more
       digits (``UN0123456``); so is a copyright year (``© 2020 AFP``);
    4. a known alias glued to the end of a name by a distributor
       (``Valery SharifulinTASS``) gives both the person and the organisation;
    5. a handle (``smolaw11``: one lower-case word with digits or underscores, or
       starting with ``@``) is a person, kept as written;
    6. an organisation word (Images, Agency, News, Group, Ministry, University,
       Times, Post, Chronicle, Globe, International …) or a leading ``The`` makes an
       organisation;
    7. a single remaining word is an organisation (photographers are credited with
       at least two names; single words are brands such as ``Sputnik``), unless its
       slash chain names nothing else but known organisations (step 9);
    8. two to five name-like words (capitalised, initials, particles such as ``de``,
       ``van``, ``al``) are a person; anything else an organisation.

    Then each slash chain (``A/B/C``; ``via`` starts a new one) is looked at whole:

    9. a chain credits one photographer, so after a part naming a person a later
       part that only looks like a name is the outlet (``Owen Hartley/Houston
       Chronicle``); and when every other part of a chain is a known organisation,
       the one unknown single word is the photographer (``Tapui / Adobe Stock``,
       ``UNICEF/UN0123456/Naftalin``), unless it is two to five capitals, as
       acronyms are written (``GPO/ Handout/Anadolu``).

    ``X for Y`` (``Tom Brenner for The Washington Post``) is a person working for an
    organisation; ``X via Y`` adds the distributor Y as an organisation. People in
    ALL CAPS are title-cased (``FREDERIC J. BROWN`` → ``Frederic J. Brown``,
    ``MCDONALD`` → ``McDonald``, ``O'BRIEN`` → ``O'Brien``); organisations keep their
    canonical or published spelling (acronyms stay upper case). Each person and
    organisation is listed once, in order of first appearance.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from newsroom_archive.normalise.agencies import AgencyTable, load_agencies
from newsroom_archive.normalise.dates import MONTHS, dates_in_text, month_number
from newsroom_archive.normalise.text import clean_text

__all__ = [
    "CaptionParts",
    "Credit",
    "parse_caption",
    "parse_credit",
    "parse_dateline",
    "split_credit",
    "title_case_name",
]

# --- credit words --------------------------------------------------------------------

_PREFIX_WORD = (
    r"(?:(?:photo|image)\s+credits?|photo(?:graph)?s?|pictures?|images?|fotos?|"
    r"bild(?:er)?|credits?|quelle|source)"
)
_PREFIX = re.compile(
    rf"^(?:{_PREFIX_WORD}\s*(?:by\b|:|courtesy(?:\s+of)?\b)|(?:photo\s+)?courtesy(?:\s+of)?\b"
    r"|copyright\b\s*:?|©|\(c\)(?=\s)|@(?=\s)|by\b)\s*",
    re.IGNORECASE,
)
# Where a credit may start inside running caption text. Case-sensitive on purpose:
# "a photo by the artist" in a sentence is not a credit line.
_KEYWORD_START = re.compile(
    r"(?:(?<=\s)|^)(?:©|@\s|(?:Photo(?:graph)?s?|PHOTOS?|Pictures?|Images?|Fotos?|FOTOS?|"
    r"Credits?|CREDITS?|Bild|Quelle)\s*(?:by\b|:)|(?:Photo|Image)\s+credits?\s*:|"
    r"Copyright\b|Courtesy\s+of\b)"
)
_C_IN_PARENS = re.compile(r"(?<!\w)\([cC]\)(?=\s)")
_BOUNDARY = re.compile(r"[.!?:;”\"’)\]]\s+")
_SENTENCE_END = re.compile(r"([\w'’]+)([.!?])(?=\s+\S)")
_ABBREVIATIONS = frozenset({"jr", "sr", "st", "dr", "mt", "ft", "co", "inc", "ltd", "corp"})
_MAX_CREDIT_CHARS = 200
_MAX_CREDIT_WORDS = 20

# --- pieces of a credit --------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_GROUP_SPLIT = re.compile(r"\s*(?:;|\s\|\s)\s*")
_VIA = re.compile(r"\s+via\s+", re.IGNORECASE)
_SLASH = re.compile(r"\s*/\s*")
_FOR = re.compile(r"\s+for\s+", re.IGNORECASE)
_LIST = re.compile(r"\s*,\s*|\s+(?:and|&|und)\s+", re.IGNORECASE)
_STRIP_CHARS = " \t,;:-–—()[]\"'“”‘’"
# Markers that name neither a person nor an organisation ("POOL" is a pool
# arrangement between outlets, "STR" the wires' placeholder for a stringer).
_DROP = frozenset(
    {"pool", "handout", "ho", "file", "file photo", "stringer", "str", "staff", "archive"}
    | {"archivbild", "archivaufnahme", "symbolbild", "photo", "photos", "foto"}
)
# Words that make a credit piece an organisation (compared case-folded); the last line
# is the words newspapers are named with ("Houston Chronicle", "Orlando Sentinel").
_ORG_WORDS = _words(
    """
    images image photos photo pictures press presse news agency agentur group media
    studio studios foundation association ministry office service services department
    university museum archive archives library collection inc ltd llc gmbh corp
    corporation company times post journal herald tribune gazette magazine network
    council committee commission parliament government army navy police international
    institute center centre trust organization organisation union society party campaign
    project stock wire tv radio bureau watch rights nations commons archiv verlag
    stiftung ministerium
    chronicle globe courier observer guardian telegraph inquirer sentinel dispatch
    examiner register bulletin daily mirror express newspaper newspapers
    """
)
_PARTICLES = _words(
    """
    de da del della der den di do dos du van von la le al el bin ibn y e ter ten zu af
    av
    """
)
_HANDLE = re.compile(r"@?[a-z0-9][a-z0-9_.\-]*")
_NAME_WORD = re.compile(r"(?:[^\W\d_]\.)+|[^\W\d_]'?[^\W\d_][^\W\d_'’\-.]*(?:[-'’][^\W\d_]+)*\.?")
_AGENCY_PHOTO = re.compile(r"(.+?)\s+(?:photos?|pictures?|images)", re.IGNORECASE)
# Photo and asset numbers: a long run of digits, or capitals then digits (UN0123456).
_LONG_DIGITS = re.compile(r"\d{5,}")
_ID_CODE = re.compile(r"[A-Z]{1,6}[-_]?\d{3,}[A-Z]?")
_YEAR = re.compile(r"(?:19|20)\d\d")
_EDGE_YEAR = re.compile(r"^(?:19|20)\d\d\s+|\s+(?:19|20)\d\d$")
_ACRONYM = re.compile(r"[A-Z][A-Z&]{1,4}")
_ROMAN = frozenset({"II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"})
_LETTERS = re.compile(r"[^\W\d_]+")
_NOT_ALNUM = re.compile(r"[\W_]+")
# "McCARN", "O'NEILL" written with the prefix in mixed case and the rest in capitals.
_CAPS_AFTER_PREFIX = re.compile(r"(Mc|Mac|O'|O’|D'|D’)([A-Z]{2,})([.,]?)")

# --- datelines -----------------------------------------------------------------------

_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_DATELINE = re.compile(
    r"^(?P<place>[^\W\d_][^:\d]{0,80}?)"
    r"(?:\s*[-–—]\s*(?:"
    rf"(?P<mon>(?i:{_MONTH_ALT}))\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    r"(?:\s*,\s*(?P<year>\d{4}))?"
    r"|(?P<y>\d{4})[/-](?P<m>\d{1,2})[/-](?P<d>\d{1,2}))\s*:"
    rf"|\s*,\s*(?P<mon2>(?i:{_MONTH_ALT}))\.?\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
    r"(?P<year2>\d{4})\s*[.:–—-])"
)


@dataclass(frozen=True)
class Credit:
    photographers: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaptionParts:
    caption: str | None = None
    photo_credit: str | None = None
    photographers: list[str] = field(default_factory=list)
    photo_agencies: list[str] = field(default_factory=list)
    caption_place: str | None = None
    caption_date: str | None = None


# --- names ---------------------------------------------------------------------------


def _cap_piece(piece: str) -> str:
    if len(piece) > 3 and piece.startswith("MC"):
        return "Mc" + piece[2] + piece[3:].lower()
    return piece[:1] + piece[1:].lower()


def _title_word(word: str) -> str:
    prefixed = _CAPS_AFTER_PREFIX.fullmatch(word)
    if prefixed:
        return prefixed.group(1) + _cap_piece(prefixed.group(2)) + prefixed.group(3)
    letters = "".join(_LETTERS.findall(word))
    if len(letters) <= 1 or not letters.isupper() or word.rstrip(".,") in _ROMAN:
        return word
    return _LETTERS.sub(lambda m: _cap_piece(m.group(0)), word)


def title_case_name(name: str) -> str:
    """Title-case the ALL-CAPS words of a name; words already in mixed case stay.

    ``BRENDAN SMIALOWSKI`` → ``Brendan Smialowski``, ``Fabrice COFFRINI`` → ``Fabrice
    Coffrini``, ``JEAN-PIERRE O'BRIEN`` → ``Jean-Pierre O'Brien``, ``MCDONALD`` →
    ``McDonald``; initials (``J.``) and Roman numerals (``III``) are left alone.
    """
    return " ".join(_title_word(w) for w in name.split())


def _place(text: str) -> str:
    parts = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        letters = "".join(_LETTERS.findall(part))
        parts.append(part if len(letters) <= 3 else title_case_name(part))
    return ", ".join(parts)


# --- classifying pieces --------------------------------------------------------------


def _name_key(name: str) -> str:
    return _NOT_ALNUM.sub("", name.casefold())


def _looks_like_person(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 5:
        return False
    if any(w.casefold().strip(".,") in _ORG_WORDS for w in words):
        return False
    if words[0].casefold() == "the":
        return False
    capitalised = 0
    for word in words:
        if word.casefold() in _PARTICLES:
            continue
        if not _NAME_WORD.fullmatch(word):
            return False
        if word[0].isupper() or (len(word) > 2 and word[1] in "'’" and word[2].isupper()):
            capitalised += 1
        else:
            return False
    return capitalised >= 2


class _Named(NamedTuple):
    """One name read from a credit, with the rule that decided what it is.

    ``rule`` lets a whole chain revisit the weak decisions (``single``, ``name``) once
    the other parts of the chain are known; ``text`` is the spelling as published.
    """

    kind: str  # "person" or "org"
    name: str
    rule: str  # "table", "glued", "handle", "words", "single", "name", "outlet", "other"
    text: str


def _is_id(text: str) -> bool:
    """A photo or asset number (``UN0123456``, ``GettyImages-1207264390``): no name."""
    if text.startswith("@") or " " in text:
        return False
    return bool(_LONG_DIGITS.search(text) or _ID_CODE.fullmatch(text))


def _classify(token: str, table: AgencyTable) -> list[_Named]:
    """What one piece of a credit names, before its chain is looked at as a whole."""
    text = _strip_prefixes(token.strip(_STRIP_CHARS)).strip(_STRIP_CHARS)
    # "© 2020 AFP", "UNICEF/2020/…": the copyright year names no one.
    text = _EDGE_YEAR.sub("", text).strip(_STRIP_CHARS)
    if not text or text.casefold() in _DROP:
        return []
    canonical = table.canonical(text)
    if canonical:
        return [_Named("org", canonical, "table", text)]
    m = _AGENCY_PHOTO.fullmatch(text)
    canonical = table.canonical(m.group(1)) if m else None
    if canonical:
        return [_Named("org", canonical, "table", text)]
    if _YEAR.fullmatch(text) or _is_id(text):
        return []
    glued = table.split_glued(text)
    if glued:
        return [
            _Named("person", title_case_name(glued[0]), "glued", glued[0]),
            _Named("org", glued[1], "glued", glued[1]),
        ]
    if _HANDLE.fullmatch(text) and (text[0] == "@" or any(c.isdigit() or c == "_" for c in text)):
        return [_Named("person", text.lstrip("@"), "handle", text)]
    words = text.split()
    if any(w.casefold().strip(".,") in _ORG_WORDS for w in words) or (
        words[0].casefold() == "the" and len(words) > 1
    ):
        return [_Named("org", text, "words", text)]
    if len(words) == 1:
        return [_Named("org", text, "single", text)]
    if _looks_like_person(text):
        return [_Named("person", title_case_name(text), "name", text)]
    return [_Named("org", text, "other", text)]


def _classify_chain(chain: list[list[str]], table: AgencyTable) -> list[_Named]:
    """Names of one slash chain (``A/B/C``), each part judged beside the others.

    - A chain credits one photographer: after a part that names a person, a later
      part that only looks like a name is the outlet the person worked for
      (``Owen Hartley/Houston Chronicle``, ``Jane Doe/Kansas City Star``).
    - When every other part is a known organisation, the one unknown single word is
      the photographer (``Tapui / Adobe Stock``, ``UNICEF/UN0123456/Naftalin``):
      agencies put the photographer beside their own name, and without the known
      organisation a single word is more often a brand (``Photo by Ivan
      Petrov/Kommersant``). A word of two to five capitals stays an organisation
      (``GPO/ Handout/Anadolu``): that is how acronyms are written.
    """
    parts = [[n for piece in part for n in _classify(piece, table)] for part in chain]
    seen_person = False
    for i, part in enumerate(parts):
        if seen_person:
            parts[i] = [
                n._replace(kind="org", name=n.text, rule="outlet") if n.rule == "name" else n
                for n in part
            ]
        seen_person = seen_person or any(n.kind == "person" for n in parts[i])
    names = [n for part in parts for n in part]
    unknown = [i for i, n in enumerate(names) if n.rule not in ("table", "glued")]
    if len(names) > 1 and len(unknown) == 1:
        lone = names[unknown[0]]
        if lone.rule == "single" and not _ACRONYM.fullmatch(lone.text):
            names[unknown[0]] = _Named("person", title_case_name(lone.text), "single", lone.text)
    return names


def _known(token: str, table: AgencyTable) -> bool:
    """Whether a piece names an organisation from the agency table."""
    text = _strip_prefixes(token.strip(_STRIP_CHARS)).strip(_STRIP_CHARS)
    if not text:
        return False
    if table.canonical(text) or table.split_glued(text):
        return True
    m = _AGENCY_PHOTO.fullmatch(text)
    return bool(m and table.canonical(m.group(1)))


def _split_list(piece: str, table: AgencyTable) -> list[str]:
    """``John Smith, Jane Doe`` / ``A and B`` → two pieces, when each side is a known
    organisation, a person name or a marker (``Evan Vucci, File``); otherwise the
    piece stays whole."""
    sides = [s for s in _LIST.split(piece) if s.strip(_STRIP_CHARS)]
    if len(sides) < 2:
        return [piece]
    for side in sides:
        side = side.strip(_STRIP_CHARS)
        if not (
            table.canonical(side)
            or side.casefold() in _DROP
            or _looks_like_person(title_case_name(side))
        ):
            return [piece]
    return sides


def _part_pieces(token: str, table: AgencyTable) -> list[str]:
    """One slash part split into what it names: ``Tom Brenner for The Washington
    Post`` → person and outlet, ``John Smith and Jane Doe`` → two people."""
    if table.canonical(token):
        return [token]
    halves = _FOR.split(token, maxsplit=1)
    if len(halves) == 2 and _looks_like_person(title_case_name(halves[0])):
        return halves
    if not _looks_like_person(title_case_name(token)):
        return _split_list(token, table)
    return [token]


def _chains(group: str) -> Iterator[list[str]]:
    """The slash chains of a credit group: ``A/B via C; D`` → ``[A, B]``, ``[C]``,
    ``[D]``. ``via`` ends a chain: what follows is the distributor, not a part."""
    for part in _GROUP_SPLIT.split(group):
        for segment in _VIA.split(_strip_prefixes(part.strip(_STRIP_CHARS))):
            tokens = (_strip_prefixes(t.strip(_STRIP_CHARS)) for t in _SLASH.split(segment))
            chain = [t.strip(_STRIP_CHARS) for t in tokens if t.strip(_STRIP_CHARS)]
            if chain:
                yield chain


def _groups(text: str) -> list[str]:
    """Top-level parenthesised groups and the text between them, in order."""
    groups: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                if text[start:i].strip():
                    groups.append(text[start:i])
                start = i + 1
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                if text[start:i].strip():
                    groups.append(text[start:i])
                start = i + 1
    if text[start:].strip():
        groups.append(text[start:])
    return groups


def parse_credit(value: str | None, agencies: AgencyTable | None = None) -> Credit:
    """People and organisations named in a credit, each once, in order of appearance."""
    text = clean_text(value)
    if not text:
        return Credit()
    table = agencies or load_agencies()
    people: dict[str, str] = {}
    orgs: dict[str, str] = {}
    # Inside a credit "(c)" is the copyright sign, not a parenthesised group.
    text = _C_IN_PARENS.sub("©", text)
    for group in _groups(text):
        for chain in _chains(group):
            for named in _classify_chain([_part_pieces(t, table) for t in chain], table):
                target = people if named.kind == "person" else orgs
                target.setdefault(_name_key(named.name) or named.name, named.name)
    return Credit(tuple(people.values()), tuple(orgs.values()))


# --- finding the credit in a caption -------------------------------------------------


def _strip_prefixes(text: str) -> str:
    while True:
        m = _PREFIX.match(text)
        if not m or m.end() == 0:
            return text
        text = text[m.end() :].lstrip(" :")


def _has_sentence_end(text: str) -> bool:
    for m in _SENTENCE_END.finditer(text):
        word = m.group(1)
        if m.group(2) != "." or (len(word) > 1 and word.casefold() not in _ABBREVIATIONS):
            return True
    return False


def _short(text: str) -> bool:
    return len(text) <= _MAX_CREDIT_CHARS and len(text.split()) <= _MAX_CREDIT_WORDS


def _keyword_credit(text: str) -> bool:
    """``Photo by …``, ``© …``, ``Credit: …`` with something after the credit word."""
    if not _PREFIX.match(text) or text[:2].casefold() == "by":
        return False
    rest = _strip_prefixes(text).strip(_STRIP_CHARS)
    return bool(rest) and _short(rest) and not _has_sentence_end(rest)


def _slash_credit(text: str, table: AgencyTable) -> bool:
    """``Name/Agency``, ``Agency via Getty Images``: several short pieces, one known."""
    if not _short(text) or _has_sentence_end(text):
        return False
    pieces = [p for seg in _VIA.split(text) for p in _SLASH.split(seg)]
    if len(pieces) < 2:
        return False
    for piece in pieces:
        piece = piece.strip(_STRIP_CHARS)
        if not piece or len(piece) > 60 or len(piece.split()) > 6:
            return False
    return any(_known(p, table) for p in pieces)


def _paren_credit(content: str, before: str, table: AgencyTable) -> bool:
    content = content.strip()
    if not content:
        return False
    if _keyword_credit(content) or _slash_credit(content, table):
        return True
    if table.canonical(content.strip(_STRIP_CHARS)):
        tail = before.rstrip()
        return not tail or tail[-1] in '.!?”"’)'
    return False


def _trailing_paren(text: str) -> tuple[int, int] | None:
    """(index of "(", index of ")") of a parenthesised group ending the text."""
    end = len(text) - 1
    if end >= 0 and text[end] in ".,;" and end > 0 and text[end - 1] == ")":
        end -= 1
    if end < 0 or text[end] != ")":
        return None
    depth = 0
    for i in range(end, -1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            depth -= 1
            if depth == 0:
                return i, end
    return None


def _tail_start(text: str, table: AgencyTable) -> int | None:
    """Start of an unparenthesised credit ending the text, the longest one first."""
    window = max(0, len(text) - _MAX_CREDIT_CHARS)
    keyword_starts = {m.start() for m in _KEYWORD_START.finditer(text, window)}
    boundaries = {m.end() for m in _BOUNDARY.finditer(text, max(0, window - 4))}
    starts = sorted({s for s in boundaries if s >= window} | keyword_starts | {0})
    for start in starts:
        tail = text[start:]
        if len(tail) > _MAX_CREDIT_CHARS:
            continue
        if (start in keyword_starts or start == 0) and _keyword_credit(tail):
            return start
        if start not in keyword_starts and _slash_credit(tail, table):
            return start
        if start == 0 and table.canonical(tail.strip(_STRIP_CHARS)):
            return start
    return None


def split_credit(
    text: str | None, agencies: AgencyTable | None = None
) -> tuple[str | None, list[str]]:
    """(caption without trailing credits, the credits as published in order)."""
    rest = clean_text(text)
    if not rest:
        return None, []
    table = agencies or load_agencies()
    credits: list[str] = []
    while rest:
        paren = _trailing_paren(rest)
        if paren and _paren_credit(rest[paren[0] + 1 : paren[1]], rest[: paren[0]], table):
            credits.insert(0, rest[paren[0] : paren[1] + 1])
            rest = rest[: paren[0]].rstrip()
            continue
        start = _tail_start(rest, table)
        if start is None:
            break
        credits.insert(0, rest[start:].strip())
        rest = rest[:start].rstrip()
    return (clean_text(rest) if rest else None), credits


# --- datelines -----------------------------------------------------------------------


def _infer_year(month: int, day: int, text: str, published: dt.date | None) -> dt.date | None:
    for found in dates_in_text(text):
        if (found.month, found.day) == (month, day):
            return found
    if published is not None:
        for year in (published.year, published.year - 1):
            try:
                candidate = dt.date(year, month, day)
            except ValueError:
                continue
            # A photo is taken before the article about it appears: a December
            # dateline on a January article belongs to the previous year.
            if candidate <= published + dt.timedelta(days=1):
                return candidate
        return None
    others = dates_in_text(text)
    if others:
        try:
            return dt.date(others[0].year, month, day)
        except ValueError:
            return None
    return None


def parse_dateline(
    caption: str | None, published: dt.date | None = None
) -> tuple[str | None, str | None]:
    """(place, ISO date) of a caption's opening dateline, e.g. ``BURBANK, CA - MARCH 17:``.

    Formats: ``PLACE - MONTH DD:``, ``PLACE - MONTH DD, YYYY:``, ``PLACE, Month DD,
    YYYY .``, ``PLACE - YYYY/MM/DD:``. The place must be in capitals (that is what
    makes it a dateline). Without a year, the year comes from the same date written
    out in the caption (``on Tuesday, March 17, 2020``), else from the publication
    date (the latest such day not after it), else from any full date in the caption.
    """
    if not caption:
        return None, None
    m = _DATELINE.match(caption)
    if not m:
        return None, None
    raw_place = m["place"].strip(" ,-–—")
    letters = "".join(_LETTERS.findall(raw_place))
    if not letters or not letters.isupper() or len(letters) < 2:
        return None, None
    place = _place(raw_place)
    day: dt.date | None = None
    if m["y"]:
        try:
            day = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            day = None
    else:
        month = month_number(m["mon"] or m["mon2"])
        day_number = int(m["day"] or m["day2"])
        year = m["year"] or m["year2"]
        if month is not None and year:
            try:
                day = dt.date(int(year), month, day_number)
            except ValueError:
                day = None
        elif month is not None:
            day = _infer_year(month, day_number, caption[m.end() :], published)
    return place, day.isoformat() if day else None


# --- putting it together -------------------------------------------------------------

_LINE_BREAK = re.compile(r"<\s*br\s*/?\s*>|\r\n|\r|\n|\u2028|\u2029", re.IGNORECASE)


def _whole_credit(line: str, table: AgencyTable) -> bool:
    caption, credits = split_credit(line, table)
    return caption is None and bool(credits)


def parse_caption(
    caption: str | None,
    credit: str | None = None,
    *,
    published: dt.date | None = None,
    agencies: AgencyTable | None = None,
) -> CaptionParts:
    """Split a caption into text, credit, people, organisations, place and date.

    ``credit`` is a credit shown in its own element or attribute (``data-credit``);
    it is added to the credits found in the caption text unless it repeats one, and
    removed from the end of the caption text if the caption repeats it.
    """
    table = agencies or load_agencies()
    lines = [line for line in (clean_text(x) for x in _LINE_BREAK.split(caption or "")) if line]
    credits: list[str] = []
    # A credit on its own line is a credit even without any credit word around it.
    # (A single line is searched for credits below anyway.)
    while len(lines) > 1 and _whole_credit(lines[-1], table):
        credits.insert(0, lines.pop())
    text, found = split_credit(" ".join(lines), table)
    credits = found + credits
    separate = clean_text(credit)
    if separate:
        cut = len(text or "") - len(separate)
        if text and text.endswith(separate) and (cut == 0 or not text[cut - 1].isalnum()):
            # The caption repeats the separate credit: take it off, and with it anything
            # that now turns out to end the caption as a credit too.
            text, before = split_credit(text[:cut], table)
            credits = [*before, separate, *credits]
        else:
            key = _name_key(separate)
            if not any(key and key in _name_key(c) for c in credits):
                credits.append(separate)
    people: dict[str, str] = {}
    orgs: dict[str, str] = {}
    for part in credits:
        parsed = parse_credit(part, table)
        for name in parsed.photographers:
            people.setdefault(_name_key(name) or name, name)
        for name in parsed.agencies:
            orgs.setdefault(_name_key(name) or name, name)
    place, when = parse_dateline(text, published)
    return CaptionParts(
        caption=text,
        photo_credit=" ".join(credits) or None,
        photographers=list(people.values()),
        photo_agencies=list(orgs.values()),
        caption_place=place,
        caption_date=when,
    )
