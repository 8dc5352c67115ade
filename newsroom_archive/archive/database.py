"""Where the archive is, opening it, and its schema: engine set-up, migrations, the gate.

Everything here is about the database as a whole; what is in it is the business of the
ledger (``runs``), the lock (``locks``), the writer, the queries and the exports.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

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
    """Explicit setting or option, else $NEWSROOM_ARCHIVE_URL, else data/newsroom.sqlite."""
    return explicit or os.environ.get(ENV_VAR) or DEFAULT_URL


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite archive URL (None for other backends and in-memory ones)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def make_engine(url: str, *, readonly: bool = False) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ArchiveError(f"not a database URL: {url!r}") from None
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            if readonly:
                if not path.exists():
                    raise ArchiveError(f"no archive at {path}")
                url = f"sqlite:///file:{path.resolve()}?mode=ro&uri=true"
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
        # Crawls hold the write lock for one batch at a time; a second writer waits
        # this long for it instead of failing at once.
        engine = create_engine(url, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            if not readonly:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=60000")
            cursor.close()

        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except (ArgumentError, ImportError) as exc:
        raise ArchiveError(f"cannot use database URL {url!r}: {exc}") from None


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


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Apply migrations; returns (revision before, revision after)."""
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
        path = sqlite_path(self.url)
        return str(path) if path else make_url(self.url).render_as_string(hide_password=True)

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
        try:
            with self.engine.connect() as conn:
                tables = set(inspect(conn).get_table_names())
                revision = current_revision(conn)
        except OperationalError as exc:
            raise ArchiveError(f"cannot open archive {self.location}: {exc.orig}") from None
        except SQLAlchemyError as exc:
            raise ArchiveError(f"cannot open archive {self.location}: {exc}") from None
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
