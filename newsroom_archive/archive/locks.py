"""The crawl lock: one crawl per archive and spider at a time."""

from __future__ import annotations

import os
import socket

from sqlalchemy import delete, select, update

from newsroom_archive.archive.database import ArchiveError, Database, now_iso
from newsroom_archive.archive.models import CrawlLock
from newsroom_archive.archive.runs import alive


class LockHeld(ArchiveError):
    """Another live crawl holds the lock: try again later (not a failure of this one)."""


def crawl_lock(spider: str) -> str:
    """The name of a spider's crawl lock."""
    return f"crawl:{spider}"


def acquire_lock(db: Database, name: str) -> str | None:
    """Take the named lock, or raise LockHeld naming its live holder.

    A lock left by a process that died on this host is taken over; the return value
    then says whose it was (for the log).
    """
    host, pid = socket.gethostname(), os.getpid()
    row = {"name": name, "pid": pid, "hostname": host, "acquired_at": now_iso()}
    with db.engine.begin() as conn:
        inserted = conn.execute(
            db.insert(CrawlLock).values(**row).on_conflict_do_nothing(index_elements=["name"])
        ).rowcount
        if inserted:
            return None
        holder = conn.execute(select(CrawlLock).where(CrawlLock.name == name)).one()
        if (holder.hostname, holder.pid) == (host, pid):
            return None  # this process holds it already (the crawl command took it first)
        if holder.hostname != host or alive(holder.pid):
            raise LockHeld(
                f"another crawl ({name}) is running on {db.location}: pid {holder.pid} "
                f"on {holder.hostname} since {holder.acquired_at}"
            )
        taken = conn.execute(
            update(CrawlLock)
            .where(CrawlLock.name == name, CrawlLock.pid == holder.pid)
            .values(pid=pid, hostname=host, acquired_at=row["acquired_at"])
        ).rowcount
        if not taken:  # another process took it over first
            raise LockHeld(f"another crawl ({name}) is starting on {db.location}")
    return f"took over the lock left by pid {holder.pid} (taken {holder.acquired_at})"


def release_lock(db: Database, name: str) -> None:
    with db.engine.begin() as conn:
        conn.execute(delete(CrawlLock).where(CrawlLock.name == name, CrawlLock.pid == os.getpid()))


def clear_lock(db: Database, name: str) -> str:
    """Remove a lock whoever holds it (a crawl that died on another host leaves one that
    no crawl can take over); returns whose it was. A live holder on this host is refused."""
    with db.engine.begin() as conn:
        holder = conn.execute(select(CrawlLock).where(CrawlLock.name == name)).first()
        if holder is None:
            raise ArchiveError(f"no lock {name} in {db.location}")
        if holder.hostname == socket.gethostname() and alive(holder.pid):
            raise LockHeld(
                f"lock {name} is held by pid {holder.pid} on this host, which is running: "
                "stop that crawl instead"
            )
        conn.execute(
            delete(CrawlLock).where(
                CrawlLock.name == name,
                CrawlLock.pid == holder.pid,
                CrawlLock.hostname == holder.hostname,
            )
        )
    return f"pid {holder.pid} on {holder.hostname} since {holder.acquired_at}"
