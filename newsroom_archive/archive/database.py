"""Where the archive is, opening it, and its schema: engine set-up, migrations, the gate.

Everything here is about the database as a whole; what is in it is the business of the
ledger (``runs``), the lock (``locks``), the writer, the queries and the exports.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

# Alembic is imported where migrations are read or run: a command that only reads the
# archive should not pay for loading it.
if TYPE_CHECKING:
    from alembic.config import Config

DEFAULT_URL = "sqlite:///data/newsroom.sqlite"
ENV_VAR = "NEWSROOM_ARCHIVE_URL"
MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")


class ArchiveError(Exception):
    """A problem the user can act on; the message is one line."""


def resolve_url(explicit: str | None = None) -> str:
    """Explicit setting or option, else $NEWSROOM_ARCHIVE_URL, else data/newsroom.sqlite.

    A plain path (no ``scheme://``) names a SQLite file: ``/srv/x.sqlite`` is
    ``sqlite:////srv/x.sqlite``, ``data/x.sqlite`` is ``sqlite:///data/x.sqlite``."""
    value = explicit or os.environ.get(ENV_VAR) or DEFAULT_URL
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def iso_moment(value: str) -> str:
    """A moment as the archive writes its own (``now_iso``'s form, UTC), so that moments
    from different places (a fetch, a Wayback capture's ``20200331120000``, a command
    line) compare as text. A time without an offset is UTC; ValueError if not a moment."""
    from newsroom_archive.normalise.dates import parse_iso

    text = value.strip()
    if len(text) == 14 and text.isdigit():
        parsed: datetime | None = datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    else:
        parsed = parse_iso(text, naive_zone=UTC)
    if parsed is None:
        raise ValueError(f"not an ISO 8601 date or time: {value!r}")
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def sqlite_path(url: str | URL) -> Path | None:
    """The file of a SQLite archive URL (None for other backends and in-memory ones)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


UNKNOWN_SCHEME_HINT = "use sqlite:///FILE, a plain file path, or postgresql+psycopg://USER@HOST/DB"


def first_line(exc: BaseException) -> str:
    """The driver's own message, first line only (psycopg adds hints on further lines)."""
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0].strip()


def describe(url: str | URL) -> str:
    """The archive's file, or its URL without the password, for messages."""
    path = sqlite_path(url)
    return str(path) if path else make_url(url).render_as_string(hide_password=True)


def _check_file(path: Path) -> None:
    """Refuse, in one line, a path that cannot hold a SQLite archive.

    The file itself is not opened here: closing any descriptor of a file drops every
    POSIX lock this process holds on it, SQLite's included (see ``schema_state``)."""
    if path.is_dir():
        raise ArchiveError(f"cannot open archive {path}: it is a folder, not a file")


def writable(path: Path) -> bool:
    """Whether this process may write ``path``, a file or a folder, and should.

    os.access says yes to root whatever the mode; a file or folder without any write bit
    is read-only by its owner's intent (a copy handed on, a shared drive), and root
    should leave it as it is too."""
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


def archive_writable(path: Path) -> bool:
    """Whether a SQLite archive may be written: the file and the folder its journal and
    -wal files go to."""
    return writable(path) and writable(path.resolve().parent)


def readonly_uri(path: Path) -> str:
    """A SQLite URI that reads the archive at ``path`` and can never write to it.

    ``mode=ro`` takes SQLite's shared locks, so it reads consistently while a crawl writes,
    including what sits in the -wal file; in WAL mode it needs the -wal and -shm files, and
    creates them if they are missing. Where they are missing and cannot be created (a
    read-only folder), the archive is opened ``immutable``: no locks, no files; no crawl
    writes there, as a crawl would need the same files."""
    if not path.exists():
        raise ArchiveError(f"no archive at {path}")
    _check_file(path)
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    query = "mode=ro"
    if not (wal.exists() and shm.exists()) and not writable(path.resolve().parent):
        if wal.exists() and wal.stat().st_size > 0:
            # Immutable readers ignore the -wal file: they would miss its transactions.
            raise ArchiveError(
                f"{path} has transactions in {wal.name} that only a writer can merge, and "
                "its folder is read-only: copy the archive and its -wal file to a folder "
                "you can write to"
            )
        query += "&immutable=1"
    return f"{path.resolve().as_uri()}?{query}"


def _readonly_engine(path: Path) -> Engine:
    uri = readonly_uri(path)

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(uri, uri=True, timeout=60, check_same_thread=False)
        # No PRAGMA journal_mode here: setting it is a write. query_only refuses writes
        # even where the URI alone would not (an immutable archive).
        conn.execute("PRAGMA query_only=ON")
        return conn

    # The URL names the file (pool choice, messages); connections come from the URI.
    return create_engine(f"sqlite:///{path}", creator=connect)


def parse_url(url: str) -> URL:
    """The URL parsed, its database type known; ``ArchiveError`` (one line) if not."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise ArchiveError(f"not a database URL: {url!r} ({UNKNOWN_SCHEME_HINT})") from None
    try:
        parsed.get_dialect()
    except NoSuchModuleError:
        raise ArchiveError(
            f"unknown database type {parsed.drivername!r} in {url!r}: {UNKNOWN_SCHEME_HINT}"
        ) from None
    except ImportError as exc:
        raise ArchiveError(f"cannot use database URL {url!r}: {first_line(exc)}") from None
    return parsed


def make_engine(url: str, *, readonly: bool = False) -> Engine:
    """An engine for the archive at ``url``; ``readonly``: one that never writes to it and
    never creates it (``ArchiveError`` if it is missing)."""
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            if readonly:
                return _readonly_engine(path)
            _check_file(path)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ArchiveError(f"cannot create {path.parent}: {exc.strerror}") from None
        # Crawls hold the write lock for one batch at a time; a second writer waits
        # this long for it instead of failing at once.
        engine = create_engine(url, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=60000")
            cursor.close()

        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except (ArgumentError, ImportError) as exc:
        raise ArchiveError(f"cannot use database URL {url!r}: {first_line(exc)}") from None


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", MIGRATIONS)
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def schema_state(engine: Engine, *, readonly: bool = False) -> tuple[str | None, set[str]]:
    """The archive's schema revision and its tables, read without writing.

    A read-write SQLite connection switches the file to WAL mode as it opens, which
    rewrites its header: an existing file is read through a read-only engine first, so
    that a database that is not an archive is refused as it was found. Whether a file is
    a SQLite database at all is SQLite's to say: reading its header here would close a
    descriptor of the file, and with it this process's locks on it."""
    path = sqlite_path(engine.url) if engine.dialect.name == "sqlite" else None
    probe = engine
    if not readonly and path is not None and path.is_file() and path.stat().st_size > 0:
        probe = _readonly_engine(path)
    try:
        with probe.connect() as conn:
            return current_revision(conn), set(inspect(conn).get_table_names())
    except SQLAlchemyError as exc:
        reason = first_line(exc)
        if reason == "file is not a database":
            reason = "it is not a SQLite database"
        raise ArchiveError(f"cannot open archive {describe(engine.url)}: {reason}") from None
    finally:
        if probe is not engine:
            probe.dispose()


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Apply migrations; returns (revision before, revision after)."""
    current, tables = schema_state(engine)
    if current is None and tables:
        # The migrations would add the archive's tables to someone else's database.
        raise ArchiveError(f"{describe(engine.url)} is not a newsroom archive")
    try:
        return _upgrade(engine, revision)
    except DBAPIError as exc:
        raise ArchiveError(
            f"cannot upgrade archive {describe(engine.url)}: {first_line(exc)}"
        ) from None


def _upgrade(engine: Engine, revision: str) -> tuple[str | None, str]:
    from alembic import command

    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            # SQLite rebuilds a table to alter it; with foreign keys enforced the
            # rebuild would fail, so they are checked once at the end instead.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        with conn.begin():
            before = current_revision(conn)
            cfg = alembic_config(engine)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            after = current_revision(conn)
            if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                raise ArchiveError("migration left broken references; the archive is unchanged")
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
    return before, after or ""


class Database:
    """One archive database: its URL, engine and dialect-specific statements."""

    def __init__(self, url: str, *, readonly: bool = False) -> None:
        self.url = url
        self.readonly = readonly
        self.engine = make_engine(url, readonly=readonly)

    @property
    def location(self) -> str:
        """The archive's file, or its URL without the password."""
        return describe(self.url)

    @property
    def sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def insert(self, model: Any) -> Any:
        """An INSERT that can take ``ON CONFLICT`` clauses on either backend."""
        table = model.__table__
        return (
            pg_insert(table) if self.engine.dialect.name == "postgresql" else sqlite_insert(table)
        )

    def check_schema(self, *, create: bool) -> None:
        """Refuse what is not an archive of this version; create an empty one if allowed."""
        revision, tables = schema_state(self.engine, readonly=self.readonly)
        head = head_revision()
        if revision is None:
            if tables:
                raise ArchiveError(f"{self.location} is not a newsroom archive")
            if not create:
                raise ArchiveError(f"{self.location} is empty, not an archive")
            upgrade(self.engine)
            return
        if revision != head:
            raise ArchiveError(
                f"archive {self.location} has schema {revision}, this version needs {head}: "
                "run `newsroom-archive db upgrade`"
            )

    def dispose(self) -> None:
        self.engine.dispose()


def chunks(values: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    """Slices of at most ``size``: both backends limit the parameters of one statement."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
