"""The archive: every version of every article, in SQLite or PostgreSQL.

``Archive`` (``store``) is the facade; the jobs behind it live in ``database`` (engine,
migrations, the schema gate), ``runs`` (sources and the run ledger), ``locks``,
``writer`` (versions, changes, sightings), ``removals``, ``known`` (what the crawl asks)
and, on the read side, ``query``, ``export`` and ``history``.
"""

from newsroom_archive.archive.database import ArchiveError, now_iso, resolve_url
from newsroom_archive.archive.store import Archive

__all__ = ["Archive", "ArchiveError", "now_iso", "resolve_url"]
