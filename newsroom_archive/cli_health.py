"""``newsroom-archive check``: the command over ``newsroom_archive.health``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
from sqlalchemy.exc import SQLAlchemyError

from newsroom_archive.archive import Archive, ArchiveError
from newsroom_archive.archive.database import archive_writable, first_line, sqlite_path
from newsroom_archive.health import (
    CONFIG_ENV,
    JSON_ENV,
    HealthReport,
    RunFacts,
    check_run,
    latest_run_id,
    load_thresholds,
    notify,
    record,
    run_facts,
    wants_notification,
)

# Exit status when the run could not be checked at all, so that a wrapper can tell
# "unhealthy" (1) from "no verdict" (2).
EXIT_NO_VERDICT = 2


class _NoVerdict(click.ClickException):
    exit_code = EXIT_NO_VERDICT


@click.command("check")
@click.option(
    "--run", "run_id", type=int, metavar="ID", help="The run to check [default: the latest]."
)
@click.option("--source", metavar="NAME", help="Without --run: the latest run of this newsroom.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Thresholds TOML file [default: ${CONFIG_ENV}, else the built-in thresholds].",
)
@click.option(
    "--notify",
    "notify_command",
    metavar="CMD",
    help="Run CMD (no shell) with the JSON report on standard input and in "
    f"${JSON_ENV} when the run is unhealthy, or healthy again after an unhealthy one.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--no-record",
    "no_record",
    is_flag=True,
    help="Do not record the verdict: the archive is only read (a copy, someone else's).",
)
@click.pass_context
def check_command(
    ctx: click.Context,
    run_id: int | None,
    source: str | None,
    config_path: Path | None,
    notify_command: str | None,
    as_json: bool,
    no_record: bool,
) -> None:
    """Check a crawl run's health and record the verdict with the run.

    The run is compared with the newsroom's earlier runs of the same mode (see
    docs/operations.md). The check reads the archive read-only; only the verdict is
    written, and not with --no-record or where the archive is read-only (a warning says
    so). Exit status 0: healthy; 1: unhealthy; 2: no verdict (no such run, an empty
    archive, an unusable thresholds file).
    """
    url = ctx.find_root().obj["db_url"]
    try:
        # Read-only: a mistyped SQLite path is reported, not created.
        archive = Archive(url, readonly=True, create=False)
    except ArchiveError as exc:
        raise _NoVerdict(str(exc)) from None
    try:
        latest = run_id is None
        try:
            if run_id is None:
                run_id = latest_run_id(archive, source)
                if run_id is None:
                    whose = f" of {source}" if source else ""
                    raise _NoVerdict(f"no finished crawl run{whose} in {archive.location}")
            facts = run_facts(archive, run_id)
            if source is not None and facts.source != source:
                raise _NoVerdict(f"run {run_id} is a run of {facts.source}, not {source}")
            thresholds = load_thresholds(facts.source, config_path)
            now = datetime.now(UTC) if latest else None
            report = check_run(archive, run_id, thresholds, now=now)
        except (ArchiveError, ValueError) as exc:
            raise _NoVerdict(str(exc)) from None
    finally:
        archive.engine.dispose()
    if not no_record:
        _record(url, run_id, report)
    if as_json:
        click.echo(report.to_json(indent=2))
    else:
        _print_report(report, facts)
    if notify_command and wants_notification(report):
        notify(notify_command, report, facts)
    ctx.exit(0 if report.ok else 1)


def _record(url: str, run_id: int, report: HealthReport) -> None:
    """Keep the verdict with the run; a warning, not a failure, where it cannot be kept."""
    path = sqlite_path(url)
    if path is not None and not archive_writable(path):
        click.echo(f"warning: the verdict was not recorded: {path} is read-only", err=True)
        return
    try:
        archive = Archive(url, create=False)
        try:
            record(archive, run_id, report)
        finally:
            archive.engine.dispose()
    except (ArchiveError, SQLAlchemyError) as exc:
        click.echo(f"warning: the verdict was not recorded: {first_line(exc)}", err=True)


def _print_report(report: HealthReport, run: RunFacts) -> None:
    click.echo(
        f"run {run.run_id}  {run.source}  {run.mode}  {run.status}  "
        f"{run.started_at} .. {run.finished_at or '?'}"
    )
    width = max((len(c.name) for c in report.checks), default=0)
    for c in report.checks:
        click.echo(f"  {'ok  ' if c.ok else 'FAIL'}  {c.name:<{width}}  {c.message}")
    # Skips come in families (every coverage field for one reason): one line each.
    families: dict[tuple[str, str], list[str]] = {}
    for name, reason in report.skipped.items():
        family, _, member = name.rpartition("/")
        families.setdefault((family, reason), []).append(member if family else name)
    for (family, reason), members in families.items():
        names = f"{family}/{{{','.join(members)}}}" if family else members[0]
        click.echo(f"  --    {names}  not applicable: {reason}")
    click.echo(report.summary())
