"""Deterministic sample newsrooms, served on loopback, with the answer key for reading them.

Tests and the demo crawl them instead of live sites. Two newsrooms, selected by the
name of the newsroom that reads them (``sites.SITES``):

- ``amnestyusa``: the amnestyusa.org shapes (``content`` holds the articles and the
  answer key, ``render`` turns a state into pages);
- ``sample-presse``: a German-language Drupal newsroom (``presse_content``,
  ``presse_render``).

Both pass through the same states (``states``: the history machinery and answer key
every sample newsroom shares), and one ``server`` serves either over HTTP with ETags,
Last-Modified, 304s, a request log and faults. The names exported here are the
``amnestyusa`` newsroom's, the default.
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
from newsroom_archive.sample_site.pages import Page
from newsroom_archive.sample_site.render import cf_email_encode, render_site
from newsroom_archive.sample_site.server import (
    FAULTS,
    Fault,
    RequestRecord,
    SampleNewsroom,
    ServeError,
)
from newsroom_archive.sample_site.sites import (
    DEFAULT_SITE,
    SITES,
    SampleSite,
    sample_site,
    write_site,
)

__all__ = [
    "ALIASES",
    "ARTICLES",
    "CARDS_PER_PAGE",
    "DEFAULT_SITE",
    "EDITS",
    "FAULTS",
    "NEW_ARTICLE",
    "SITES",
    "STATES",
    "ArticleSpec",
    "Fault",
    "Mutation",
    "Page",
    "RequestRecord",
    "SampleNewsroom",
    "SampleSite",
    "ServeError",
    "State",
    "article_url",
    "cf_email_encode",
    "expected_articles",
    "render_site",
    "resolve_state",
    "sample_site",
    "state_content",
    "unlisted_articles",
    "write_site",
]
