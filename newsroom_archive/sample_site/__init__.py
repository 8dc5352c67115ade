"""A deterministic sample newsroom in the amnestyusa.org shapes, served on loopback.

Tests and the demo crawl it instead of the live site: ``content`` holds the articles and
the answer key, ``render`` turns a state into pages, ``server`` serves them over HTTP.
"""

from newsroom_archive.sample_site.content import (
    ALIASES,
    ARTICLES,
    CARDS_PER_PAGE,
    EDITS,
    NEW_ARTICLE,
    STATES,
    ArticleSpec,
    Mutation,
    State,
    article_url,
    expected_articles,
    resolve_state,
    state_content,
    unlisted_articles,
)
from newsroom_archive.sample_site.render import Page, cf_email_encode, render_site, write_site
from newsroom_archive.sample_site.server import (
    FAULTS,
    Fault,
    RequestRecord,
    SampleNewsroom,
    ServeError,
)

__all__ = [
    "ALIASES",
    "ARTICLES",
    "CARDS_PER_PAGE",
    "EDITS",
    "FAULTS",
    "NEW_ARTICLE",
    "STATES",
    "ArticleSpec",
    "Fault",
    "Mutation",
    "Page",
    "RequestRecord",
    "SampleNewsroom",
    "ServeError",
    "State",
    "article_url",
    "cf_email_encode",
    "expected_articles",
    "render_site",
    "resolve_state",
    "state_content",
    "unlisted_articles",
    "write_site",
]
