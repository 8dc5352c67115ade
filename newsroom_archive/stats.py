"""Names of the crawl statistics the project keeps in Scrapy's stats collector.

The spider and the pipelines count under these names, the archive extension reads them
when a run ends, and the health check judges a run by them (they are stored with the run
in ``crawl_runs.stats``, so renaming one breaks the comparison with earlier runs).
"""

from __future__ import annotations

# Listing pages
LISTING_PAGES = "listing/pages"
LISTING_PARSE_ERRORS = "listing/parse_errors"
LISTING_PAGES_WITHOUT_CARDS = "listing/pages_without_cards"
LISTING_PAGES_PAST_END = "listing/pages_past_end"
"""Empty pages after the first that link no further page: a listing's natural end."""
LISTING_CARDS = "listing/cards"
LISTING_CARDS_UNCHANGED = "listing/cards_unchanged"
LISTING_CARDS_INCOMPLETE = "listing/cards_incomplete"

# Article pages
ARTICLE_RECHECKS = "article/rechecks"
ARTICLE_NOT_MODIFIED = "article/not_modified"
ARTICLE_DOCUMENTS = "article/documents"
ARTICLE_PARSE_ERRORS = "article/parse_errors"
ARTICLE_NOT_FETCHED = "article/not_fetched"
"""Article pages that could not be had; their cards are kept (a sighting of an archived
article, else quarantined with the reason)."""
ARTICLE_NOT_FETCHED_BY = "article/not_fetched/"
"""Prefix: the same, by reason: ``redirect_loop``, ``offsite_redirect``, ``offsite``,
``too_many_redirects``, ``http_<status>`` (after any retries), ``gave_up`` (no answer
after the retries: timeouts, refused connections), ``not_captured`` (a replay's capture
has no answer for the page)."""

# Items, after normalisation
ITEM_PAGES = "item/pages"
"""Items whose article page was fetched and parsed (the base of page-field coverage)."""
ITEM_MISSING = "item/missing/"
"""Prefix: items lacking the record field named after it."""
ITEM_PAGE_MISSING = "item/page_missing/"
"""Prefix: parsed article pages lacking the record field named after it."""
ITEM_QUARANTINED = "item/quarantined"

# Replay (``-a replay=PATH``): requests answered from WARC captures
REPLAY_ANSWERED = "replay/answered"
"""Requests answered from a capture (304s made from its validators included)."""
REPLAY_NOT_MODIFIED = "replay/not_modified"
"""Conditional requests answered 304 because their validators match the capture."""
REPLAY_NOT_CAPTURED = "replay/not_captured"
"""Requests the capture has no answer for (answered 404, taken for no answer)."""

# The run, as the archive recorded it
STOP_REASON = "newsroom/stop_reason"
RUN_ID = "newsroom/run_id"
RUN_STATUS = "newsroom/run_status"
HEALTH_OK = "newsroom/health_ok"

# Scrapy's own
SCRAPED_COUNT = "item_scraped_count"
REQUEST_COUNT = "downloader/request_count"
RESPONSE_COUNT = "downloader/response_count"
RETRY_COUNT = "retry/count"
LOG_ERRORS = "log_count/ERROR"
SPIDER_EXCEPTIONS = "spider_exceptions"
