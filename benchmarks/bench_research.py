"""Search latency and export speed on a generated archive of N articles x 3 versions.

Baselines on the same file in the same session: the `sqlite3` command-line shell's
`-csv` output of the same join (`export articles`), and the raw FTS5 MATCH query
(`search`). Memory: peak Python allocation of exporting N/10 and N articles.
Run: .venv/bin/python benchmarks/bench_research.py [N]   (default 100000)
"""

from __future__ import annotations

import dataclasses
import io
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from newsroom_archive.archive import Archive
from newsroom_archive.archive.export import ARTICLE_COLUMNS, csv_records, write_csv_records
from newsroom_archive.archive.query import Filters, search
from newsroom_archive.items import ArticleRecord, NormalisedArticle
from newsroom_archive.sample_site import expected_articles

WORDS = (
    *("detention", "asylum", "protest", "journalists", "prison", "border", "refugees"),
    *("climate", "election", "torture", "surveillance", "evictions", "shelters", "freedom"),
    *("expression", "police", "weapons", "children", "water"),
)


def generate(url: str, n: int) -> None:
    specs = expected_articles("base")
    archive = Archive(url, batch_size=2000)
    for version in range(3):
        run = archive.start_run("bench", "bench", "full")
        for i in range(n):
            spec = specs[i % len(specs)]
            word = WORDS[i % len(WORDS)]
            record = ArticleRecord(
                source="bench",
                url=f"https://www.example.org/{spec.folder}/{spec.slug}-{i}/",
                title=f"{spec.title} ({word} {i})" + (" updated" * version),
                kind="press-release",
                type_label=spec.type_label,
                published_date=f"{2010 + i % 15}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                teaser=spec.teaser_full,
                body=spec.body_text + f" {word} {WORDS[(i * 7) % len(WORDS)]}",
                caption=spec.caption,
                photo_credit=spec.credit,
                photographers=list(spec.photographers),
                photo_agencies=list(spec.photo_agencies),
            )
            archive.add(run, NormalisedArticle(record=dataclasses.replace(record)))
        archive.finish_run(run, "finished")
    archive.close()


def time_search(archive: Archive, query: str, repeats: int = 20) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        search(archive, query, Filters(), limit=20)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def time_raw_fts(path: Path, query: str, repeats: int = 20) -> float:
    conn = sqlite3.connect(path)
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        conn.execute(
            "select rowid from articles_fts where articles_fts match ? order by rank limit 20",
            (query,),
        ).fetchall()
        timings.append(time.perf_counter() - start)
    conn.close()
    return statistics.median(timings)


def time_export(archive: Archive, out: Path) -> tuple[float, int]:
    start = time.perf_counter()
    with out.open("w", encoding="utf-8", newline="") as handle:
        n = write_csv_records(csv_records(archive, "articles"), ARTICLE_COLUMNS, handle)
    return time.perf_counter() - start, n


def time_sqlite3_csv(path: Path, out: Path) -> float:
    columns = ", ".join(
        "s.name"
        if c == "source"
        else f"a.{c}"
        if c
        in {
            "url",
            "status",
            "first_seen_at",
            "last_seen_at",
            "removed_at",
            "version_count",
            "content_hash",
        }
        else f"v.{c}"
        for c in ARTICLE_COLUMNS
    )
    query = (
        f"select {columns} from articles a join sources s on s.id = a.source_id "
        "join versions v on v.id = a.current_version_id "
        "order by s.name, v.published_date desc, a.url;"
    )
    start = time.perf_counter()
    with out.open("wb") as handle:
        subprocess.run(["sqlite3", "-csv", "-header", str(path), query], stdout=handle, check=True)
    return time.perf_counter() - start


def export_peak(archive: Archive, limit: int) -> int:
    tracemalloc.start()
    sink = io.StringIO()
    produced = csv_records(archive, "articles")
    taken = (row for i, row in zip(range(limit), produced, strict=False))
    write_csv_records(taken, ARTICLE_COLUMNS, _Discard())
    del sink
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


class _Discard(io.StringIO):
    def write(self, s: str) -> int:
        return len(s)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite"
        url = f"sqlite:///{path}"
        start = time.perf_counter()
        generate(url, n)
        print(f"generated {n} articles x 3 versions in {time.perf_counter() - start:.0f} s")
        archive = Archive(url, readonly=True, create=False)
        for query in ("detention", "asylum AND prison", '"human rights"'):
            ours = time_search(archive, query)
            raw = time_raw_fts(path, query)
            print(
                f"search {query!r:22} {ours * 1000:7.1f} ms  (raw FTS5 query {raw * 1000:6.1f} ms)"
            )
        seconds, exported = time_export(archive, Path(tmp) / "articles.csv")
        if shutil.which("sqlite3"):
            shell = time_sqlite3_csv(path, Path(tmp) / "shell.csv")
            print(
                f"export articles: {exported / seconds:9.0f} rows/s  "
                f"(sqlite3 -csv: {exported / shell:9.0f} rows/s, {seconds / shell:.1f}x its time)"
            )
        else:
            print(
                f"export articles: {exported / seconds:9.0f} rows/s (no sqlite3 shell to compare)"
            )
        small, large = export_peak(archive, n // 10), export_peak(archive, n)
        print(
            f"peak Python memory exporting {n // 10} rows: {small / 1e3:.0f} kB; {n} rows: "
            f"{large / 1e3:.0f} kB ({large / small:.2f}x for 10x the rows)"
        )


if __name__ == "__main__":
    main()
