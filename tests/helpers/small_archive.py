"""A small archive written through the archive's own API, in a moment and without a crawl:
two articles with credits, an edit of a long body, and a third run that archived nothing
and failed its health check (what a layout drift leaves)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from newsroom_archive import stats
from newsroom_archive.archive import Archive
from newsroom_archive.health.check import end_of_crawl
from newsroom_archive.items import ArticleRecord, NormalisedArticle

LONG_URL = (
    "https://www.example.org/press-releases/"
    "governments-must-protect-the-right-to-peaceful-protest-in-every-region-of-the-world/"
)
SHORT_URL = "https://www.example.org/reports/short/"
BODY = " ".join(f"word{n}" for n in range(120)) + " the end."
EDITED_BODY = BODY.replace("word60", "WORD60").replace("the end.", "the end, and more.")
TITLE = "Governments Must Protect the Right to Peaceful Protest in Every Region"


@dataclass(frozen=True)
class SmallArchive:
    path: Path

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"


def _long(body: str, title: str) -> ArticleRecord:
    return ArticleRecord(
        source="example",
        url=LONG_URL,
        title=title,
        kind="press-release",
        published_date="2021-03-01",
        body=body,
        photo_credit="Photo by Alex Wong and Jane Doe/Getty Images/AFP",
        photographers=["Alex Wong", "Jane Doe"],
        photo_agencies=["Getty Images", "AFP"],
    )


SHORT = ArticleRecord(
    source="example",
    url=SHORT_URL,
    title="A Short Report",
    kind="report",
    published_date="2020-05-01",
    body="Short.",
    photo_credit="Sam Roe/AP",
    photographers=["Sam Roe"],
    photo_agencies=["AP"],
)


def build_small_archive(path: Path) -> SmallArchive:
    archive = Archive(f"sqlite:///{path}")
    for records in (
        [_long(BODY, TITLE), SHORT],
        [_long(EDITED_BODY, TITLE + " Now"), SHORT],
        [],
    ):
        run = archive.start_run("example", "example", "full")
        for record in records:
            archive.add(run, NormalisedArticle(record=record))
        facts = {
            stats.LISTING_PAGES: 3,
            stats.LISTING_CARDS: len(records),
            # The drift: listing pages read, and not one card recognised on them.
            stats.LISTING_PAGES_WITHOUT_CARDS: 0 if records else 3,
            stats.REQUEST_COUNT: 3 + len(records),
            stats.RESPONSE_COUNT: 3 + len(records),
        }
        archive.finish_run(
            run,
            "finished",
            stats=facts,
            finish_reason="finished",
            pages_fetched=3 + len(records),
            stop_reason="listing ended on page 3",
        )
        end_of_crawl(archive, run)
    archive.close()
    return SmallArchive(path)
