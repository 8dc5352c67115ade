"""The sample newsrooms, by the name of the newsroom that reads them.

Each is a history (``states.Timeline``: articles, states, answer key) and the functions
that render a state into pages and find the page a request reaches. One server
(``server.SampleNewsroom``) serves any of them, with the same validators, request log and
faults.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsroom_archive.sample_site import content, presse_content, presse_render, render
from newsroom_archive.sample_site.pages import Page, write_pages
from newsroom_archive.sample_site.states import Timeline

__all__ = ["DEFAULT_SITE", "SITES", "SampleSite", "sample_site", "write_site"]


def _by_path(path: str, query: str, pages: dict[str, Page]) -> Page | None:
    # Query strings do not route: tracking parameters reach the page they decorate.
    return pages.get(path)


@dataclass(frozen=True)
class SampleSite:
    name: str
    """The newsroom (spider, profile) that crawls it, and the name that selects it."""
    description: str
    listing_path: str
    """Where its listing starts: the crawl's start URL below the server's base URL."""
    timeline: Timeline[Any]
    render: Callable[[str, str], dict[str, Page]]
    """(state, base URL) → every page of the state by path."""
    not_found: Callable[[str], Page]
    route: Callable[[str, str, dict[str, Page]], Page | None] = _by_path
    """(path, query, the state's pages) → the page a request reaches, if any."""

    def write(self, state: str, directory: Path, base_url: str = "") -> list[Path]:
        """Write a static copy of a state; returns the files."""
        return write_pages(self.render(state, base_url), self.not_found(base_url), directory)


SITES: dict[str, SampleSite] = {
    site.name: site
    for site in (
        SampleSite(
            "amnestyusa",
            "amnestyusa.org shapes: WordPress block theme, JSON-LD, lazy images, /news/page/N/",
            "/news/",
            content.TIMELINE,
            render.render_site,
            render.render_not_found,
        ),
        SampleSite(
            "sample-presse",
            "a German Drupal newsroom: views rows, <time datetime>, ?page=N from 0, no card images",
            presse_render.LISTING_PATH,
            presse_content.TIMELINE,
            presse_render.render_site,
            presse_render.render_not_found,
            presse_render.route,
        ),
    )
}
DEFAULT_SITE = "amnestyusa"


def sample_site(name: str) -> SampleSite:
    try:
        return SITES[name]
    except KeyError:
        raise KeyError(f"unknown sample newsroom {name!r} (known: {', '.join(SITES)})") from None


def write_site(
    state: str, directory: Path, base_url: str = "", site: str = DEFAULT_SITE
) -> list[Path]:
    """Write a static copy of a sample newsroom's state (``index.html`` per folder,
    ``404.html``); returns the files."""
    return sample_site(site).write(state, directory, base_url)
