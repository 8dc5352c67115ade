"""Newsroom profiles: one TOML file per newsroom, declaring how its pages are read.

The project's profiles are the ``*.toml`` files of this package; an operator adds
folders of their own with ``NEWSROOM_ARCHIVE_PROFILES`` (paths separated like
``PATH``), where a file of the same name replaces the project's. ``docs/profiles.md``
describes the format; ``profile.schema.json`` checks it.
"""

from __future__ import annotations

import os
from pathlib import Path

from newsroom_archive.profiles.profile import Profile, ProfileError, load_profile

__all__ = ["Profile", "ProfileError", "load_profile", "load_profiles", "profile_files"]

PROFILES_ENV = "NEWSROOM_ARCHIVE_PROFILES"
PACKAGE_DIR = Path(__file__).parent


def profile_files() -> dict[str, Path]:
    """Every profile file by newsroom name; later folders replace earlier ones."""
    folders = [PACKAGE_DIR]
    folders += [Path(p) for p in os.environ.get(PROFILES_ENV, "").split(os.pathsep) if p]
    found: dict[str, Path] = {}
    for folder in folders:
        for path in sorted(folder.glob("*.toml")):
            found[path.stem] = path
    return found


def load_profiles() -> tuple[dict[str, Profile], dict[str, str]]:
    """The profiles that load, and for each that does not, its one-line error."""
    good: dict[str, Profile] = {}
    bad: dict[str, str] = {}
    for name, path in profile_files().items():
        try:
            good[name] = load_profile(path)
        except ProfileError as exc:
            bad[name] = str(exc)
    return good, bad
