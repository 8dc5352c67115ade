"""The health check: `evaluate` on constructed runs, the thresholds file, notifiers, and
end to end against real crawls of the sample newsroom (healthy, then a redesigned listing).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import shlex
import sqlite3
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select, update

from newsroom_archive.archive import Archive
from newsroom_archive.archive.models import CrawlRun
from newsroom_archive.crawl import LOOPBACK_SETTINGS, run_crawl
from newsroom_archive.health import (
    CONFIG_ENV,
    JSON_ENV,
    Check,
    HealthReport,
    HealthThresholds,
    RunFacts,
    check_run,
    comparable_runs,
    end_of_crawl,
    evaluate,
    latest_run_id,
    load_thresholds,
    notify,
    record,
)
from newsroom_archive.sample_site import SampleNewsroom
from tests.helpers.health import T0, cli, facts, history

PAGE_FIELDS = ("title", "published_date", "teaser", "image_url", "caption", "photo_credit")


@pytest.fixture(autouse=True)
def _no_thresholds_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CONFIG_ENV, raising=False)


def outcome(report: HealthReport, name: str) -> Check | str:
    """The named check, or the reason it was not applicable."""
    for check in report.checks:
        if check.name == name:
            return check
    return report.skipped[name]


# -- evaluate: each check failing and passing ------------------------------------------

CASES: list[tuple[str, str, dict[str, Any], bool]] = [
    # (id, check, overrides of the run under test, expected ok)
    ("finished", "finished", {}, True),
    ("shut-down", "finished", {"finish_reason": "shutdown", "status": "interrupted"}, False),
    ("timed-out", "finished", {"finish_reason": "closespider_timeout"}, False),
    ("listing-read", "listing_pages", {}, True),
    ("listing-unread", "listing_pages", {"stats": {"listing/pages": 0}}, False),
    ("no-empty-page", "empty_listing_pages", {}, True),
    ("empty-page", "empty_listing_pages", {"stats": {"listing/pages_without_cards": 1}}, False),
    ("complete-cards", "incomplete_cards", {}, True),
    ("incomplete-cards", "incomplete_cards", {"stats": {"listing/cards_incomplete": 3}}, False),
    ("few-errors", "error_rate", {"errors": 6}, True),  # 6 / 120 = 5 %
    ("many-errors", "error_rate", {"errors": 7}, False),
    (
        "errors-without-requests",
        "error_rate",
        {"errors": 1, "stats": {"downloader/request_count": 0}},
        False,
    ),
    ("few-retries", "retry_rate", {"stats": {"retry/count": 24}}, True),  # 20 %
    ("many-retries", "retry_rate", {"stats": {"retry/count": 25}}, False),
    ("items-as-usual", "item_count", {"items_seen": 96}, True),
    ("items-half", "item_count", {"items_seen": 50}, True),
    ("items-dropped", "item_count", {"items_seen": 49}, False),
    ("nothing-archived", "item_count", {"items_seen": 0}, False),
    ("titles-kept", "coverage/title", {}, True),
    ("titles-lost", "coverage/title", {"missing": {"title": 100}}, False),
    ("dates-lost", "coverage/published_date", {"missing": {"published_date": 100}}, False),
    ("captions-dip", "coverage/caption", {"missing": {"caption": 50}}, True),  # 80 % -> 50 %
    ("captions-lost", "coverage/caption", {"missing": {"caption": 51}}, False),
    ("bodies-lost", "coverage/body", {"missing": {"body": 100}}, False),
    ("card-titles-kept", "card_coverage/title", {}, True),
    ("card-titles-lost", "card_coverage/title", {"card_counts": {"title": 0}}, False),
    ("card-dates-lost", "card_coverage/date_text", {"card_counts": {"title": 100}}, False),
    ("new-articles", "nothing_new", {}, True),
]


@pytest.mark.parametrize(
    ("check", "overrides", "ok"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_each_check(check: str, overrides: dict[str, Any], ok: bool) -> None:
    report = evaluate(facts(10, **overrides), history())
    found = outcome(report, check)
    assert isinstance(found, Check), found
    assert found.ok is ok, found
    if not ok:
        assert not report.ok and check in [c.name for c in report.failed]
        assert check in report.summary()


def test_a_healthy_run_passes_every_check() -> None:
    report = evaluate(facts(10), history())
    assert report.ok, report.summary()
    names = [c.name for c in report.checks]
    assert names[:7] == [
        "finished",
        "listing_pages",
        "empty_listing_pages",
        "incomplete_cards",
        "error_rate",
        "retry_rate",
        "item_count",
    ]
    assert {f"coverage/{f}" for f in HealthThresholds().coverage_fields} <= set(names)
    assert {f"card_coverage/{f}" for f in HealthThresholds().card_fields} <= set(names)
    assert names[-1] == "nothing_new"
    assert report.skipped == {}
    assert report.summary() == (f"run 10 (amnestyusa, full): healthy, {len(names)} checks passed")


def test_limits_and_messages_say_what_was_measured() -> None:
    report = evaluate(facts(10, items_seen=40, missing={"title": 100}), history())
    items = outcome(report, "item_count")
    assert isinstance(items, Check)
    assert (items.value, items.limit) == (0.4, 0.5)
    assert items.message == (
        "40 items, 40% of the median 100 of the last 5 full runs (at least 50%)"
    )
    title = outcome(report, "coverage/title")
    assert isinstance(title, Check)
    assert (title.value, title.limit) == (0.0, 0.9)
    assert title.message == (
        "0% of 100 parsed article pages (median 100% over 5 earlier runs, may fall 30% "
        "below; floor 90%)"
    )
    assert report.summary() == (
        "run 10 (amnestyusa, full): UNHEALTHY, 2 of 21 checks failed: item_count, coverage/title"
    )


def test_item_count_uses_the_median_of_the_last_comparable_runs() -> None:
    # An outlier among the earlier runs does not move the median.
    past = [*history(4), facts(5, items_seen=1000)]
    assert outcome(evaluate(facts(10, items_seen=60), past), "item_count").ok  # type: ignore[union-attr]
    # Only the last `history_runs` runs count: the site has grown since run 1..3.
    grown = [facts(i, items_seen=40) for i in range(1, 4)] + history(5)[3:]
    thresholds = HealthThresholds(history_runs=2)
    check = outcome(evaluate(facts(10, items_seen=55), grown, thresholds), "item_count")
    assert isinstance(check, Check) and check.ok and check.value == 0.55


def test_an_incremental_run_that_stopped_early_is_healthy() -> None:
    earlier = [
        facts(i, mode="incremental", items_seen=3, cards=8, stats={"item/pages": 3})
        for i in range(1, 6)
    ]
    run = facts(
        10,
        mode="incremental",
        items_seen=0,
        new=0,
        stop_reason="page 1: every card already archived, unchanged",
        stats={
            "listing/pages": 1,
            "listing/cards": 8,
            "listing/cards_unchanged": 8,
            "downloader/request_count": 2,
            "item_scraped_count": 8,
            "item/pages": 0,
        },
        cards=8,
        card_counts={"title": 8, "date_text": 8, "type_label": 7, "teaser": 8, "image_url": 7},
    )
    report = evaluate(run, [*history(3), *earlier])
    assert report.ok, report.summary()
    assert "incremental" in report.skipped["item_count"]
    assert report.skipped["coverage/title"] == "no article page was parsed"
    assert report.skipped["card_coverage/title"] == "only 8 listing cards (coverage needs 10)"


def test_incremental_runs_are_compared_with_incremental_runs_only() -> None:
    incremental = [facts(i, mode="incremental", items_seen=12) for i in range(6, 9)]
    run = facts(10, mode="incremental", items_seen=11, missing={"caption": 11})
    chosen = comparable_runs(run, [*history(5), *incremental], HealthThresholds())
    assert [r.run_id for r in chosen] == [8, 7, 6]
    assert "item_count" in evaluate(run, [*history(5), *incremental]).skipped


def test_comparable_runs_leave_out_what_does_not_compare() -> None:
    candidates = [
        facts(1),
        facts(2, health_ok=True),
        facts(3, health_ok=False),  # found unhealthy: not the new normal
        facts(4, status="failed"),
        facts(5, status="interrupted", finish_reason="shutdown"),
        facts(6, max_pages=2),
        facts(7, source="other"),
        facts(8, mode="incremental"),
        facts(11),  # later than the run under test
    ]
    chosen = comparable_runs(facts(10), candidates, HealthThresholds())
    assert [r.run_id for r in chosen] == [2, 1]
    limited = comparable_runs(facts(10, max_pages=2), candidates, HealthThresholds())
    assert [r.run_id for r in limited] == [6]


def test_unhealthy_runs_do_not_silence_the_alarm() -> None:
    broken = [facts(i, items_seen=0, health_ok=False) for i in range(6, 10)]
    report = evaluate(facts(10, items_seen=0), [*history(5), *broken])
    assert "item_count" in [c.name for c in report.failed]


def test_a_resumed_run_is_judged_with_the_runs_it_continues() -> None:
    first_part = facts(
        9, status="interrupted", finish_reason="shutdown", items_seen=70, health_ok=False
    )
    rest = facts(
        10,
        resumed_from=9,
        items_seen=30,
        stats={"listing/pages": 0, "listing/cards": 0, "downloader/request_count": 31},
    )
    report = evaluate(rest, [*history(5), first_part])
    assert report.ok, report.summary()
    pages = outcome(report, "listing_pages")
    assert isinstance(pages, Check) and pages.value == 10
    assert pages.message == "10 listing pages read (with run 9, which it resumes)"
    items = outcome(report, "item_count")
    assert isinstance(items, Check) and items.value == 1.0
    # As history, a resumed run's own items are only the rest of a crawl.
    later = evaluate(facts(11, items_seen=100), [*history(5), first_part, rest])
    check = outcome(later, "item_count")
    assert isinstance(check, Check) and check.ok and "of the last 5 full runs" in check.message


def test_coverage_without_history_uses_the_floors_only() -> None:
    report = evaluate(facts(1, missing={"title": 20, "caption": 100}), [])
    title = outcome(report, "coverage/title")
    assert isinstance(title, Check) and not title.ok and title.limit == 0.9
    assert outcome(report, "coverage/caption") == (
        "no earlier comparable run with 10+ parsed article pages"
    )
    assert outcome(report, "item_count") == "no earlier comparable full run"


def test_coverage_needs_enough_pages() -> None:
    run = facts(10, stats={"item/pages": 4}, missing={"title": 4})
    report = evaluate(run, history())
    assert report.skipped["coverage/title"] == ("only 4 parsed article pages (coverage needs 10)")
    # Small runs do not make a median either.
    few = [facts(i, stats={"item/pages": 4}) for i in range(6, 10)]
    check = outcome(
        evaluate(facts(10, missing={"caption": 60}), [*history(1), *few]), "coverage/caption"
    )
    assert isinstance(check, Check) and not check.ok
    assert "over 1 earlier run," in check.message


def test_coverage_from_older_stats_counts_only_runs_that_fetched_every_page() -> None:
    def older(run_id: int, **extra: int) -> RunFacts:
        """Stats from before `item/pages`: missing fields counted over every item."""
        stats = {
            "listing/pages": 10,
            "downloader/request_count": 120,
            "item_scraped_count": 100,
            "item/missing/caption": 20,
            **extra,
        }
        return dataclasses.replace(facts(run_id), stats=stats)

    past = [older(i) for i in range(1, 6)]
    lost = outcome(evaluate(older(10, **{"item/missing/title": 100}), past), "coverage/title")
    assert isinstance(lost, Check) and not lost.ok
    # Items answered 304 Not Modified have no page: their missing bodies say nothing.
    not_modified = older(10, **{"article/not_modified": 90, "item/missing/body": 90})
    report = evaluate(not_modified, past)
    assert report.ok, report.summary()
    assert report.skipped["coverage/body"] == (
        "items known only from their cards (article/not_modified)"
    )


@pytest.mark.parametrize(("quiet_days", "ok"), [(1, True), (6.9, True), (7, False), (30, False)])
def test_nothing_new_is_about_streaks(quiet_days: float, ok: bool) -> None:
    last_new = facts(1, at=T0 - timedelta(minutes=30))  # ends at T0
    quiet = [facts(i, at=T0 + timedelta(hours=6 * i), new=0) for i in range(2, 6)]
    run = facts(10, at=T0 + timedelta(days=quiet_days) - timedelta(minutes=30), new=0)
    check = outcome(evaluate(run, [last_new, *quiet]), "nothing_new")
    assert isinstance(check, Check)
    assert check.ok is ok
    assert check.value == pytest.approx(quiet_days)
    assert "the last new article came with run 1" in check.message


def test_nothing_new_counts_runs_of_every_mode() -> None:
    found_by_incremental = facts(9, mode="incremental", at=T0 + timedelta(days=9), new=1)
    run = facts(10, at=T0 + timedelta(days=10), new=0)
    check = outcome(evaluate(run, [facts(1, at=T0), found_by_incremental]), "nothing_new")
    assert isinstance(check, Check) and check.ok and check.value < 2


def test_nothing_new_since_the_first_run() -> None:
    first = facts(1, at=T0, new=0)
    run = facts(10, at=T0 + timedelta(days=8), new=0)
    check = outcome(evaluate(run, [first]), "nothing_new")
    assert isinstance(check, Check) and not check.ok
    assert "no run has found one since run 1" in check.message
    alone = outcome(evaluate(facts(1, new=0), []), "nothing_new")
    assert isinstance(alone, Check) and alone.ok


def test_nothing_new_can_be_switched_off() -> None:
    run = facts(10, at=T0 + timedelta(days=60), new=0)
    report = evaluate(run, [facts(1, at=T0)], HealthThresholds(nothing_new_days=0))
    assert "nothing_new" in report.skipped and report.ok


def test_run_age_only_when_asked() -> None:
    run = facts(10, at=T0)
    assert "run_age" not in [c.name for c in evaluate(run, history()).checks]
    fresh = outcome(evaluate(run, history(), now=T0 + timedelta(hours=2)), "run_age")
    assert isinstance(fresh, Check) and fresh.ok
    stale = outcome(evaluate(run, history(), now=T0 + timedelta(hours=49)), "run_age")
    assert isinstance(stale, Check) and not stale.ok
    assert "have the scheduled crawls stopped?" in stale.message


def test_report_json_and_summary() -> None:
    report = evaluate(facts(10, stats={"listing/cards_incomplete": 2}), history())
    data = json.loads(report.to_json())
    assert data["ok"] is False
    assert data["failed"] == ["incomplete_cards"]
    assert data["summary"] == report.summary()
    assert (data["run_id"], data["source"], data["mode"]) == (10, "amnestyusa", "full")
    first = data["checks"][0]
    assert set(first) == {"name", "ok", "value", "limit", "message"}
    with_config = report.with_check(Check("config", False, None, None, "bad file"))
    assert with_config.failed[-1].name == "config" and not with_config.ok


# -- thresholds file ------------------------------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "health.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_built_in_thresholds_without_a_file() -> None:
    assert load_thresholds("amnestyusa") == HealthThresholds()
    defaults = HealthThresholds()
    assert (defaults.min_item_ratio, defaults.history_runs, defaults.max_coverage_drop) == (
        0.5,
        5,
        0.3,
    )
    assert defaults.nothing_new_days == 7 and defaults.max_error_rate == 0.05


def test_defaults_then_the_newsroom_s_own_table(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[defaults]
max_error_rate = 0.1
history_runs = 3

[defaults.min_coverage]
image_url = 0.5

[sources.amnestyusa]
max_error_rate = 0.2
card_fields = ["title"]

[sources.amnestyusa.min_coverage]
title = 0.5

[sources.other]
nothing_new_days = 30
""",
    )
    amnesty = load_thresholds("amnestyusa", path)
    assert amnesty.max_error_rate == 0.2
    assert amnesty.history_runs == 3
    assert amnesty.card_fields == ("title",)
    assert dict(amnesty.min_coverage) == {"title": 0.5, "published_date": 0.9, "image_url": 0.5}
    assert amnesty.nothing_new_days == 7
    other = load_thresholds("other", path)
    assert (other.max_error_rate, other.nothing_new_days) == (0.1, 30)
    unknown = load_thresholds("elsewhere", path)
    assert unknown.max_error_rate == 0.1 and unknown.card_fields == HealthThresholds().card_fields


def test_the_file_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "[sources.amnestyusa]\nmax_retry_rate = 0.5\n")
    monkeypatch.setenv(CONFIG_ENV, str(path))
    assert load_thresholds("amnestyusa").max_retry_rate == 0.5
    explicit = tmp_path / "explicit.toml"
    explicit.write_text("", encoding="utf-8")
    assert load_thresholds("amnestyusa", explicit) == HealthThresholds()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[defaults\n", "not valid TOML"),
        ("[defaults]\nmax_eror_rate = 0.1\n", "unknown setting 'max_eror_rate' in [defaults]"),
        (
            "[sources.other]\nhistroy_runs = 3\n",
            "unknown setting 'histroy_runs' in [sources.other]",
        ),
        ("[defaults]\nhistory_runs = 2.5\n", "history_runs must be a whole number, got 2.5"),
        ("[defaults]\nmax_error_rate = 'high'\n", "max_error_rate must be a number"),
        ("[defaults]\nmax_error_rate = 5\n", "max_error_rate must be between 0 and 1, got 5.0"),
        (
            "[sources.other]\nmax_error_rate = 5\n",
            "max_error_rate must be between 0 and 1, got 5.0 (thresholds of other)",
        ),
        ("[defaults]\nnothing_new_days = 1\n", "nothing_new_days must be 0 (off) or at least 2"),
        ("[defaults.min_coverage]\nheadline = 0.5\n", "min_coverage: unknown field 'headline'"),
        ("[defaults]\ncoverage_fields = ['title', 'colour']\n", "unknown field 'colour'"),
        ("[defaults]\ncard_fields = 'title'\n", "card_fields must be a list of field names"),
        ("[thresholds]\nx = 1\n", "unknown table 'thresholds'"),
        ("sources = 3\n", "[sources] must hold one table per newsroom"),
    ],
)
def test_a_bad_file_is_a_one_line_error(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ValueError) as raised:
        load_thresholds("amnestyusa", path)
    assert message in str(raised.value)
    assert str(path) in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"cannot read health thresholds .*nope\.toml"):
        load_thresholds("amnestyusa", tmp_path / "nope.toml")


# -- notifiers ------------------------------------------------------------------------


def recorder(tmp_path: Path) -> tuple[str, Path, Path]:
    """A notifier command that keeps its standard input and $NEWSROOM_HEALTH_JSON."""
    stdin, env = tmp_path / "stdin.json", tmp_path / "env.json"
    code = (
        "import os, sys; "
        f"open({str(stdin)!r}, 'w').write(sys.stdin.read()); "
        f"open({str(env)!r}, 'w').write(os.environ[{JSON_ENV!r}])"
    )
    return shlex.join([sys.executable, "-c", code]), stdin, env


def test_notify_sends_the_report_on_stdin_and_in_the_environment(tmp_path: Path) -> None:
    command, stdin, env = recorder(tmp_path)
    run = facts(10, items_seen=0)
    report = evaluate(run, history())
    notify(command, report, run)
    sent = json.loads(stdin.read_text())
    assert sent == json.loads(env.read_text())
    assert sent["ok"] is False and "item_count" in sent["failed"]
    assert sent["run"]["run_id"] == 10 and sent["run"]["source"] == "amnestyusa"
    assert "stats" not in sent["run"]


@pytest.mark.parametrize(
    ("command", "logged"),
    [
        (
            shlex.join([sys.executable, "-c", "import sys; sys.exit('no mail server')"]),
            "exited with status 1: no mail server",
        ),
        ("/nonexistent/notifier --now", "could not be run"),
        ("mail -s 'unbalanced", "cannot be parsed"),
        ("", "empty command"),
    ],
)
def test_a_failing_notifier_is_logged_never_raised(
    command: str, logged: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="newsroom_archive.health"):
        notify(command, evaluate(facts(10), history()))
    assert logged in caplog.text


def test_a_hanging_notifier_is_given_up(caplog: pytest.LogCaptureFixture) -> None:
    command = shlex.join([sys.executable, "-c", "import time; time.sleep(30)"])
    with caplog.at_level(logging.ERROR, logger="newsroom_archive.health"):
        notify(command, evaluate(facts(10), history()), timeout=0.5)
    assert "did not finish within 0.5 s" in caplog.text


# -- the archive ----------------------------------------------------------------------


def test_check_run_reads_the_archive(archive_url: str) -> None:
    """On each backend: history, the nothing-new streak, recording, the latest run."""
    archive = Archive(archive_url)
    stats = {"listing/pages": 4, "listing/cards": 32, "downloader/request_count": 37}
    ids = []
    for mode, items, new in (("full", 32, 32), ("incremental", 2, 0), ("full", 30, 0)):
        run_id = archive.start_run("amnestyusa", "amnestyusa", mode, {"max_pages": None})
        archive.finish_run(run_id, "finished", stats=stats, finish_reason="finished")
        with archive.engine.begin() as conn:
            conn.execute(
                update(CrawlRun).where(CrawlRun.id == run_id).values(items_seen=items, new=new)
            )
        ids.append(run_id)
    assert latest_run_id(archive) == ids[-1]
    assert latest_run_id(archive, "amnestyusa") == ids[-1]
    assert latest_run_id(archive, "elsewhere") is None

    report = check_run(archive, ids[-1], HealthThresholds())
    assert report.ok, report.summary()
    items = outcome(report, "item_count")
    assert isinstance(items, Check) and items.value == pytest.approx(30 / 32)
    streak = outcome(report, "nothing_new")
    assert isinstance(streak, Check) and f"run {ids[0]}" in streak.message
    assert report.checked_at and not report.recovered

    record(archive, ids[-1], report)
    record(archive, ids[0], dataclasses.replace(report, ok=False))
    with archive.engine.connect() as conn:
        rows = {row.id: row.health_ok for row in conn.execute(select(CrawlRun))}
        stored = conn.execute(select(CrawlRun.health).where(CrawlRun.id == ids[-1])).scalar_one()
    assert rows[ids[-1]] is True and rows[ids[0]] is False and rows[ids[1]] is None
    assert json.loads(stored)["summary"] == report.summary()
    # Run 1 was found unhealthy: it no longer counts, so there is nothing to compare with,
    # and a healthy run after it is a recovery.
    again = check_run(archive, ids[-1], HealthThresholds())
    assert "item_count" in again.skipped
    assert again.recovered
    archive.close()


def test_check_run_follows_a_resumed_crawl(archive_url: str) -> None:
    archive = Archive(archive_url)
    first = archive.start_run("amnestyusa", "amnestyusa", "full")
    archive.finish_run(first, "interrupted", stats={"listing/pages": 4}, finish_reason="shutdown")
    rest = archive.start_run("amnestyusa", "amnestyusa", "full", resumed_from=first)
    archive.finish_run(
        rest, "finished", stats={"downloader/request_count": 20}, finish_reason="finished"
    )
    report = check_run(archive, rest, HealthThresholds())
    archive.close()
    pages = outcome(report, "listing_pages")
    assert isinstance(pages, Check) and pages.ok and pages.value == 4


# -- end to end -----------------------------------------------------------------------


def check(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli(), ["--db", f"sqlite:///{db}", "check", *args])


@dataclasses.dataclass
class Crawled:
    site: SampleNewsroom
    db: Path

    @property
    def url(self) -> str:
        return f"sqlite:///{self.db}"

    def crawl(self, state: str) -> int:
        self.site.set_state(state)
        result = run_crawl(
            "amnestyusa",
            archive_url=self.url,
            spider_args={"start_url": f"{self.site.base_url}/news/"},
            settings=LOOPBACK_SETTINGS,
        )
        # An unhealthy crawl exits 1 but has still recorded its run.
        assert result.returncode in (0, 1), result.stderr[-3000:]
        with sqlite3.connect(self.db) as conn:
            return int(conn.execute("select max(id) from crawl_runs").fetchone()[0])

    def stats(self, run_id: int) -> dict[str, Any]:
        with sqlite3.connect(self.db) as conn:
            row = conn.execute("select stats from crawl_runs where id = ?", (run_id,))
            return dict(json.loads(row.fetchone()[0]))


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    """The sample newsroom crawled twice as first seen (runs 1 and 2)."""
    db = tmp_path_factory.mktemp("health") / "archive.sqlite"
    with SampleNewsroom("base") as site:
        site.start()
        sample = Crawled(site, db)
        assert [sample.crawl("base"), sample.crawl("base")] == [1, 2]
        yield sample


@pytest.fixture(scope="module")
def drifted(crawled: Crawled) -> Crawled:
    """Then a crawl of the same content in card markup the spider does not know (run 3)."""
    assert crawled.crawl("drift") == 3
    return crawled


@pytest.mark.crawl
def test_check_passes_a_healthy_crawl(crawled: Crawled, tmp_path: Path) -> None:
    command, stdin, _ = recorder(tmp_path)
    result = check(crawled.db, "--run", "2", "--json", "--notify", command)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] is True and report["failed"] == []
    names = {c["name"] for c in report["checks"]}
    assert all(c["ok"] for c in report["checks"]), report["checks"]
    assert {
        "finished",
        "listing_pages",
        "empty_listing_pages",
        "incomplete_cards",
        "error_rate",
        "retry_rate",
        "item_count",
        "card_coverage/title",
        "card_coverage/date_text",
        "nothing_new",
    } <= names
    for name in HealthThresholds().coverage_fields:
        assert f"coverage/{name}" in names | set(report["skipped"])
    assert not stdin.exists()  # a healthy run is not worth a message
    with sqlite3.connect(crawled.db) as conn:
        health_ok, health = conn.execute(
            "select health_ok, health from crawl_runs where id = 2"
        ).fetchone()
    assert health_ok == 1 and json.loads(health)["ok"] is True


@pytest.mark.crawl
def test_check_text_output(crawled: Crawled) -> None:
    result = check(crawled.db, "--run", "2")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("run 2  amnestyusa  full  finished  ")
    assert any(line.split()[:2] == ["ok", "item_count"] for line in lines)
    assert lines[-1].startswith("run 2 (amnestyusa, full): healthy, ")


@pytest.mark.crawl
def test_check_fails_a_redesigned_listing(drifted: Crawled, tmp_path: Path) -> None:
    command, stdin, env = recorder(tmp_path)
    result = check(drifted.db, "--json", "--notify", command)  # the latest run: 3
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["run_id"] == 3 and report["ok"] is False
    # The drift run's cards have no title and no date (the spider reads titles from the
    # article pages too, so the archived items may still have them).
    assert {"card_coverage/title", "card_coverage/date_text"} <= set(report["failed"])
    if "listing/cards_incomplete" in drifted.stats(3):
        assert "incomplete_cards" in report["failed"]
    assert "run_age" in {c["name"] for c in report["checks"]}
    sent = json.loads(stdin.read_text())
    assert sent["failed"] == report["failed"] and sent["run"]["run_id"] == 3
    assert json.loads(env.read_text()) == sent

    text = check(drifted.db, "--run", "3")
    assert text.exit_code == 1
    assert any(
        line.split()[:2] == ["FAIL", "card_coverage/title"] for line in text.stdout.splitlines()
    )
    assert text.stdout.splitlines()[-1].startswith("run 3 (amnestyusa, full): UNHEALTHY, ")


@pytest.mark.crawl
def test_end_of_crawl_records_logs_and_notifies(
    drifted: Crawled, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    command, stdin, _ = recorder(tmp_path)
    bad = write(tmp_path, "[defaults]\nmax_eror_rate = 1\n")
    archive = Archive(drifted.url, create=False)
    with caplog.at_level(logging.INFO, logger="newsroom_archive.health"):
        report = end_of_crawl(archive, 3, notify_command=command, config_path=bad)
    archive.close()
    assert not report.ok
    assert report.failed[-1].name == "config"
    assert "max_eror_rate" in report.failed[-1].message
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and errors[0].getMessage().startswith("health check failed: run 3")
    assert json.loads(stdin.read_text())["failed"][-1] == "config"
    with sqlite3.connect(drifted.db) as conn:
        stored = conn.execute("select health_ok, health from crawl_runs where id = 3").fetchone()
    assert stored[0] == 0 and json.loads(stored[1])["failed"][-1] == "config"


@pytest.mark.crawl
def test_a_healthy_crawl_after_the_drift_is_a_recovery(drifted: Crawled, tmp_path: Path) -> None:
    run_id = drifted.crawl("base")
    command, stdin, _ = recorder(tmp_path)
    result = check(drifted.db, "--run", str(run_id), "--json", "--notify", command)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] and report["recovered"]
    # The unhealthy drift run is not part of the comparison.
    items = next(c for c in report["checks"] if c["name"] == "item_count")
    assert "of the last 2 full runs" in items["message"]
    assert json.loads(stdin.read_text())["recovered"] is True


@pytest.mark.crawl
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--run", "99"], "no crawl run 99 in "),
        (["--source", "elsewhere"], "no finished crawl run of elsewhere in "),
        (["--run", "1", "--source", "elsewhere"], "run 1 is a run of amnestyusa, not elsewhere"),
        (["--config", "/nonexistent/health.toml"], "cannot read health thresholds"),
    ],
)
def test_check_bad_input_is_a_one_line_error(
    crawled: Crawled, args: list[str], message: str
) -> None:
    result = check(crawled.db, *args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_check_on_an_empty_or_missing_archive(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    Archive(f"sqlite:///{empty}").close()
    result = check(empty)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"Error: no finished crawl run in {empty}"
    missing = tmp_path / "missing.sqlite"
    result = check(missing)
    assert result.exit_code == 2 and result.stderr.strip() == f"Error: no archive at {missing}"
    assert not missing.exists()
