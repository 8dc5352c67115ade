"""The downloader middleware that hands every response to the run's WARC capture.

It sits next to the downloader (priority 960, above HttpCompressionMiddleware's 590 and
RedirectMiddleware's 600), so it sees each response as it came off the wire: bodies
still in their Content-Encoding, redirects before they are followed, robots.txt, 304s.
The record's id goes into the request's meta (``warc_record_id``) for the callbacks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from scrapy.http import Request, Response

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

RECORD_META = "warc_record_id"


def _pairs(headers: Any) -> list[tuple[str, str]]:
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
    ]


class WarcCaptureMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        from newsroom_archive.extension import ArchiveExtension

        extension = self.crawler.get_extension(ArchiveExtension)
        # A replayed response is a record already (newsroom_archive/warc/replay.py).
        if extension is None or extension.capture is None or "replay" in response.flags:
            return response
        capture = extension.capture
        from http import HTTPStatus

        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = ""
        ref = capture.exchange(
            method=request.method,
            url=response.url,
            request_headers=_pairs(request.headers),
            status=response.status,
            reason=reason,
            response_headers=_pairs(response.headers),
            body=response.body,
        )
        extension.captured(ref)
        request.meta[RECORD_META] = ref.record_id
        return response
