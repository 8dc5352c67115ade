"""The archive: every version of every article, in SQLite or PostgreSQL."""

from newsroom_archive.archive.store import Archive, ArchiveError, resolve_url

__all__ = ["Archive", "ArchiveError", "resolve_url"]
