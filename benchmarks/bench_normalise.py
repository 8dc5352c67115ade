"""How fast normalisation is: ``build_record`` over realistic items, against a baseline.

The items are built from the sample newsroom's article specs (``newsroom_archive.
sample_site``) with the caption shapes of the March 2020 seed page mixed in, so that
every credit branch is exercised; without the sample site, items are built from the
seed captions alone. The baseline is plain ``clean_text`` over the same raw strings:
the ratio shows what the parsing on top of text cleaning costs.

    .venv/bin/python benchmarks/bench_normalise.py [--items 300] [--rounds 20]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
from collections.abc import Callable, Iterable
from typing import Any

from newsroom_archive.items import ArticlePage, ListingCard, ScrapedArticle
from newsroom_archive.normalise import (
    SourceRules,
    build_record,
    clean_text,
    load_agencies,
    parse_caption,
)

RULES = SourceRules(
    name="amnestyusa",
    title_suffixes=(" | Amnesty International USA", " - Amnesty International USA"),
)
BASE = "https://www.amnestyusa.org"
SEED_CAPTIONS = (
    "BURBANK, CA - MARCH 17: Shoppers wait in line to purchase ammunition and guns at Gun "
    "World in Burbank on Tuesday, March 17, 2020 as US sales of guns and ammunition soar "
    "amid the coronavirus outbreak. (Photo by Sarah Reingewirtz/MediaNews Group/Pasadena "
    "Star-News via Getty Images)",
    "DAMASCUS, March 30, 2020 . A worker disinfects streets in Damascus, Syria, on March 30, "
    "2020. Four new COVID-19 cases were registered in Syria, bringing the total number of the "
    "infections to nine, Syria's Health Ministry said on Sunday. (Photo by Ammar "
    "Safarjalani/Xinhua via Getty) (Xinhua/Ammar Safarjalani via Getty Images)",
    "Photo by Alex Wong/Getty Images",
    "MOSCOW, RUSSIA - MARCH 30, 2020: Police officers in face masks patrol the area around "
    "Patriarshy Pond in central Moscow during the pandemic of the novel coronavirus "
    "(COVID-19). Valery Sharifulin/TASS (Photo by Valery SharifulinTASS via Getty Images)",
    "BRENDAN SMIALOWSKI/AFP/Getty Images",
    "A lorry disinfects a street on March 30, 2020 in Budapest amid the spread of the novel "
    "coronavirus pandemic. (Photo by ATTILA KISBENEDEK / AFP) (Photo by ATTILA "
    "KISBENEDEK/AFP via Getty Images)",
    "WASHINGTON, DC - MARCH 04: David Bloom (C), acting chief financial officer of the U.S. "
    "Environmental Protection (EPA), confers with aides as he arrives for a House "
    "Appropriations Committee hearing in the Rayburn House Office Building on March 4, 2020 "
    "in Washington, DC. (Photo by Drew Angerer/Getty Images)",
    "Hands touch despite bars in between",
)
TYPE_LABELS = ("Press Release", "Sheet of paper Report", "Update", None)


def _from_specs(count: int) -> list[ScrapedArticle]:
    from newsroom_archive.sample_site import ARTICLES

    items: list[ScrapedArticle] = []
    for i in range(count):
        spec = ARTICLES[i % len(ARTICLES)]
        url = f"{BASE}{spec.path}"
        caption = spec.caption
        if spec.credit and spec.credit_in == "caption" and caption is None:
            caption = spec.credit
        separate = spec.credit if spec.credit_in != "caption" else None
        if i % 2:  # half the items carry a seed caption instead
            caption, separate = SEED_CAPTIONS[i % len(SEED_CAPTIONS)], None
        body = "".join(f"<p>{paragraph}</p>\n" for paragraph in spec.body)
        card = ListingCard(
            url=url,
            position=i % 10 + 1,
            title=spec.title,
            tag_line=spec.tag_line,
            teaser=spec.listing_teaser,
            image_url=spec.image,
            image_alt=spec.image_alt,
            caption=caption if i % 3 == 0 else None,
            photo_credit=separate if i % 3 == 0 else None,
        )
        page = ArticlePage(
            url=url,
            canonical_url=url,
            title=spec.title,
            html_title=f"{spec.title} | Amnesty International USA",
            description=spec.teaser_full,
            date_published=spec.published.isoformat(),
            date_modified=spec.modified.isoformat(),
            date_source=spec.date_source,
            body=body,
            image_url=f"{BASE}{spec.image}" if spec.image else None,
            image_alt=spec.image_alt,
            caption=caption if i % 3 else None,
            photo_credit=separate if i % 3 else None,
            og_image=f"{BASE}{spec.image}" if spec.image else None,
        )
        items.append(ScrapedArticle(source="amnestyusa", url=url, card=card, page=page))
    return items


def _from_seed(count: int) -> list[ScrapedArticle]:
    items: list[ScrapedArticle] = []
    for i in range(count):
        url = f"{BASE}/press-releases/item-{i}/"
        card = ListingCard(
            url=url,
            position=i % 10 + 1,
            title=f"Press Release: Item {i} &amp; more | Amnesty International USA",
            tag_line=f"March {i % 28 + 1}, 2020 • Press Release",
            date_text=None,
            type_label=TYPE_LABELS[i % len(TYPE_LABELS)],
            teaser="The Syrian authorities must cooperate fully with UN agencies to prevent…",
            image_url=f"/wp-content/uploads/2020/03/item-{i}.jpg",
            caption=SEED_CAPTIONS[i % len(SEED_CAPTIONS)],
        )
        items.append(ScrapedArticle(source="amnestyusa", url=url, card=card))
    return items


def build_items(count: int) -> tuple[list[ScrapedArticle], str]:
    try:
        return _from_specs(count), "sample_site article specs + seed captions"
    except ImportError:
        return _from_seed(count), "seed captions"


def _raw_strings(item: ScrapedArticle) -> list[str | None]:
    """Every raw text field build_record reads, for the baseline."""
    values: list[str | None] = []
    for part in (item.card, item.page):
        if part is not None:
            values += [
                v for f in dataclasses.fields(part) if isinstance(v := getattr(part, f.name), str)
            ]
    return values


def _best(run: Callable[[], object], rounds: int) -> tuple[float, float]:
    """(best, median) wall time of ``rounds`` runs."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def _loop(func: Callable[[Any], object], values: Iterable[Any]) -> Callable[[], None]:
    frozen = list(values)

    def run() -> None:
        for value in frozen:
            func(value)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    items, origin = build_items(args.items)
    load_agencies()  # the table is read once per process; keep that out of the timing
    strings = [s for item in items for s in _raw_strings(item)]
    captions = [
        (item.page.caption if item.page else None) or (item.card.caption if item.card else None)
        for item in items
    ]

    record_best, record_median = _best(
        _loop(lambda item: build_record(item, RULES), items), args.rounds
    )
    clean_best, clean_median = _best(_loop(clean_text, strings), args.rounds)
    caption_best, _ = _best(_loop(parse_caption, captions), args.rounds)

    n = len(items)
    print(f"items: {n} ({origin}), {len(strings)} raw strings, rounds: {args.rounds}")
    print(
        f"build_record:  {n / record_best:10.0f} items/s  "
        f"({record_best / n * 1e6:7.1f} µs/item best, {record_median / n * 1e6:7.1f} median)"
    )
    print(
        f"parse_caption: {n / caption_best:10.0f} items/s  ({caption_best / n * 1e6:7.1f} µs/item)"
    )
    print(
        f"clean_text baseline over the same strings: {n / clean_best:10.0f} items/s  "
        f"({clean_best / n * 1e6:7.1f} µs/item, {clean_median / n * 1e6:7.1f} median)"
    )
    print(f"ratio build_record / clean_text baseline: {record_best / clean_best:.2f}x")


if __name__ == "__main__":
    main()
