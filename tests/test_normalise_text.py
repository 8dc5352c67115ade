"""Text cleaning, titles, teasers, type labels and kinds."""

from __future__ import annotations

import pytest

from newsroom_archive.normalise import (
    FOLDER_TO_KIND,
    KINDS,
    LABEL_TO_KIND,
    classify_kind,
    clean_body,
    clean_teaser,
    clean_text,
    clean_title,
    clean_type_label,
    kind_from_label,
    kind_from_url,
)

AIUSA_SUFFIXES = (" | Amnesty International USA",)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hope &amp; Change", "Hope & Change"),
        ("Hope & Change", "Hope & Change"),
        ("Caf&eacute;", "Café"),
        ("Cafe\u0301", "Café"),
        ("<p>One</p><p>Two</p>", "One Two"),
        ("<b>Bold</b> text", "Bold text"),
        ("line<br>break", "line break"),
        ("a\u00a0b\u202fc\u2007d&nbsp;e", "a b c d e"),
        ("zero\u200bwidth\u200c\u200d\ufeff", "zerowidth"),
        ("soft\u00adhyphen", "softhyphen"),
        ("  \n\t spaced \r\n out  ", "spaced out"),
        ("“Quotes” – and — dashes ‘kept’", "“Quotes” – and — dashes ‘kept’"),
        ("&ldquo;Hope&rdquo; &ndash; now", "“Hope” – now"),
        ("a < b and c > d", "a < b and c > d"),
        ("double &amp;amp; escaped", "double & escaped"),
        ("I&amp;#39;ve seen", "I've seen"),
        ("<script>var x = 1;</script>Text", "Text"),
        ("<!-- note -->Text", "Text"),
        ("nul\x00char", "nulchar"),
        ("", None),
        ("   ", None),
        ("<p> </p>", None),
        ("\u200b", None),
        (None, None),
    ],
)
def test_clean_text(raw: str | None, expected: str | None) -> None:
    assert clean_text(raw) == expected


def test_two_renderings_give_one_value() -> None:
    literal = "“Hope Can’t Be Quarantined” campaign — for immigrants & asylum-seekers"
    entities = (
        "&ldquo;Hope Can&rsquo;t Be  Quarantined&rdquo;\n campaign &mdash; for immigrants "
        "&amp; <b>asylum-seekers</b>"
    )
    assert clean_text(literal) == clean_text(entities) == literal


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<p>One &amp; two</p><p>Three\n four</p>", "One & two\n\nThree four"),
        ("First paragraph.\n\n\n  Second\nparagraph.", "First paragraph.\n\nSecond paragraph."),
        ("Line one<br/>Line two", "Line one\n\nLine two"),
        ("<div><p>Nested</p></div>", "Nested"),
        ("One\r\n\r\nTwo", "One\n\nTwo"),
        ("  \n\n <p> </p>", None),
        (None, None),
    ],
)
def test_clean_body_keeps_paragraphs(raw: str | None, expected: str | None) -> None:
    assert clean_body(raw) == expected


@pytest.mark.parametrize(
    ("raw", "suffixes", "expected"),
    [
        ("Hope | Amnesty International USA", AIUSA_SUFFIXES, "Hope"),
        ("Hope – Amnesty International USA", AIUSA_SUFFIXES, "Hope"),
        ("Hope - Amnesty International USA", AIUSA_SUFFIXES, "Hope"),
        ("Hope — amnesty international usa", AIUSA_SUFFIXES, "Hope"),
        ("Press Release: Hope | Amnesty International USA", AIUSA_SUFFIXES, "Hope"),
        ("Report: Hope", (), "Hope"),
        ("Update - Hope", (), "Hope"),
        ("Pressemitteilung: Hoffnung", (), "Hoffnung"),
        ("Press Release: Update - Hope", (), "Hope"),
        ("Interview: Hope", (), "Interview: Hope"),
        ("Reporters | Amnesty International USA", AIUSA_SUFFIXES, "Reporters"),
        ("Report:", (), "Report:"),
        ("Amnesty International USA", AIUSA_SUFFIXES, "Amnesty International USA"),
        (
            "EP paves way for the use of EU funds | News | European Parliament",
            ("European Parliament", "News"),
            "EP paves way for the use of EU funds",
        ),
        ("Hope &amp; Change | Amnesty International USA", AIUSA_SUFFIXES, "Hope & Change"),
        (None, AIUSA_SUFFIXES, None),
    ],
)
def test_clean_title(raw: str | None, suffixes: tuple[str, ...], expected: str | None) -> None:
    assert clean_title(raw, suffixes) == expected


@pytest.mark.parametrize(
    ("raw", "expected", "truncated"),
    [
        (
            "Russian authorities should take urgent measures…",
            "Russian authorities should take urgent measures",
            True,
        ),
        ("If put into practice, this...", "If put into practice, this", True),
        ("Cut here […]", "Cut here", True),
        ("Cut here [...]", "Cut here", True),
        ("Cut here ... …", "Cut here", True),
        ("A full sentence.", "A full sentence.", False),
        ("Wait for it..", "Wait for it..", False),
        ("Mid … dle stays", "Mid … dle stays", False),
        ("…", None, True),
        ("", None, False),
        (None, None, False),
    ],
)
def test_clean_teaser(raw: str | None, expected: str | None, truncated: bool) -> None:
    assert clean_teaser(raw) == (expected, truncated)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Sheet of paper Report", "Report"),
        ("Sheet of paper  Sheet of paper Report", "Report"),
        ("Press Release", "Press Release"),
        ("Sheet of paper", "Sheet of paper"),
        ("  Pressemitteilung ", "Pressemitteilung"),
        (None, None),
    ],
)
def test_clean_type_label(raw: str | None, expected: str | None) -> None:
    assert clean_type_label(raw) == expected


def test_clean_type_label_source_icons() -> None:
    assert clean_type_label("Megaphone Statement", ("Megaphone",)) == "Statement"


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Press Release", "press-release"),
        ("PRESS RELEASE", "press-release"),
        ("Press Releases", "press-release"),
        ("Report", "report"),
        ("Update", "update"),
        ("Statement", "statement"),
        ("News", "news"),
        ("Blog entry", "blog"),
        ("Blog entry by Annisa Rahmawati", "blog"),
        ("Publication", "publication"),
        ("Interview", "interview"),
        ("Event", "event"),
        ("Pressemitteilung", "press-release"),
        ("Bericht", "report"),
        ("Aktuell", "news"),
        ("Stellungnahme", "statement"),
        ("Something Else Entirely", "other"),
        (None, None),
        ("", None),
    ],
)
def test_kind_from_label(label: str | None, kind: str | None) -> None:
    assert kind_from_label(label) == kind


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://www.amnestyusa.org/press-releases/hope/", "press-release"),
        ("https://www.amnestyusa.org/reports/hope/", "report"),
        ("https://www.amnestyusa.org/updates/hope/", "update"),
        ("https://www.amnestyusa.org/news/hope/", "news"),
        ("https://www.amnestyusa.org/press-releases/hope/?utm_source=x", "press-release"),
        ("https://www.amnesty.de/allgemein/pressemitteilung/autonome-waffen", "press-release"),
        (
            "https://www.greenpeace.org/international/en/news/Blogs/makingwaves/x/blog/59285/",
            "blog",
        ),
        ("https://www.amnestyusa.org/hope/", None),
        ("https://www.amnestyusa.org/news/", None),
        (None, None),
    ],
)
def test_kind_from_url(url: str | None, kind: str | None) -> None:
    assert kind_from_url(url) == kind


def test_label_decides_before_url_and_rules_extend_tables() -> None:
    url = "https://www.amnestyusa.org/press-releases/hope/"
    assert classify_kind("Report", url) == "report"
    assert classify_kind(None, url) == "press-release"
    assert classify_kind("Unheard Of", url) == "other"
    assert classify_kind(
        "Medienmitteilung", None, labels={"Medienmitteilung": "press-release"}
    ) == ("press-release")
    assert classify_kind(
        None, "https://x.org/campaigns/hope/", folders={"campaigns": "update"}
    ) == ("update")


def test_tables_only_use_the_vocabulary() -> None:
    assert set(LABEL_TO_KIND.values()) <= set(KINDS)
    assert set(FOLDER_TO_KIND.values()) <= set(KINDS)
    assert list(KINDS) == [
        "press-release",
        "report",
        "update",
        "statement",
        "news",
        "blog",
        "publication",
        "interview",
        "event",
        "other",
    ]
