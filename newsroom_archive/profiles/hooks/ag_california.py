"""California Attorney General: the press-release view counts its pages from 0."""

from __future__ import annotations


def zero_based_page(value: str | None) -> str | None:
    """``?page=1`` is the second page of the listing."""
    return str(int(value) + 1) if value and value.isdigit() else value


HOOKS = {"zero_based_page": zero_based_page}
