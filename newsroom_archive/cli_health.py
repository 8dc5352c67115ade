"""``newsroom-archive check``: the command over ``newsroom_archive.health``, and with
``--warc`` over the WARC records (``newsroom_archive.warc.records``).

One command for both: each answers "can this archive be trusted?" with the same exit
statuses (0 good, 1 not, 2 no verdict), so one cron line or wrapper takes either."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click
from sqlalchemy.exc import SQLAlchemyError

from newsroom_archive.archive import Archive, ArchiveError
from newsroom_archive.archive.database import archive_writable, first_line, sqlite_path
from newsroom_archive.cli_read import warc_dir_option
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
    "--run",
    "run_id",
    type=int,
    metavar="ID",
    help="The run to check [default: the latest; with --warc: every run].",
)
@click.option(
    "--source",
    metavar="NAME",
    help="Without --run: the latest run of this newsroom (with --warc: all its runs).",
)
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
@click.option(
    "--warc",
    "warc",
    is_flag=True,
    help="Instead of the run's health, verify the WARC records the archive lists: file, "
    "record, id, payload digest (every run's, or those of --run/--source).",
)
@warc_dir_option
@click.pass_context
def check_command(
    ctx: click.Context,
    run_id: int | None,
    source: str | None,
    config_path: Path | None,
    notify_command: str | None,
    as_json: bool,
    no_record: bool,
    warc: bool,
    warc_dir: Path | None,
) -> None:
    """Check a crawl run's health and record the verdict with the run.

    The run is compared with the newsroom's earlier runs of the same mode (see
    docs/operations.md). The check reads the archive read-only; only the verdict is
    written, and not with --no-record or where the archive is read-only (a warning says
    so). Exit status 0: healthy; 1: unhealthy; 2: no verdict (no such run, an empty
    archive, an unusable thresholds file).

    --warc checks the evidence instead: every record the archive lists is in its WARC
    file at its offset, whole, the record named, its body's payload digest the one
    recorded. It prints one line per missing or damaged record and a summary, and
    writes nothing. Exit status 0: all good; 1: a record missing or damaged; 2: no
    verdict.
    """
    url = ctx.find_root().obj["db_url"]
    if warc:
        given = [
            name
            for name, value in (("--config", config_path), ("--notify", notify_command))
            if value
        ]
        if given:
            are = "are options" if len(given) > 1 else "is an option"
            raise click.UsageError(
                f"{' and '.join(given)} {are} of the health check, not of --warc"
            )
        _check_warc(ctx, url, run_id, source, warc_dir, as_json)
        return
    if warc_dir is not None:
        raise click.UsageError("--warc-dir goes with --warc")
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


def _check_warc(
    ctx: click.Context,
    url: str,
    run_id: int | None,
    source: str | None,
    warc_dir: Path | None,
    as_json: bool,
) -> None:
    from newsroom_archive.warc import warc_dir as default_warc_dir
    from newsroom_archive.warc.records import check_records, runs_of

    try:
        archive = Archive(url, readonly=True, create=False)
    except ArchiveError as exc:
        raise _NoVerdict(str(exc)) from None
    try:
        folder = default_warc_dir(archive.url, warc_dir)
        result = check_records(archive, folder, runs_of(archive, run_id, source))
    except ArchiveError as exc:
        raise _NoVerdict(str(exc)) from None
    finally:
        archive.engine.dispose()
    if result.checked == 0:
        click.echo("note: the archive lists no WARC records", err=True)
    elif not folder.is_dir():
        click.echo(f"note: there is no WARC folder {folder} (--warc-dir names it)", err=True)
    if as_json:
        click.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        for problem in result.problems:
            click.echo(problem.line())
        click.echo(result.summary())
    ctx.exit(0 if result.ok else 1)


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
