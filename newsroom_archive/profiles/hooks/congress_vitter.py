"""Senator David Vitter's newsroom: the pager link its markup escapes twice."""

from __future__ import annotations


def unescaped_link(value: str | None) -> str | None:
    """``/newsroom/press?PageNum_rs=2&amp;amp;year=2013`` in the markup is
    ``…&amp;year=2013`` once parsed, which a browser sends as a parameter named
    ``amp;year``, losing the year the listing is filtered by; one more decoding of the
    ampersand gives the link the page means."""
    if value is None:
        return None
    return value.replace("&amp;", "&")


HOOKS = {"unescaped_link": unescaped_link}
