"""The raw evidence: every HTTP response of a crawl, as served, in WARC files.

``capture`` writes the records (warcio), ``middleware`` hands it every response before
Scrapy decodes it; the archive's ``captures`` table says where each record is, and
versions, sightings and changes name the record they were read from.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url


def warc_dir(archive_url: str, setting: str | None = None) -> Path:
    """The WARC folder: ``setting`` (``WARC_DIR``) when given, else ``warc/`` beside a
    SQLite archive file, else ``data/warc`` under the working directory."""
    if setting:
        return Path(setting)
    try:
        url = make_url(archive_url)
    except Exception:  # a plain path: the archive module accepts those too
        return Path(archive_url).parent / "warc"
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).parent / "warc"
    return Path("data") / "warc"
