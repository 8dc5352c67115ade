"""Page parsing per newsroom: one module each, named like its spider."""

from __future__ import annotations

from types import ModuleType

from newsroom_archive.sites import amnestyusa

SITES: dict[str, ModuleType] = {amnestyusa.NAME: amnestyusa}


def get_site(name: str) -> ModuleType:
    try:
        return SITES[name]
    except KeyError:
        known = ", ".join(sorted(SITES))
        raise KeyError(f"unknown newsroom {name!r} (known: {known})") from None
