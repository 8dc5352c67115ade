"""``newsroom-archive profiles`` and ``profile check|new``: the newsrooms' profiles."""

from __future__ import annotations

import click

from newsroom_archive.sites import broken_profiles, get_site, sites


@click.command("profiles")
def profiles_command() -> None:
    """List the newsrooms: name, organisation, layouts, hosts, fixtures.

    A profile that does not load is listed with its error, and the command exits 1.
    """
    from newsroom_archive.profiles.fixtures import fixture_files

    for name, newsroom in sorted(sites().items()):
        profile = newsroom.profile
        layouts = ", ".join(layout.name for layout in profile.layouts) if profile else "-"
        hosts = ", ".join(newsroom.hosts) or "(any)"
        count = len(fixture_files(newsroom))
        organisation = newsroom.organisation or "(pages of sites without a profile)"
        click.echo(f"{name}\t{organisation}\tlayouts: {layouts}\thosts: {hosts}\tfixtures: {count}")
    broken = broken_profiles()
    for name, error in sorted(broken.items()):
        click.echo(f"{name}\tBROKEN: {error}")
    if broken:
        raise SystemExit(1)


@click.group("profile")
def profile_group() -> None:
    """Check a newsroom profile against its fixtures, or start a new one."""


@profile_group.command("check")
@click.argument("name")
def check_command(name: str) -> None:
    """Validate profile NAME and run its fixtures, printing per field what differs.

    Exit status 0 when every fixture that could run agrees, 1 when one differs.
    """
    from newsroom_archive.profiles.fixtures import run_fixtures

    try:
        newsroom = get_site(name)
    except KeyError as exc:
        raise click.ClickException(str(exc.args[0])) from None
    ran = differing = 0
    for result in run_fixtures(newsroom):
        label = result.fixture.name
        if result.skipped:
            click.echo(f"{label}: skipped: {result.skipped}")
            continue
        ran += 1
        if result.ok:
            click.echo(f"{label}: ok ({result.fields_right}/{result.fields_expected} fields)")
            continue
        differing += 1
        click.echo(f"{label}: {len(result.differences)} fields differ")
        for diff in result.differences:
            click.echo(f"  {diff.where} {diff.field}: expected {diff.expected!r}, got {diff.got!r}")
    verdict = "valid" if newsroom.profile is not None else "built in"
    click.echo(f"{name}: profile {verdict}; {ran} fixtures ran, {differing} differ")
    if differing:
        raise SystemExit(1)
