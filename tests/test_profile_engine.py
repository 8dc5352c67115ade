"""The profile engine's own behaviour, beside the per-newsroom fixtures."""

from __future__ import annotations

import json
from pathlib import Path

from newsroom_archive.profiles.fixtures import run_fixture
from newsroom_archive.sites import get_site

_ARTICLE = """<html><head><meta property="og:title" content="Detention visits"></head>
<body><div class="content-wrapper"><article><div class="wp-block-post-content">
<p>First paragraph.</p></div></article></div></body></html>"""
_URL = "https://www.amnestyusa.org/press-releases/detention-visits/"


def _fixture(tmp_path: Path, record: dict[str, object]) -> Path:
    (tmp_path / "page.html").write_text(_ARTICLE, encoding="utf-8")
    path = tmp_path / "page.fixture.json"
    path.write_text(json.dumps({"page": "page.html", "url": _URL, "records": [record]}))
    return path


_RECORD = {
    "url": _URL,
    "title": "Detention visits",
    "kind": "press-release",
    "body": "First paragraph.",
    "extractor": "profile:amnestyusa/block-theme",
}


def test_a_list_field_left_out_is_expected_empty(tmp_path: Path) -> None:
    # photographers, photo_agencies, tags and attachments are lists: left out of a
    # fixture they mean [], as a left-out text field means None.
    result = run_fixture(get_site("amnestyusa"), _fixture(tmp_path, _RECORD))
    assert result.differences == []
    assert (result.fields_right, result.fields_expected) == (5, 5)


def test_a_list_field_the_page_lacks_is_reported(tmp_path: Path) -> None:
    fixture = _fixture(tmp_path, {**_RECORD, "tags": ["Refugees"]})
    result = run_fixture(get_site("amnestyusa"), fixture)
    assert [(d.field, d.expected, d.got) for d in result.differences] == [
        ("tags", ["Refugees"], [])
    ]
    assert (result.fields_right, result.fields_expected) == (5, 6)
