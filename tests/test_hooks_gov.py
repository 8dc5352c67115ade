"""The named hooks of the government newsrooms' profiles, value by value."""

from __future__ import annotations

import pytest

from newsroom_archive.profiles.hooks import nasa_image_article


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Winter: EST, the same day.
        ("2024-01-17T19:55:24Z", "2024-01-17T14:55:24-05:00"),
        # Summer: EDT.
        ("2023-06-16T14:23:00Z", "2023-06-16T10:23:00-04:00"),
        # Late in the UTC day: the day before in Washington, the day the page shows.
        ("2023-10-26T02:10:00Z", "2023-10-25T22:10:00-04:00"),
        # An offset other than UTC is the same moment too.
        ("2023-11-03T15:18:03-04:00", "2023-11-03T15:18:03-04:00"),
        # A naive stamp or no timestamp at all is left for the date reader.
        ("2023-11-03T15:18:03", "2023-11-03T15:18:03"),
        ("Nov 03, 2023", "Nov 03, 2023"),
        ("", ""),
        (None, None),
    ],
)
def test_nasa_publication_time_is_washington_time(raw: str | None, expected: str | None) -> None:
    assert nasa_image_article.eastern_time(raw) == expected
