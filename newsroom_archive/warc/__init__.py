"""WARC: every HTTP response the crawl receives, kept as the newsroom sent it, and crawls
answered from those captures instead of the network (``replay``)."""
