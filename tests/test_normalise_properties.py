"""Properties every normaliser must have: idempotent, total, rendering-independent."""

from __future__ import annotations

import html

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsroom_archive.normalise import (
    clean_body,
    clean_teaser,
    clean_text,
    clean_title,
    clean_type_label,
    kind_from_label,
    parse_caption,
    parse_credit,
    parse_date,
    split_tag_line,
)
from newsroom_archive.sites.generic import extract_dates, extract_figures

SUFFIXES = (" | Amnesty International USA",)
# Text that looks like captions, credits and dates, so that the interesting branches
# are reached more often than with st.text() alone.
WORDS = st.sampled_from(
    [
        "Photo",
        "by",
        "Photo:",
        "©",
        "(",
        ")",
        "/",
        " / ",
        "via",
        "Getty",
        "Images",
        "AFP",
        "REUTERS",
        "POOL",
        "TASS",
        "SharifulinTASS",
        "Valery",
        "BRENDAN",
        "J.",
        "(C)",
        "(left)",
        "MARCH",
        "17:",
        "March",
        "31,",
        "2020",
        "WASHINGTON,",
        "DC",
        "-",
        ".",
        "…",
        "...",
        "[…]",
        "&amp;",
        "&nbsp;",
        "<b>",
        "</b>",
        "<br>",
        "\u200b",
        "\u00a0",
        "Press Release",
        "Sheet of paper",
        "Report:",
        "|",
        "•",
        "e\u0301",
        "Credit:",
        "@",
        "smolaw11",
        "iStock",
        "for",
        "The Washington Post",
        "\n",
        "&lt;p&gt;",
        "&#x3B;",
        "\u037e",
        "&amp;amp;",
        "Ltd.",
        "Jr.",
        "(Photo by A B/AFP)",
        "UNICEF",
        "UN0123456",
        "Tapui",
        "Adobe Stock",
        "Houston Chronicle",
        "File",
    ]
)
CAPTIONISH = st.lists(WORDS, max_size=25).map(" ".join)
ANY_TEXT = st.one_of(st.text(), CAPTIONISH)
# Visible text without markup characters: the same text rendered different ways.
# Control characters are not visible text (and HTML itself renders "&#0;" and a
# literal NUL differently), so they are left out here.
PLAIN = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="<>&"),
)

relaxed = settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)


@relaxed
@given(ANY_TEXT)
@example("a&amp;amp;lt;b&amp;gt;c")
@example("&\u200bamp;")
@example("&amp\u037e")
@example("&#2392;")
def test_clean_text_idempotent_and_total(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once
    if once is not None:
        assert once == once.strip()
        assert "  " not in once
        assert "\u200b" not in once and "\u00a0" not in once


@relaxed
@given(ANY_TEXT)
@example("<p>a</p>\n\n<p>&lt;p&gt;b</p>")
def test_clean_body_idempotent(text: str) -> None:
    once = clean_body(text)
    assert clean_body(once) == once
    if once is not None:
        assert all(p == clean_text(p) for p in once.split("\n\n"))


@relaxed
@given(PLAIN)
def test_renderings_of_the_same_text_agree(text: str) -> None:
    literal = clean_text(text)
    escaped = html.escape(text, quote=True)
    numeric = "".join(f"&#{ord(c)};" if not c.isspace() else c for c in text)
    spaced = text.replace(" ", " \n\t ")
    wrapped = f"<b>{text}</b>"
    assert clean_text(escaped) == literal
    assert clean_text(numeric) == literal
    assert clean_text(spaced) == literal
    assert clean_text(wrapped) == literal
    assert clean_text(f"<p>{html.escape(text)}</p>") == literal


@relaxed
@given(ANY_TEXT)
def test_title_idempotent(text: str) -> None:
    once = clean_title(text, SUFFIXES)
    assert clean_title(once, SUFFIXES) == once


@relaxed
@given(ANY_TEXT)
def test_teaser_idempotent(text: str) -> None:
    once, _ = clean_teaser(text)
    again, truncated = clean_teaser(once)
    assert again == once
    assert truncated is False


@relaxed
@given(ANY_TEXT)
def test_type_label_idempotent_and_kind_total(text: str) -> None:
    once = clean_type_label(text)
    assert clean_type_label(once) == once
    kind = kind_from_label(once)
    assert (kind is None) == (once is None)


@relaxed
@given(ANY_TEXT, st.one_of(st.none(), ANY_TEXT))
@example("Text (Photo by A B/AFP) Name/AFP", None)
@example("Valery Sharifulin/TASS (Photo by Valery SharifulinTASS via Getty Images)", None)
@example("ISTOCK0S0000", "0S0000")
@example("Kids play. Jane Doe/AFP Photo: Jane Doe", "Photo: Jane Doe")
def test_caption_parsing_idempotent_on_its_caption(caption: str, credit: str | None) -> None:
    once = parse_caption(caption, credit)
    again = parse_caption(once.caption)
    assert again.caption == once.caption
    assert again.photo_credit is None
    assert (again.caption_place, again.caption_date) == (once.caption_place, once.caption_date)


@relaxed
@given(ANY_TEXT)
def test_credit_parsing_total_and_stable(text: str) -> None:
    parsed = parse_credit(text)
    assert len(set(parsed.photographers)) == len(parsed.photographers)
    assert len(set(parsed.agencies)) == len(parsed.agencies)
    # Names come out clean: parsing them again as a credit keeps them.
    assert parse_credit(text) == parsed
    for name in (*parsed.photographers, *parsed.agencies):
        assert name == clean_text(name)


@relaxed
@given(ANY_TEXT, st.booleans())
def test_dates_never_raise(text: str, day_first: bool) -> None:
    parsed = parse_date(text, day_first=day_first, timezone="Europe/Berlin")
    if parsed is not None:
        assert parsed.iso_date == parsed.date.isoformat()
    date_text, _label = split_tag_line(text)
    if date_text is not None:
        assert date_text in (clean_text(text) or "")


@settings(max_examples=100, deadline=None)
@given(ANY_TEXT)
def test_generic_extractor_never_raises(text: str) -> None:
    page = (
        "<html><body><figure><img src='/a.jpg'>"
        f"<figcaption>{text}</figcaption></figure></body></html>"
    )
    extract_figures(page, "https://example.org/2020/01/02/x/")
    extract_dates(page, "https://example.org/x/")
