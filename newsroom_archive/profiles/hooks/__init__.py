"""Named hooks: the few readings a profile cannot declare, one module per newsroom.

A module here is named like its newsroom and defines ``HOOKS``, a mapping of hook
name to a pure function from the text a field found to the field's value. A profile
that says ``hooks = "NAME"`` may use them as ``{ source = "…", hook = "…" }``. A
reading several newsrooms need is defined here once and named in each one's ``HOOKS``.
"""

from __future__ import annotations


def zero_based_page(value: str | None) -> str | None:
    """The page number of a pager that counts from 0 (Drupal's ``?page=1`` is the
    second page), for ``page_number`` of a listing continued by its next link."""
    return str(int(value) + 1) if value and value.isdigit() else value
