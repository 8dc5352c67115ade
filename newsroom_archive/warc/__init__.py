"""The raw evidence: every HTTP response of a crawl, as served, in WARC files.

``capture`` writes the records (warcio), ``middleware`` hands it every response before
Scrapy decodes it; the archive's ``captures`` table says where each record is, and
versions, sightings and changes name the record they were read from.
"""

from __future__ import annotations

from pathlib import Path


def warc_dir(archive_url: str, setting: str | Path | None = None) -> Path:
    """The WARC folder: ``setting`` (``WARC_DIR``) when given, else ``warc/`` beside a
    SQLite archive file, else ``data/warc`` under the working directory."""
    from newsroom_archive.archive.database import sqlite_path

    if setting:
        return Path(setting)
    path = sqlite_path(archive_url)
    return path.parent / "warc" if path is not None else Path("data") / "warc"
