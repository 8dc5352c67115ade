"""The contract every bad input is held to: a non-zero exit, one line on stderr naming
the problem, no traceback, and the archive file exactly as it was."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner, Result

from newsroom_archive.cli import main


@dataclass(frozen=True)
class FileState:
    """A file's bytes (as a digest) and modification time; None where it does not exist."""

    digest: str | None
    mtime_ns: int | None

    @classmethod
    def of(cls, path: Path) -> FileState:
        if not path.exists():
            return cls(None, None)
        return cls(hashlib.sha256(path.read_bytes()).hexdigest(), os.stat(path).st_mtime_ns)


def run_cli(args: Sequence[str], db: Path | str | None = None) -> Result:
    """`newsroom-archive [--db URL] ARGS`, in process (click's runner), stderr apart."""
    prefix = ["--db", db if isinstance(db, str) else f"sqlite:///{db}"] if db is not None else []
    return CliRunner().invoke(main, [*prefix, *args])


def assert_one_line_error(result: Result, expected: str, *, exit_code: int | None = None) -> None:
    """`expected` appears in the one line of stderr; the exit is non-zero (or `exit_code`)."""
    text = result.stderr
    assert result.exit_code != 0, (result.exit_code, result.output)
    if exit_code is not None:
        assert result.exit_code == exit_code, (result.exit_code, text)
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert expected in lines[0], (expected, lines[0])


def assert_unchanged(path: Path, before: FileState) -> None:
    assert FileState.of(path) == before, f"{path} changed"
