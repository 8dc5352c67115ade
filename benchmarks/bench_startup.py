"""Start-up time of `newsroom-archive`: help, a command's help, and read commands.

Each command is started as its own process, ROUNDS times; the table gives the median
wall time and its ratio to the baseline, a bare `python -c pass` of the same interpreter.
The read commands run on a small archive (three runs, no articles) made for the purpose.
The last column lists the heavy packages the command imported.
Run: .venv/bin/python benchmarks/bench_startup.py [ROUNDS]   (default 15)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsroom_archive.archive import Archive

HEAVY = ("scrapy", "twisted", "alembic", "datasette", "sqlalchemy", "rich", "parsel", "lxml")
# The same command in process, reporting which heavy packages it imported.
PROBE = (
    "import sys\n"
    "from newsroom_archive.cli import main\n"
    "try:\n"
    "    main(sys.argv[1:], prog_name='newsroom-archive')\n"
    "except SystemExit:\n"
    "    pass\n"
    f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
)


def small_archive(path: Path) -> str:
    url = f"sqlite:///{path}"
    archive = Archive(url)
    for _ in range(3):
        archive.finish_run(archive.start_run("bench", "bench", "full"), "finished")
    archive.close()
    return url


def median_seconds(command: list[str], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def heavy_imports(args: list[str]) -> str:
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    return probe.stderr.strip().splitlines()[-1] if probe.stderr.strip() else ""


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    script = str(Path(sys.executable).with_name("newsroom-archive"))
    with tempfile.TemporaryDirectory() as tmp:
        url = small_archive(Path(tmp) / "small.sqlite")
        cases = [
            ("--help", ["--help"]),
            ("search --help", ["search", "--help"]),
            ("runs", ["--db", url, "runs"]),
            ("stats", ["--db", url, "stats"]),
        ]
        baseline = median_seconds([sys.executable, "-c", "pass"], rounds)
        print(f"median of {rounds} starts each\n")
        print("| command | seconds | × `python -c pass` | heavy packages imported |")
        print("|---|---|---|---|")
        print(f"| `python -c pass` (baseline) | {baseline:.3f} | 1.0× | |")
        for label, args in cases:
            seconds = median_seconds([script, *args], rounds)
            loaded = heavy_imports(args) or "none"
            print(
                f"| `newsroom-archive {label}` | {seconds:.3f} | "
                f"{seconds / baseline:.1f}× | {loaded} |"
            )


if __name__ == "__main__":
    main()
