"""The real image URL behind lazy-loading markup."""

from __future__ import annotations

import pytest

from newsroom_archive.normalise import absolute_url, parse_srcset, pick_image_url

BASE = "https://www.amnestyusa.org/press-releases/hope/"
PLACEHOLDER = "data:image/gif;base64,R0lGODlhAQABAAAAACw="


@pytest.mark.parametrize(
    ("src", "data_src", "srcset", "expected"),
    [
        (
            PLACEHOLDER,
            "/wp-content/uploads/2020/03/a.jpg",
            "/wp-content/uploads/2020/03/a-300x200.jpg 300w, "
            "/wp-content/uploads/2020/03/a-1024x683.jpg 1024w, "
            "/wp-content/uploads/2020/03/a-768x512.jpg 768w",
            "https://www.amnestyusa.org/wp-content/uploads/2020/03/a-1024x683.jpg",
        ),
        (
            None,
            None,
            "https://cdn.example.org/a.jpg 1x, https://cdn.example.org/a@2x.jpg 2x",
            "https://cdn.example.org/a@2x.jpg",
        ),
        (
            None,
            None,
            "https://cdn.example.org/a.jpg, https://cdn.example.org/a@3x.jpg 3x",
            "https://cdn.example.org/a@3x.jpg",
        ),
        (
            # Commas inside a URL do not split candidates.
            None,
            None,
            "https://ti.example/a.jpg?fit=300,150 300w, "
            "https://ti.example/a.jpg?fit=2500,1250 2500w",
            "https://ti.example/a.jpg?fit=2500,1250",
        ),
        (
            PLACEHOLDER,
            "/wp-content/uploads/a.jpg",
            None,
            "https://www.amnestyusa.org/wp-content/uploads/a.jpg",
        ),
        (
            "/wp-content/uploads/a.jpg",
            None,
            None,
            "https://www.amnestyusa.org/wp-content/uploads/a.jpg",
        ),
        ("//cdn.example.org/a.jpg", None, "", "https://cdn.example.org/a.jpg"),
        ("images/a.jpg", None, None, "https://www.amnestyusa.org/press-releases/hope/images/a.jpg"),
        (PLACEHOLDER, PLACEHOLDER, f"{PLACEHOLDER} 1x", None),
        (PLACEHOLDER, None, None, None),
        (None, None, None, None),
        ("  ", " ", " , ", None),
    ],
)
def test_pick_image_url(
    src: str | None, data_src: str | None, srcset: str | None, expected: str | None
) -> None:
    assert pick_image_url(src, data_src, srcset, BASE) == expected


def test_parse_srcset() -> None:
    assert parse_srcset("a.jpg 300w, b.jpg 1.5x,c.jpg") == [
        ("a.jpg", "w", 300.0),
        ("b.jpg", "x", 1.5),
        ("c.jpg", "x", 1.0),
    ]
    assert parse_srcset("a.jpg 300q") == []
    assert parse_srcset(None) == []


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("https://x.org/a.jpg", None, "https://x.org/a.jpg"),
        ("/a.jpg", "https://x.org/b/", "https://x.org/a.jpg"),
        ("/a.jpg", None, None),
        ("javascript:void(0)", "https://x.org/", None),
        ("data:image/png;base64,AAAA", "https://x.org/", None),
        ("http://[::1", "https://x.org/", None),
        ("", "https://x.org/", None),
    ],
)
def test_absolute_url(url: str, base: str | None, expected: str | None) -> None:
    assert absolute_url(url, base) == expected
