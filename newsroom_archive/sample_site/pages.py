"""What a sample newsroom serves: pages with their validators, the markup variation every
sample newsroom's cosmetic state uses, and static copies of a state."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import cached_property
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

HTML_TYPE = "text/html; charset=UTF-8"
TEXT_TYPE = "text/plain; charset=UTF-8"
ROBOTS_TXT = b"User-agent: *\nDisallow:\n"


@dataclass(frozen=True)
class Page:
    status: int
    body: bytes
    content_type: str = HTML_TYPE
    last_modified: str | None = None
    """HTTP date, or None when the page has none."""
    location: str | None = None
    """Redirect target for 3xx pages."""
    headers: tuple[tuple[str, str], ...] = ()
    """Further response headers, in order (a web archive's ``Memento-Datetime``, a
    ``Retry-After``)."""

    @cached_property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'


def escape_text(value: str) -> str:
    return html.escape(value, quote=False)


def escape_attr(value: str) -> str:
    return html.escape(value, quote=True)


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


_TAG = re.compile(
    r"<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:=\"[^\"]*\")?){2,})\s*>"
)
_ATTRIBUTE = re.compile(r"[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:=\"[^\"]*\")?")
_P_OPEN = re.compile(r"<(p|h1|h3)((?:\s[^>]*)?)>")


def cosmetic(markup: str) -> str:
    """The same content in different markup: attribute order reversed, characters
    beyond ASCII written as numeric entities, and extra white space around text."""
    markup = _TAG.sub(lambda m: f"<{m[1]} {' '.join(reversed(_ATTRIBUTE.findall(m[2])))}>", markup)
    markup = re.sub(r"[^\x00-\x7f]", lambda m: f"&#{ord(m[0])};", markup)
    markup = _P_OPEN.sub(lambda m: f"<{m[1]}{m[2]}>\n      ", markup)
    markup = re.sub(r"</(p|h1|h3)>", lambda m: f"\n    </{m[1]}>", markup)
    return markup.replace(">\n<", ">\n\n  <")


def static_file(directory: Path, path: str) -> Path:
    """Where a static copy keeps the page of ``path``: ``index.html`` per folder, and a
    page that only a query reaches (a pager's ``?page=2``) as ``index.page=2.html``
    beside it, since files cannot be chosen by a query."""
    parts = urlsplit(path)
    target = directory / parts.path.strip("/")
    if parts.path.endswith("/"):
        name = "index" + "".join(f".{k}={v}" for k, v in parse_qsl(parts.query)) + ".html"
        target = target / name
    return target


def write_pages(pages: dict[str, Page], not_found: Page, directory: Path) -> list[Path]:
    """Write a static copy (``404.html`` too, redirects left out); returns the files."""
    written = []
    for path, page in [*pages.items(), ("/404.html", not_found)]:
        if page.location:
            continue
        target = static_file(directory, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(page.body)
        written.append(target)
    return written
