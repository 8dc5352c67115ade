"""``newsroom-archive profiles`` and ``profile check|new``: the newsrooms' profiles."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

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
    ran = differing = unchecked = 0
    for result in run_fixtures(newsroom):
        label = result.fixture.name
        if result.skipped:
            click.echo(f"{label}: skipped: {result.skipped}")
            continue
        ran += 1
        if result.unchecked:
            unchecked += 1
            click.echo(
                f"{label}: not checked yet: compare every value with the page, then set "
                '"checked": true'
            )
            continue
        if result.ok:
            click.echo(f"{label}: ok ({result.fields_right}/{result.fields_expected} fields)")
            continue
        differing += 1
        click.echo(f"{label}: {len(result.differences)} fields differ")
        for diff in result.differences:
            click.echo(f"  {diff.where} {diff.field}: expected {diff.expected!r}, got {diff.got!r}")
    verdict = "valid" if newsroom.profile is not None else "built in"
    waiting = f", {unchecked} not checked yet" if unchecked else ""
    click.echo(f"{name}: profile {verdict}; {ran} fixtures ran, {differing} differ{waiting}")
    if differing or unchecked:
        raise SystemExit(1)


@profile_group.command("new")
@click.argument("url")
@click.option(
    "--listing",
    "listing",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A saved listing page of the newsroom.",
)
@click.option(
    "--article",
    "article",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A saved article page of the newsroom.",
)
@click.option(
    "--article-url",
    "article_url_given",
    metavar="URL",
    help="The URL the article was saved from [default: its canonical link or og:url].",
)
@click.option("--name", "name", help="The newsroom's name [default: from the URL's host].")
@click.option(
    "--into",
    "into",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("profiles"),
    show_default=True,
    help="Folder to write the profile and its fixtures into.",
)
@click.option("--force", is_flag=True, help="Replace a profile of that name in the folder.")
def new_command(
    url: str,
    listing: Path,
    article: Path | None,
    article_url_given: str | None,
    name: str | None,
    into: Path,
    force: bool,
) -> None:
    """Draft a profile for the newsroom at URL from saved pages, with fixtures to fill in.

    The draft proposes selectors for the listing's repeated cards and the article's
    fields; its fixtures hold what the draft reads, marked unchecked until compared with
    the pages. Use it with NEWSROOM_ARCHIVE_PROFILES=FOLDER.
    """
    from w3lib.encoding import html_to_unicode

    from newsroom_archive.profiles.profile import NAME_PATTERN, ProfileError
    from newsroom_archive.profiles.scaffold import article_url, draft_profile, write_draft

    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise click.BadParameter(f"{url!r} is not an http(s) URL", param_hint="'URL'")
    if name is not None and not re.fullmatch(NAME_PATTERN, name):
        raise click.BadParameter(
            f"{name!r}: lower-case letters, digits and hyphens only", param_hint="'--name'"
        )
    texts: list[str | None] = []
    for path in (listing, article):
        if path is None:
            texts.append(None)
            continue
        try:
            texts.append(html_to_unicode(None, path.read_bytes())[1])
        except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            raise click.ClickException(f"cannot read {path}: {reason}") from None
    draft = draft_profile(url, texts[0] or "", texts[1], name)
    target = into / f"{draft.name}.toml"
    if target.exists() and not force:
        raise click.ClickException(f"{target} exists; pass --force to replace it")
    pages = [("listing", listing, url)]
    if article is not None and texts[1] is not None:
        saved_from = article_url_given or article_url(texts[1])
        if saved_from is None:
            raise click.UsageError(
                f"{article} names no URL of its own (no canonical link, no og:url): "
                "pass --article-url URL"
            )
        pages.append(("article", article, saved_from))
    try:
        written = write_draft(draft, into, pages)
    except ProfileError as exc:
        raise click.ClickException(f"the draft does not load: {exc}") from None
    except OSError as exc:
        raise click.ClickException(f"cannot write into {into}: {exc.strerror}") from None
    for path in written:
        click.echo(f"wrote {path}")
    for note in draft.notes:
        click.echo(f"to do: {note}")
    click.echo(
        f"next: NEWSROOM_ARCHIVE_PROFILES={into} newsroom-archive profile check {draft.name}"
    )
