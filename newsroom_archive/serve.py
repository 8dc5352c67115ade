"""``newsroom-archive serve``: browse a SQLite archive in Datasette, read-only.

The archive is opened immutable (no locks, no files beside it, never written) or, while
transactions wait in its -wal file, read-only with SQLite's locks. Table and column
descriptions come from the codebook, with facets, full-text search and canned queries
for the common research questions.
"""

from __future__ import annotations

import html
import json
import socket
import sqlite3
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from newsroom_archive.archive import ArchiveError

DATASETTE_DIR = Path(__file__).resolve().parent / "data" / "datasette"
PLUGIN = "newsroom_archive_codebook"
INSTALL_HINT = "Datasette is not installed: pip install 'newsroom-archive[serve]'"

EDITED_SQL = """
select a.source, a.url, a.title, a.published_date, a.version_count,
       (select group_concat(field, ', ') from (
          select distinct c.field from changes c
          where c.article_id = a.id and c.change = 'changed' order by c.field)) as changed_fields,
       (select max(c.detected_at) from changes c
        where c.article_id = a.id and c.change = 'changed') as last_changed_at
from current_articles a
where exists (select 1 from changes c where c.article_id = a.id and c.change = 'changed')
order by last_changed_at desc, a.url
"""

REMOVED_SQL = """
select a.source, a.url, a.title, a.published_date, a.first_seen_at, a.last_seen_at,
       a.removed_at,
       (select c.new_value from changes c where c.article_id = a.id and c.change = 'removed'
        order by c.id desc limit 1) as http_status
from current_articles a
where a.status = 'removed'
order by a.removed_at desc, a.url
"""

AGENCIES_BY_YEAR_SQL = """
select a.year, agency.value as agency, count(*) as articles
from current_articles a, json_each(a.photo_agencies) as agency
group by a.year, agency.value
order by a.year desc, articles desc, agency
"""

DATE_FORMAT = "DATE must be YYYY-MM-DD or a time such as 2021-06-01T12:00:00Z"
# Datasette runs a canned query with a missing parameter as '', which every prefix
# comparison below accepts: it would answer with every row. SQL cannot raise an error of
# its own outside a trigger, so a malformed DATE makes json_extract fail on a path that
# is the message ("JSON path error near 'DATE must be …'"), which Datasette shows.
DATE_GUARD = f"""(case when date(substr(:date, 1, 10), '+0 days') is substr(:date, 1, 10)
   and (length(:date) = 10 or :date glob '????-??-??T[0-2][0-9]:[0-5][0-9]*')
  then 1 else json_extract('{{}}', '{DATE_FORMAT}') end)"""

# Comparing prefixes as long as the parameter makes `date` inclusive at the precision
# given: 2021-06-01 covers that whole day, a full timestamp that exact moment. Removals
# are replayed from `changes` because an article can be removed and reappear.
ON_DATE_SQL = f"""
with state as (
  select v.*, row_number() over (partition by v.article_id order by v.version desc) as newest
  from versions v
  where {DATE_GUARD} and substr(v.observed_at, 1, length(:date)) <= :date
)
select s.name as source, a.url, st.title, st.kind, st.published_date, st.version,
       st.seen_at as version_seen_at, st.observed_at as version_observed_at,
       st.origin as version_origin, st.photo_agencies
from state st
join articles a on a.id = st.article_id
join sources s on s.id = a.source_id
where st.newest = 1
  and coalesce((select c.change from changes c
                where c.article_id = a.id and c.change in ('removed', 'reappeared')
                  and substr(c.detected_at, 1, length(:date)) <= :date
                order by c.detected_at desc, c.id desc limit 1), '') <> 'removed'
order by st.published_date desc, a.url
"""

RUNS_SQL = """
select r.id as run_id, s.name as source, r.spider, r.mode, r.status, r.finish_reason,
       r.started_at, r.finished_at, r.pages_fetched, r.items_seen, r.new, r.changed,
       r.unchanged, r.removed, r.quarantined, r.errors, r.args
from crawl_runs r join sources s on s.id = r.source_id
order by r.id desc
"""

QUARANTINE_SQL = """
select s.name as source, q.url, q.run_id, q.created_at, q.reason, q.raw
from quarantine q join sources s on s.id = q.source_id
order by q.id desc
"""

# Names must differ from table names: a canned query hides a table of the same name.
QUERIES: dict[str, dict[str, Any]] = {
    "edited_articles": {
        "title": "Articles edited after publication",
        "description": "Articles the newsroom edited after publication, with the fields "
        "that changed (a reparse by a newer parser is not an edit).",
        "sql": EDITED_SQL,
    },
    "removed_articles": {
        "title": "Articles removed",
        "description": "Articles a full crawl found gone, with the HTTP status their URL gave.",
        "sql": REMOVED_SQL,
    },
    "photo_agencies_by_year": {
        "title": "Photo agencies by year",
        "description": "Articles crediting each agency, by year of publication "
        "(current versions, removed articles included).",
        "sql": AGENCIES_BY_YEAR_SQL,
    },
    "newsroom_on_date": {
        "title": "What the newsroom looked like on DATE",
        "description": "Every article the archive had seen by DATE and not found removed, in "
        "its version current then. DATE: YYYY-MM-DD (end of that day, UTC) or an ISO "
        "timestamp such as 2021-06-01T12:00:00Z.",
        "sql": ON_DATE_SQL,
        "params": ["date"],
    },
    "runs": {
        "title": "Crawl runs",
        "description": "The crawl runs, newest first, with their counts and status.",
        "sql": RUNS_SQL,
    },
    "quarantined": {
        "title": "Quarantine",
        "description": "Items a crawl scraped but did not archive, with the reason and the "
        "raw values.",
        "sql": QUARANTINE_SQL,
    },
}


@cache
def descriptions() -> dict[str, Any]:
    """Conventions and table and column descriptions, written from docs/codebook.md."""
    data: dict[str, Any] = json.loads(
        (DATASETTE_DIR / "descriptions.json").read_text(encoding="utf-8")
    )
    return data


def database_name(archive_path: str | Path) -> str:
    """The name Datasette gives the file: its stem."""
    return Path(archive_path).stem


def build_metadata(archive_path: str | Path) -> dict[str, Any]:
    from datasette.utils import tilde_encode

    tables: dict[str, dict[str, Any]] = {
        name: {"description": table["description"], "columns": dict(table["columns"])}
        for name, table in descriptions()["tables"].items()
    }
    tables["current_articles"].update(
        facets=["source", "kind", "year", "status", {"array": "photo_agencies"}],
        fts_table="articles_fts",
        fts_pk="id",
        sort_desc="published_date",
    )
    tables["articles"]["label_column"] = "url"
    # Hiding articles_fts hides its shadow tables too (Datasette hides by prefix).
    tables["articles_fts"] = {"hidden": True}
    tables["alembic_version"] = {"hidden": True}
    tables["crawl_locks"] = {"hidden": True}
    database = database_name(archive_path)
    start = (
        f'<a href="/{html.escape(tilde_encode(database))}/current_articles">current_articles</a>'
    )
    return {
        "title": "Newsroom archive",
        "description_html": (
            "<p>A versioned archive of organisation newsrooms: every version of every "
            f"article, every detected change, every crawl. Start with {start} (search, "
            "facets) or the canned queries of the database; what each column means is in "
            'the <a href="/codebook">codebook</a>. Served read-only.</p>'
        ),
        "license": "Article texts and images © their publishers; archived for research",
        "source": "Crawls by newsroom_archive",
        "about": "Codebook",
        "about_url": "/codebook",
        "databases": {
            database: {
                "description_html": f"<p>Start with {start}, or one of the queries.</p>",
                "tables": tables,
                "queries": {name: dict(query) for name, query in QUERIES.items()},
            }
        },
    }


def has_pending_wal(archive_path: str | Path) -> bool:
    """Whether transactions sit in the archive's -wal file, not yet in the file itself: a
    crawl is writing, or one was killed before it could merge them."""
    wal = Path(f"{archive_path}-wal")
    return wal.exists() and wal.stat().st_size > 0


def archive_uri(archive_path: str | Path) -> str:
    """How Datasette should read the archive: immutable (no locks, no files beside it)
    when the file alone is the archive, else read-only with SQLite's locks.

    Immutable readers ignore the -wal file. Whether a crawl is writing or was killed
    does not matter: a read-only connection reads the transactions in the -wal file
    either way, and follows a live crawl's commits."""
    from newsroom_archive.archive.database import readonly_uri

    path = Path(archive_path)
    uri = readonly_uri(path)
    if has_pending_wal(path):
        return uri
    return f"{path.resolve().as_uri()}?mode=ro&immutable=1"


def check_archive(archive_path: str | Path) -> Path:
    """The archive's path if it is a SQLite archive at the current schema; else ArchiveError."""
    from newsroom_archive.archive.database import head_revision

    path = Path(archive_path)
    uri = archive_uri(path)
    if path.stat().st_size == 0:
        raise ArchiveError(f"{path} is empty, not an archive")
    conn = sqlite3.connect(uri, uri=True)
    try:
        revision = conn.execute("select version_num from alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        if str(exc) == "file is not a database":
            raise ArchiveError(f"cannot open archive {path}: it is not a SQLite database") from None
        raise ArchiveError(f"{path} is not a newsroom archive") from None
    finally:
        conn.close()
    head = head_revision()
    if revision is None or revision[0] != head:
        found = revision[0] if revision else "none"
        raise ArchiveError(
            f"archive {path} has schema {found}, this version needs {head}: "
            "run `newsroom-archive db upgrade`"
        )
    return path


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


# Tables whose rows are articles with a version count -> the column with the article's id.
VERSIONED = {"current_articles": "id", "articles": "id"}
# Cells longer than this are cut in tables (Datasette's default, 2,048, shows whole bodies);
# the row page and the JSON and CSV downloads keep them whole.
TRUNCATE_CELLS = 200


def _codebook_plugin() -> object:
    from datasette import hookimpl
    from markupsafe import Markup

    class CodebookPage:
        __name__ = PLUGIN  # Datasette lists plugins by module name

        @hookimpl
        def extra_template_vars(self, template: str, datasette: Any) -> dict[str, Any]:
            if template != "pages/codebook.html":
                return {}
            return {"codebook": descriptions(), "database": datasette.get_database().name}

        @hookimpl
        def render_cell(
            self,
            row: Any,
            value: Any,
            column: str,
            table: str | None,
            database: str,
            datasette: Any,
        ) -> Markup | None:
            # An article's version count links to its versions: the foreign key runs
            # from versions to articles, so Datasette itself links only the other way.
            if table not in VERSIONED or column != "version_count" or value is None:
                return None
            try:
                article_id = row[VERSIONED[table]]
            except (IndexError, KeyError):  # the id column was left out (?_col=…)
                return None
            versions = datasette.urls.table(database, "versions")
            return Markup('<a href="{}?article_id={}&amp;_sort=version">{} version{}</a>').format(
                versions, article_id, value, "" if value == 1 else "s"
            )

    return CodebookPage()


def _print_flushed(line: str) -> None:
    # Whoever reads standard output needs the URL while the server runs, not at its end.
    print(line, flush=True)


def serve(
    archive_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 8001,
    open_browser: bool = False,
    announce: Callable[[str], None] = _print_flushed,
) -> None:
    """Serve the archive read-only until interrupted. ``port=0`` picks a free port.

    ``announce`` receives the line saying where the archive is served (default: print it).
    """
    try:
        import uvicorn
        from datasette.app import Datasette
        from datasette.plugins import pm
    except ImportError:
        raise ArchiveError(INSTALL_HINT) from None
    path = check_archive(archive_path)
    if not pm.has_plugin(PLUGIN):
        pm.register(_codebook_plugin(), name=PLUGIN)
    # Datasette opens `files` with mode=ro and `immutables` with immutable=1.
    following = has_pending_wal(path)
    datasette = Datasette(
        files=[str(path)] if following else [],
        immutables=[] if following else [str(path)],
        metadata=build_metadata(path),
        template_dir=str(DATASETTE_DIR / "templates"),
        # The queries over versions scan the whole history; the 1 s default is too short.
        settings={
            "sql_time_limit_ms": 10_000,
            "facet_time_limit_ms": 1_000,
            "truncate_cells_html": TRUNCATE_CELLS,
        },
    )
    if port == 0:
        port = _free_port(host)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}{datasette.urls.database(database_name(path))}"
    note = f", with the transactions in {path.name}-wal" if following else ""
    announce(f"serving {path} read-only{note} at {url} (Ctrl-C stops)")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", lifespan="on")


def sqlite_path(db_url: str) -> Path:
    """The archive file of a SQLite URL or plain path; ArchiveError for other archives."""
    from newsroom_archive.archive.database import parse_url, resolve_url, sqlite_path

    db_url = resolve_url(db_url)
    url = parse_url(db_url)
    if url.get_backend_name() != "sqlite":
        raise ArchiveError(
            f"Datasette serves SQLite archives; this archive is on {url.get_backend_name()} "
            "(export it, or copy it to SQLite, to browse it)"
        )
    path = sqlite_path(url)
    if path is None:
        raise ArchiveError(f"{db_url} names no archive file")
    return path
