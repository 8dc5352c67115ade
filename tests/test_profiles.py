"""Every newsroom profile against its fixtures: the records `extract` prints for each saved
page, field by field, as written by reading the page."""

from __future__ import annotations

import pytest

from newsroom_archive.profiles.fixtures import fixture_files, run_fixture, shared_root
from newsroom_archive.sites import broken_profiles, sites

CASES = [
    pytest.param(newsroom, fixture, id=f"{name}/{fixture.name.split('.')[0]}")
    for name, newsroom in sorted(sites().items())
    for fixture in fixture_files(newsroom)
]


def test_every_profile_loads() -> None:
    assert broken_profiles() == {}


@pytest.mark.parametrize(("newsroom", "fixture"), CASES)
def test_fixture(newsroom, fixture) -> None:  # type: ignore[no-untyped-def]
    result = run_fixture(newsroom, fixture)
    if result.skipped:
        pytest.skip(f"{result.skipped} (the real pages are kept in {shared_root()})")
    report = "\n".join(
        f"{d.where} {d.field}: expected {d.expected!r}, got {d.got!r}" for d in result.differences
    )
    assert result.differences == [], report
    assert result.fields_right == result.fields_expected > 0
