"""The command line under random arguments: whatever is typed, a command answers with
its output or one line of error and a non-zero exit, never a traceback, and the read
commands leave the archive as it was."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsroom_archive.archive import Archive
from newsroom_archive.cli import main
from tests.helpers.bad_input import FileState, assert_unchanged, run_cli

# Commands that serve, crawl or change the archive are exercised by their own tests.
_SKIPPED = {"serve", "demo", "upgrade"}


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or name in _SKIPPED:
            continue
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


COMMANDS = _commands(main)

_values = st.one_of(
    st.sampled_from(
        ["", "-", "--", "2021-02-30", "2026-13-01", "9999-12-31", "0", "-1", "nan", "'", '"']
    ),
    st.text(max_size=12),
    st.integers(-5, 10**12).map(str),
    st.dates().map(lambda d: d.isoformat()),
)


def _options(command: tuple[str, ...]) -> list[str]:
    ctx = click.Context(main)
    target: click.Command | None = main
    for name in command:
        assert isinstance(target, click.Group)
        target = target.get_command(ctx, name)
    assert target is not None
    return [opt for p in target.params for opt in p.opts if opt.startswith("-")]


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    command = draw(st.sampled_from(COMMANDS))
    words = list(command)
    options = [*_options(command), "--nosuch", "-x"]
    for _ in range(draw(st.integers(0, 4))):
        words.append(draw(st.sampled_from(options)))
        if draw(st.booleans()):
            words.append(draw(_values))
    if draw(st.booleans()):
        words.append(draw(_values))
    return words


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "archive.sqlite"
    Archive(f"sqlite:///{path}").close()
    return path


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=command_lines())
def test_random_command_lines_never_raise(archive: Path, words: list[str]) -> None:
    before = FileState.of(archive)
    result = run_cli(words, archive)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        words,
        repr(result.exception),
    )
    assert "Traceback" not in result.output, words
    if result.exit_code != 0:
        assert [line for line in result.stderr.splitlines() if line.strip()], words
    assert_unchanged(archive, before)
