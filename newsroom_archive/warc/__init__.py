"""The raw evidence: every HTTP response of a crawl, as served, in WARC files."""
