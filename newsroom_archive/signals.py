"""Signals between the spiders and the archive pipeline (sent through Scrapy's signal manager)."""

removal_candidates = object()
"""Sent by a spider at the end of a full crawl; receivers return the URLs of archived
articles the crawl did not see, so the spider can ask the newsroom whether they still exist."""

known_articles = object()
"""Sent by a spider before it reads the listing; receivers return a dict of canonical
URL -> KnownArticle for the spider's source (what is archived already)."""
