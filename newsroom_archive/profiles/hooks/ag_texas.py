"""Texas Attorney General: the press-release view counts its pages from 0."""

from __future__ import annotations

from newsroom_archive.profiles.hooks import zero_based_page

HOOKS = {"zero_based_page": zero_based_page}
