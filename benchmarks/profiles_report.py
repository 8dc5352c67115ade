"""Fields right per newsroom profile, and for the generic extractor alone, on real pages.

For every fixture of every profile (the expected records, written by reading the page),
the page is read twice: by its profile, and by the generic extractor with no profile,
and each field with an expected value counts right when it is read exactly. Every page
under the shared folders (``../shared/newsrooms`` and ``../shared/real-pages``) is
listed; one without a fixture is said to be so. ``extractor`` is not counted: it names
the reader, and the generic one names itself by design.
Run: .venv/bin/python benchmarks/profiles_report.py   (or: make profiles-report)
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from newsroom_archive.profiles.fixtures import (
    fixture_files,
    page_path,
    run_fixture,
    shared_root,
)
from newsroom_archive.sites import get_site, sites

IGNORED = frozenset({"extractor"})
PAGE_SUFFIXES = (".html", ".htm", ".xml")


def _ratio(right: int, expected: int) -> str:
    return f"{right}/{expected} ({100 * right / expected:.0f} %)" if expected else "-"


def main() -> int:
    root = shared_root()
    if not root.is_dir():
        print(f"the shared pages are not here ({root}): nothing to measure", file=sys.stderr)
        return 1
    generic = get_site("generic")
    covered: dict[Path, list[str]] = defaultdict(list)
    rows = []
    totals = [0, 0, 0, 0]
    for name, newsroom in sorted(sites().items()):
        if name == "generic":
            continue
        counts = [0, 0, 0, 0, 0]
        for fixture in fixture_files(newsroom):
            spec = json.loads(fixture.read_text(encoding="utf-8"))
            path = page_path(fixture, spec).resolve()
            if not str(path).startswith(str(root.resolve())) or not path.is_file():
                continue
            covered[path].append(name)
            own = run_fixture(newsroom, fixture, IGNORED)
            alone = run_fixture(generic, fixture, IGNORED)
            counts[0] += 1
            counts[1] += own.fields_right
            counts[2] += own.fields_expected
            counts[3] += alone.fields_right
            counts[4] += alone.fields_expected
        if counts[0]:
            rows.append((name, *counts))
            for i in range(4):
                totals[i] += counts[i + 1]
    print(f"Real pages under {root}, read by their profile and by the generic extractor alone\n")
    print("| profile | pages | profile: fields right | generic alone: fields right |")
    print("|---|---:|---:|---:|")
    for name, pages, pr, pe, gr, ge in rows:
        print(f"| {name} | {pages} | {_ratio(pr, pe)} | {_ratio(gr, ge)} |")
    pages = sum(r[1] for r in rows)
    print(
        f"| **all** | {pages} | {_ratio(totals[0], totals[1])} | {_ratio(totals[2], totals[3])} |"
    )
    missing = sorted(
        p for p in root.rglob("*") if p.suffix in PAGE_SUFFIXES and p.resolve() not in covered
    )
    print(f"\nPages without a fixture: {len(missing)}")
    for path in missing:
        print(f"- {path.relative_to(root)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
