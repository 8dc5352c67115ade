"""docs/operations.md: every command line parses, the units and configuration files are
valid, the thresholds example loads, and the backup recipes work on a real archive.

Fenced blocks carry their language and, where the document gives one, a file name
(```` ```ini newsroom-crawl@.service ````); the tests find them by that name.
"""

from __future__ import annotations

import argparse
import configparser
import inspect
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError
from scrapy.settings import Settings, default_settings
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.conf import arglist_to_dict

from newsroom_archive import settings as project_settings
from newsroom_archive.health import HealthThresholds, evaluate, load_thresholds
from tests.helpers.crawling import CrawledArchive
from tests.helpers.docs import OPERATIONS, block, operations_blocks
from tests.helpers.health import T0, cli, facts, history

REDIRECTION = re.compile(r"\s\d?(?:>>?|<)\s*(?:&\d+|\S+)")
ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
CRON_SCHEDULE = re.compile(r"^(?:@\w+|(?:\S+\s+){4}\S+)\s+")


def split_commands(line: str) -> list[list[str]]:
    """The simple commands of one shell line, without redirections."""
    lexer = shlex.shlex(REDIRECTION.sub(" ", f" {line}"), posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    commands: list[list[str]] = [[]]
    for word in lexer:
        if word in (";", "&&", "||", "|", "&"):
            commands.append([])
        else:
            commands[-1].append(word)
    return [
        words[next((i for i, w in enumerate(words) if not ASSIGNMENT.match(w)), len(words)) :]
        for words in commands
        if words
    ]


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(block(name))
    return parser


def command_lines() -> list[list[str]]:
    """Every command in shell blocks, crontab lines and systemd Exec lines."""
    found: list[list[str]] = []
    for b in operations_blocks():
        if b.lang == "sh":
            for line in b.code.replace("\\\n", " ").splitlines():
                if line.strip() and not line.lstrip().startswith("#"):
                    found += split_commands(line)
        elif b.lang == "cron":
            for line in b.code.splitlines():
                if not line.strip() or line.startswith("#") or ASSIGNMENT.match(line):
                    continue
                command = CRON_SCHEDULE.sub("", line).replace("\\%", "%")
                found += split_commands(command)
        elif b.lang == "ini" and b.name.endswith(".service"):
            for key, value in unit(b.name).items("Service"):
                if key.startswith("Exec"):
                    for mode in ("incremental", "full"):
                        command = value.lstrip("-@:+!").replace("%i", mode).replace("%%", "%")
                        found += split_commands(command)
    return found


def program(words: list[str]) -> str:
    return Path(words[0]).name


# -- command lines --------------------------------------------------------------------


def test_newsroom_archive_command_lines_parse() -> None:
    lines = [words for words in command_lines() if program(words) == "newsroom-archive"]
    assert len(lines) >= 8
    assert {"check", "runs", "upgrade"} <= {word for words in lines for word in words}
    for words in lines:
        result = CliRunner().invoke(cli(), [*words[1:], "--help"])
        assert result.exit_code == 0, (shlex.join(words), result.output)
        assert result.stdout.startswith("Usage: "), shlex.join(words)


def project() -> Settings:
    settings = Settings()
    settings.setmodule(project_settings)
    return settings


def spider_class(name: str) -> type:
    return get_spider_loader(project()).load(name)


def known_setting(name: str) -> bool:
    return name.isupper() and (hasattr(default_settings, name) or hasattr(project_settings, name))


def check_spider_arguments(spider: str, arguments: dict[str, str]) -> None:
    cls = spider_class(spider)
    accepted = {
        p.name
        for p in inspect.signature(cls.parse_arguments).parameters.values()
        if p.kind is not inspect.Parameter.VAR_KEYWORD
    }
    assert set(arguments) <= accepted, arguments
    source = arguments.get("replay")
    if source is not None and not Path(source).exists():
        # The captures are on the operator's machine. The source is checked last, so
        # this refusal means that every other argument passed.
        with pytest.raises(UsageError, match=f"{re.escape(repr(source))} does not exist$"):
            cls.parse_arguments(**arguments)
        return
    cls.parse_arguments(**arguments)


def test_scrapy_command_lines_parse() -> None:
    lines = [words for words in command_lines() if program(words) == "scrapy"]
    assert len(lines) >= 4  # cron twice, systemd in both modes
    modes = set()
    for words in lines:
        assert words[1] == "crawl", shlex.join(words)
        parser = argparse.ArgumentParser(prog="scrapy crawl", exit_on_error=False)
        command = ScrapyCrawlCommand()
        command.settings = project()
        command.add_options(parser)
        opts, positional = parser.parse_known_args(words[2:])
        assert positional == ["amnestyusa"], shlex.join(words)
        spider_args = arglist_to_dict(opts.spargs)
        check_spider_arguments(positional[0], spider_args)
        assert all(known_setting(name) for name in arglist_to_dict(opts.set)), words
        if "replay" not in spider_args:
            modes.add(spider_args.get("mode"))
    assert modes == {"incremental", "full"}


def test_scrapyd_schedule_lines_name_the_project_spider_and_settings() -> None:
    lines = [
        words
        for words in command_lines()
        if program(words) == "curl" and any("schedule.json" in w for w in words)
    ]
    assert lines
    deploy = configparser.ConfigParser(interpolation=None)
    deploy.read_string(block("scrapy.cfg"))
    for words in lines:
        (url,) = [w for w in words if w.startswith("http")]
        assert url.startswith(deploy["deploy"]["url"])
        fields = [words[i + 1].split("=", 1) for i, w in enumerate(words) if w == "-d"]
        values = dict(pair for pair in fields if pair[0] != "setting")
        assert values.pop("project") == deploy["deploy"]["project"]
        spider = values.pop("spider")
        check_spider_arguments(spider, values)
        settings = arglist_to_dict([value for key, value in fields if key == "setting"])
        assert "ARCHIVE_URL" in settings and all(known_setting(name) for name in settings)


# -- systemd, scrapyd, logrotate ------------------------------------------------------


def test_systemd_units_have_what_they_need() -> None:
    service = unit("newsroom-crawl@.service")
    assert service["Service"]["Type"] == "oneshot"
    assert service["Service"]["WorkingDirectory"].startswith("/")
    assert "NEWSROOM_ARCHIVE_URL=" in service["Service"]["Environment"]
    assert "-a mode=%i" in service["Service"]["ExecStart"]
    assert service["Service"]["ExecStopPost"].startswith("-")
    targets = set()
    for name in ("newsroom-incremental.timer", "newsroom-full.timer"):
        timer = unit(name)
        assert timer["Timer"]["Persistent"] == "true"
        assert timer["Timer"]["OnCalendar"]
        assert timer["Install"]["WantedBy"] == "timers.target"
        targets.add(timer["Timer"]["Unit"])
    assert targets == {"newsroom-crawl@incremental.service", "newsroom-crawl@full.service"}
    # A crawl refused by the lock (exit 75) is an overlap, not a failure of the unit.
    assert service["Service"]["SuccessExitStatus"] == "75"
    # The health check runs on a timer of its own, as in the cron recipe.
    check = unit("newsroom-check.timer")
    assert check["Timer"]["Unit"] == "newsroom-check.service"
    assert check["Timer"]["Persistent"] == "true"
    assert " check --source amnestyusa " in unit("newsroom-check.service")["Service"]["ExecStart"]


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_systemd_units_verify(tmp_path: Path) -> None:
    # The units name the programs under /srv/newsroom; here they are in this environment.
    bin_dir = Path(sys.executable).parent
    names = (
        "newsroom-crawl@.service",
        "newsroom-incremental.timer",
        "newsroom-full.timer",
        "newsroom-check.service",
        "newsroom-check.timer",
    )
    for name in names:
        text = block(name).replace("/srv/newsroom/.venv/bin", str(bin_dir))
        (tmp_path / name).write_text(text, encoding="utf-8")
    for timer, service in (
        ("newsroom-incremental.timer", "newsroom-crawl@incremental.service"),
        ("newsroom-full.timer", "newsroom-crawl@full.service"),
        ("newsroom-check.timer", "newsroom-check.service"),
    ):
        result = subprocess.run(
            [
                "systemd-analyze",
                "verify",
                "--man=no",
                str(tmp_path / service),
                str(tmp_path / timer),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        ours = [line for line in result.stderr.splitlines() if "newsroom-" in line]
        assert result.returncode == 0 and not ours, result.stderr


def test_scrapyd_configuration_stays_on_loopback() -> None:
    conf = configparser.ConfigParser(interpolation=None)
    conf.read_string(block("scrapyd.conf"))
    assert conf["scrapyd"]["bind_address"] == "127.0.0.1"
    deploy = configparser.ConfigParser(interpolation=None)
    deploy.read_string(block("scrapy.cfg"))
    assert deploy["deploy"]["url"] == f"http://127.0.0.1:{conf['scrapyd']['http_port']}/"
    assert deploy["settings"]["default"] == project_settings.__name__
    assert f"settings = {project_settings.__name__}" in block("setup.py")


@pytest.mark.skipif(not shutil.which("logrotate"), reason="logrotate is not installed")
def test_logrotate_keeps_a_running_crawl_writing_to_its_log(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    config = tmp_path / "newsroom-archive"
    config.write_text(block("logrotate").replace("/srv/newsroom/logs", str(logs)), "utf-8")
    config.chmod(0o644)
    with (logs / "crawl.log").open("a", encoding="utf-8") as crawl_log:
        crawl_log.write("before the rotation\n")
        crawl_log.flush()
        result = subprocess.run(
            ["logrotate", "--force", "--state", str(tmp_path / "state"), str(config)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        crawl_log.write("after the rotation\n")
    assert result.returncode == 0, result.stderr
    assert (logs / "crawl.log.1").read_text(encoding="utf-8") == "before the rotation\n"
    # Truncated in place: the crawl's open file is still the live log (O_APPEND).
    assert (logs / "crawl.log").read_text(encoding="utf-8") == "after the rotation\n"


# -- health ---------------------------------------------------------------------------


def test_thresholds_example_loads(tmp_path: Path) -> None:
    path = tmp_path / "health.toml"
    path.write_text(block("health.toml"), encoding="utf-8")
    amnesty = load_thresholds("amnestyusa", path)
    assert amnesty.nothing_new_days == 14 and amnesty.max_retry_rate == 0.3
    assert dict(amnesty.min_coverage) == {"title": 0.9, "published_date": 0.9, "image_url": 0.8}
    other = load_thresholds("another-newsroom", path)
    assert other.nothing_new_days == HealthThresholds().nothing_new_days
    assert "image_url" not in other.min_coverage


def test_the_table_of_checks_matches_the_checks() -> None:
    text = OPERATIONS.read_text(encoding="utf-8")
    table = text[text.index("| check | fails when |") :].split("\n\n", 1)[0]
    documented = [re.match(r"\| `([^`]+)`", row) for row in table.splitlines()[2:]]
    names = [m.group(1) for m in documented if m]
    run = facts(10)
    report = evaluate(run, history(), now=T0 + timedelta(days=10, hours=1))
    actual = list(dict.fromkeys(c.name.split("/")[0] for c in report.checks))
    assert [n.split("/")[0] for n in names] == actual
    defaults = HealthThresholds()
    for name, value in re.findall(r"`([a-z_]+)` \(([\d.]+)", table):
        assert getattr(defaults, name) == float(value), name


# -- backups --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def archive_dir(tmp_path_factory: pytest.TempPathFactory, base_then_edited: CrawledArchive) -> Path:
    """A folder with a crawled archive at data/newsroom.sqlite, as the recipes expect."""
    workdir = tmp_path_factory.mktemp("operations")
    # A copy: the recipes write beside it and a test holds a write transaction on it.
    base_then_edited.copy_to(workdir / "data" / "newsroom.sqlite")
    return workdir


def table_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "select name from sqlite_master where type = 'table' order by name"
            )
        ]
        return {t: conn.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


def assert_good_copy(copy: Path, original: Path) -> None:
    conn = sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    counts = table_counts(copy)
    assert counts == table_counts(original)
    assert counts["articles"] == 33 and counts["crawl_runs"] == 2


def test_python_backup_while_a_writer_holds_a_transaction(archive_dir: Path) -> None:
    original = archive_dir / "data" / "newsroom.sqlite"
    before = table_counts(original)
    writer = sqlite3.connect(original, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("insert into sources (name, created_at) values ('uncommitted', 'now')")
    try:
        result = subprocess.run(
            [sys.executable, "-c", block("backup.py")],
            cwd=archive_dir,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.returncode == 0, result.stderr
    (copy,) = (archive_dir / "backups").glob("newsroom-*.sqlite")
    assert result.stdout.strip() == f"archive backed up to backups/{copy.name}"
    assert_good_copy(copy, original)
    assert table_counts(copy) == before


def test_python_backup_refuses_a_missing_archive(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", block("backup.py")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == "no archive at data/newsroom.sqlite"
    assert not (tmp_path / "data").exists()


@pytest.mark.skipif(not shutil.which("sqlite3"), reason="the sqlite3 program is not installed")
def test_sqlite3_backup_recipe(archive_dir: Path) -> None:
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block("backup.sh")],
        cwd=archive_dir,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
    assert_good_copy(
        archive_dir / "backups" / "newsroom.sqlite", archive_dir / "data" / "newsroom.sqlite"
    )
