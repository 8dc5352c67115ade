"""Signals between the spiders and the archive pipeline (sent through Scrapy's signal manager)."""

removal_candidates = object()
"""Sent by a spider at the end of a full crawl; receivers return the URLs of archived
articles the crawl did not see, so the spider can ask the newsroom whether they still exist."""
