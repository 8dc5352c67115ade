"""What an archive holds, read through the `export` command as a researcher reads it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner

from newsroom_archive.cli import main
from tests.helpers.expectations import Row


def export(db: Path | str, table: str = "articles") -> list[dict[str, str]]:
    url = db if isinstance(db, str) else f"sqlite:///{db}"
    result = CliRunner().invoke(main, ["--db", url, "export", table])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def changes_of_run(db: Path | str, run_id: int) -> set[Row]:
    return {
        (r["change"], r["field"], r["url"], r["old_value"], r["new_value"])
        for r in export(db, "changes")
        if r["run_id"] == str(run_id)
    }
