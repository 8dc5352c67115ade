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

from newsroom_archive.sites.base import Newsroom

__all__ = ["Newsroom", "get_site", "sites"]


@cache
def sites() -> dict[str, Newsroom]:
    """Every newsroom, by name."""
    found: dict[str, Newsroom] = {}
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
        raise KeyError(f"unknown newsroom {name!r} (known: {known})") from None
