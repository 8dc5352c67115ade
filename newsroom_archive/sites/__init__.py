"""Page parsing per newsroom: one module each, named like its spider, and the registry.

Every module here that defines ``NEWSROOM`` (a :class:`~newsroom_archive.sites.base.Newsroom`)
is a newsroom: the spider loader makes a spider of it, ``extract --spider`` offers it and the
pipelines look its rules up by the item's source. Adding a newsroom is adding its module.
The other modules serve them: ``base`` (the interface), ``common`` (the markup helpers
every page reader uses) and ``generic`` (an extractor for pages of sites without a
parser of their own, and a starting point for a new one).
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from urllib.parse import urlsplit

from newsroom_archive.sites.base import Newsroom

__all__ = ["Newsroom", "broken_profiles", "get_site", "site_for_url", "sites"]


@cache
def _profiles() -> tuple[dict[str, Newsroom], dict[str, str]]:
    # Imported here: the profile machinery (TOML, the schema checker) is needed only by
    # commands that read pages.
    from newsroom_archive.profiles import load_profiles
    from newsroom_archive.profiles.reader import newsroom

    good, bad = load_profiles()
    return {name: newsroom(profile) for name, profile in good.items()}, bad


def broken_profiles() -> dict[str, str]:
    """Profiles that do not load, by name, with the reason (one line each)."""
    return _profiles()[1]


@cache
def sites() -> dict[str, Newsroom]:
    """Every newsroom, by name: the profiles, and the modules here defining ``NEWSROOM``."""
    found: dict[str, Newsroom] = dict(_profiles()[0])
    for module in pkgutil.iter_modules(__path__):
        loaded = importlib.import_module(f"{__name__}.{module.name}")
        newsroom = getattr(loaded, "NEWSROOM", None)
        if isinstance(newsroom, Newsroom):
            if newsroom.name in found:
                raise RuntimeError(f"two newsrooms are named {newsroom.name!r}")
            found[newsroom.name] = newsroom
    return found


def get_site(name: str) -> Newsroom:
    try:
        return sites()[name]
    except KeyError:
        known = ", ".join(sorted(sites()))
        if name in broken_profiles():
            raise KeyError(broken_profiles()[name]) from None
        raise KeyError(f"unknown newsroom {name!r} (known: {known})") from None


def site_for_url(url: str) -> Newsroom | None:
    """The newsroom whose hosts include the URL's (``www.`` aside), else ``generic``
    when it is registered."""
    host = (urlsplit(url.strip()).hostname or "").lower()
    bare = host.removeprefix("www.")
    for newsroom in sites().values():
        for known in newsroom.hosts:
            known = known.lower()
            if host == known or bare == known.removeprefix("www."):
                return newsroom
    return sites().get("generic")
