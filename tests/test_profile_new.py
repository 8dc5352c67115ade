"""`profile new`: a draft profile from saved real pages, and fixtures marked unchecked.

The pages are the Ohio Attorney General's, kept beside the project; the expected cards
were read from the listing page (ten `div.ohio-news`, the first and the last below).
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsroom_archive.cli import main
from newsroom_archive.profiles import load_profile
from newsroom_archive.profiles.fixtures import run_fixture, shared_root
from newsroom_archive.profiles.reader import newsroom

OHIO = shared_root() / "newsrooms" / "ag-ohio"
LISTING_URL = "https://www.ohioattorneygeneral.gov/Media/News-Releases"
ARTICLE_URL = (
    "https://www.ohioattorneygeneral.gov/Media/News-Releases/February-2026/"
    "Eight-People-Plead-Guilty-in-Mahoning-Valley-Human"
)

pytestmark = pytest.mark.skipif(
    not OHIO.is_dir(), reason=f"saved newsroom pages not found at {OHIO} (kept beside the project)"
)


def _new(tmp_path: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main,
        [
            "profile",
            "new",
            LISTING_URL,
            "--listing",
            str(OHIO / "listing_page_0.html"),
            "--into",
            str(tmp_path),
            *extra,
        ],
    )
    return result.exit_code, result.output


def test_a_draft_reads_the_listing_it_was_drawn_from(tmp_path: Path) -> None:
    code, out = _new(
        tmp_path,
        "--article",
        str(OHIO / "detail_000_human_trafficking_guilty.html"),
        "--article-url",
        ARTICLE_URL,
        "--name",
        "ohio-draft",
    )
    assert code == 0, out
    folder = tmp_path / "fixtures" / "ohio-draft"
    assert out.splitlines() == [
        f"wrote {tmp_path / 'ohio-draft.toml'}",
        f"wrote {folder / 'listing.html'}",
        f"wrote {folder / 'listing.fixture.json'}",
        f"wrote {folder / 'article.html'}",
        f"wrote {folder / 'article.fixture.json'}",
        "to do: no machine-readable date on the article: write `published` (css:…)",
        f"next: NEWSROOM_ARCHIVE_PROFILES={tmp_path} newsroom-archive profile check ohio-draft",
    ]
    draft = tomllib.loads((tmp_path / "ohio-draft.toml").read_text(encoding="utf-8"))
    (layout,) = draft["layouts"]
    # The selectors proposed are the site's own class names, readable and correctable.
    assert layout["listing"]["cards"] == "css:div.ohio-news"
    assert layout["listing"]["fields"]["url"] == "css:h3 a::attr(href)"
    assert draft["required_card_fields"] == ["title", "date_text"]
    site = newsroom(load_profile(tmp_path / "ohio-draft.toml"))
    text = (OHIO / "listing_page_0.html").read_text(encoding="utf-8", errors="replace")
    cards = site.parse_listing(text, LISTING_URL).cards
    assert len(cards) == 10
    assert (cards[0].url, cards[0].title, cards[0].date_text) == (
        ARTICLE_URL,
        "Eight People Plead Guilty in Mahoning Valley Human Trafficking Case",
        "2/11/2026",
    )
    assert (cards[-1].url, cards[-1].title) == (
        "https://www.ohioattorneygeneral.gov/Media/News-Releases/January-2026/"
        "AG-Yost-Sues-Solar-Company-for-Allegedly-Deceiving",
        "AG Yost Sues Solar Company for Allegedly Deceiving Ohio Consumers",
    )
    article = site.parse_article(
        (OHIO / "detail_000_human_trafficking_guilty.html").read_text(errors="replace"),
        ARTICLE_URL,
    )
    assert article.body is not None
    assert article.body.startswith("(WARREN, Ohio) — Eight people have pleaded guilty")
    # The fixtures hold the draft's reading, unchecked: they fail until a person checks them.
    fixture = json.loads((folder / "listing.fixture.json").read_text(encoding="utf-8"))
    assert (fixture["page"], fixture["url"], fixture["checked"]) == (
        "listing.html",
        LISTING_URL,
        False,
    )
    assert [r["url"] for r in fixture["records"]] == [c.url for c in cards]
    result = run_fixture(site, folder / "listing.fixture.json")
    assert result.unchecked and not result.ok and result.differences == []


def test_an_unchecked_draft_fails_its_check_until_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsroom_archive import sites

    assert _new(tmp_path, "--name", "ohio-draft")[0] == 0
    monkeypatch.setenv("NEWSROOM_ARCHIVE_PROFILES", str(tmp_path))
    sites._profiles.cache_clear()
    sites.sites.cache_clear()
    try:
        result = CliRunner().invoke(main, ["profile", "check", "ohio-draft"])
        assert result.exit_code == 1
        assert result.output.splitlines() == [
            "listing.fixture.json: not checked yet: compare every value with the page, then set "
            '"checked": true',
            "ohio-draft: profile valid; 1 fixtures ran, 0 differ, 1 not checked yet",
        ]
        path = tmp_path / "fixtures" / "ohio-draft" / "listing.fixture.json"
        fixture = json.loads(path.read_text(encoding="utf-8"))
        fixture["checked"] = True
        path.write_text(json.dumps(fixture), encoding="utf-8")
        result = CliRunner().invoke(main, ["profile", "check", "ohio-draft"])
        assert result.exit_code == 0, result.output
        assert (
            result.output.splitlines()[-1] == "ohio-draft: profile valid; 1 fixtures ran, 0 differ"
        )
    finally:
        monkeypatch.delenv("NEWSROOM_ARCHIVE_PROFILES")
        sites._profiles.cache_clear()
        sites.sites.cache_clear()


@pytest.mark.parametrize(
    ("extra", "code", "message"),
    [
        (("--name", "Ohio Draft"), 2, "'Ohio Draft': lower-case letters, digits and hyphens only"),
        (
            ("--article", str(OHIO / "detail_000_human_trafficking_guilty.html")),
            2,
            "names no URL of its own (no canonical link, no og:url): pass --article-url URL",
        ),
        (("--article", "/nonexistent/a.html", "--article-url", ARTICLE_URL), 1, "cannot read"),
    ],
)
def test_bad_input_is_one_line(
    tmp_path: Path, extra: tuple[str, ...], code: int, message: str
) -> None:
    got, out = _new(tmp_path, *extra)
    assert got == code
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], out
    assert not (tmp_path / "ohio-draft.toml").exists()


def test_an_existing_profile_is_not_replaced_without_force(tmp_path: Path) -> None:
    assert _new(tmp_path, "--name", "ohio-draft")[0] == 0
    code, out = _new(tmp_path, "--name", "ohio-draft")
    assert (code, out.strip()) == (
        1,
        f"Error: {tmp_path / 'ohio-draft.toml'} exists; pass --force to replace it",
    )
    assert _new(tmp_path, "--name", "ohio-draft", "--force")[0] == 0
