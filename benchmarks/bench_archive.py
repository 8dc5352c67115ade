"""Archive write speed: new items and unchanged re-sightings, beside plain sqlite3.

The baseline inserts the same rows (one per article, version and sighting) with
``sqlite3.executemany`` in one transaction, in the same process, on the same disk.
Run: .venv/bin/python benchmarks/bench_archive.py [N]
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from newsroom_archive.archive import Archive
from newsroom_archive.hashing import content_hash, content_of
from newsroom_archive.items import ArticleRecord, ListingCard, NormalisedArticle, Sighting
from newsroom_archive.sample_site import expected_articles


def make_items(n: int) -> list[NormalisedArticle]:
    specs = expected_articles("base")
    items = []
    for i in range(n):
        spec = specs[i % len(specs)]
        url = f"https://www.example.org/{spec.folder}/{spec.slug}-{i}/"
        record = ArticleRecord(
            source="bench",
            url=url,
            title=spec.title,
            kind="press-release",
            type_label=spec.type_label,
            published_date=spec.published_date,
            published_at=spec.published.isoformat(),
            date_source="jsonld",
            teaser=spec.teaser_full,
            body=spec.body_text,
            image_url=spec.image,
            image_alt=spec.image_alt,
            caption=spec.caption,
            photo_credit=spec.credit,
            photographers=list(spec.photographers),
            photo_agencies=list(spec.photo_agencies),
        )
        card = ListingCard(url=url, position=i % 10 + 1, title=spec.title, teaser=spec.teaser_full)
        sighting = Sighting("https://www.example.org/news/", i // 10 + 1, i % 10 + 1, card)
        items.append(NormalisedArticle(record=record, sighting=sighting))
    return items


def archive_run(url: str, items: list[NormalisedArticle]) -> float:
    archive = Archive(url)
    run = archive.start_run("bench", "bench", "full")
    start = time.perf_counter()
    for item in items:
        archive.add(run, item)
    archive.finish_run(run, "finished")
    elapsed = time.perf_counter() - start
    archive.engine.dispose()
    return elapsed


def baseline(path: Path, items: list[NormalisedArticle]) -> float:
    conn = sqlite3.connect(path)
    conn.execute("pragma journal_mode=wal")
    conn.execute("create table articles (url text unique, content_hash text, first_seen text)")
    fields = list(content_of(items[0].record))
    conn.execute(f"create table versions (url text, {', '.join(fields)})")
    conn.execute("create table sightings (url text, listing_url text, page int, position int)")
    start = time.perf_counter()
    with conn:
        rows = []
        versions = []
        sightings = []
        for item in items:
            content = content_of(item.record)
            rows.append((item.record.url, content_hash(content), "now"))
            versions.append(
                (
                    item.record.url,
                    *(json.dumps(v) if isinstance(v, list) else v for v in content.values()),
                )
            )
            assert item.sighting is not None
            sightings.append(
                (
                    item.record.url,
                    item.sighting.listing_url,
                    item.sighting.page_number,
                    item.sighting.position,
                )
            )
        conn.executemany("insert into articles values (?, ?, ?)", rows)
        conn.executemany(
            f"insert into versions values ({', '.join('?' * (len(fields) + 1))})", versions
        )
        conn.executemany("insert into sightings values (?, ?, ?, ?)", sightings)
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    items = make_items(n)
    with tempfile.TemporaryDirectory() as tmp:
        base = baseline(Path(tmp) / "baseline.sqlite", items)
        url = f"sqlite:///{Path(tmp) / 'archive.sqlite'}"
        new = archive_run(url, items)
        again = [dataclasses.replace(i) for i in items]
        unchanged = archive_run(url, again)
    print(f"items: {n}")
    rows = (
        ("plain sqlite3 executemany (same rows)", base),
        ("archive, new items", new),
        ("archive, unchanged re-sightings", unchanged),
    )
    for label, seconds in rows:
        print(f"{label:40} {n / seconds:9.0f} items/s  ({seconds / base:.1f}x baseline time)")


if __name__ == "__main__":
    main()
