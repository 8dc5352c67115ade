"""Serve a sample newsroom over real HTTP on a loopback address."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Literal, Self, get_args
from urllib.parse import urlsplit

from newsroom_archive.sample_site.pages import Page
from newsroom_archive.sample_site.sites import DEFAULT_SITE, SampleSite, sample_site


class ServeError(OSError):
    """The sample newsroom cannot listen where it was asked to; the message is one line."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str
    """Path with its query string, as requested."""
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    """All request headers, names in lower case."""
    at: float = 0.0
    """When it arrived, on ``time.monotonic()``: the intervals between requests show
    whether a client was polite."""

    @property
    def if_none_match(self) -> str | None:
        return self.headers.get("if-none-match")

    @property
    def if_modified_since(self) -> str | None:
        return self.headers.get("if-modified-since")

    @property
    def user_agent(self) -> str | None:
        return self.headers.get("user-agent")


Fault = Literal["redirect-loop", "offsite-redirect", "forbidden", "unavailable"]
"""How a page can fail (``SampleNewsroom.break_page``):

- ``redirect-loop``: 301 to the path without its trailing slash, which redirects back;
- ``offsite-redirect``: 302 to the same path on ``localhost``, another host name for this
  server (a crawl of ``127.0.0.1`` must not follow it; nothing leaves loopback if it did);
- ``forbidden``: 403; ``unavailable``: 503.
"""
FAULTS: tuple[str, ...] = get_args(Fault)


def _etag_matches(header: str, etag: str) -> bool:
    # If-None-Match uses the weak comparison (RFC 9110 13.1.2).
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag.removeprefix("W/") in tags


def _not_modified(request: dict[str, str], page: Page) -> bool:
    if "if-none-match" in request:
        return _etag_matches(request["if-none-match"], page.etag)
    since = request.get("if-modified-since")
    if not since or not page.last_modified:
        return False
    try:
        return parsedate_to_datetime(page.last_modified) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    newsroom: LoopbackServer


class _Server6(_Server):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    timeout = 30

    def version_string(self) -> str:
        return "nginx"

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _respond(self, head: bool) -> None:
        newsroom = self.server.newsroom
        page = newsroom.page(self.path)
        request = {k.lower(): v for k, v in self.headers.items()}
        status = page.status
        validators = newsroom.validators and page.status == 200
        if validators and _not_modified(request, page):
            status = 304
        # Logged before the body goes out, so a client that has read its response
        # always finds the request in the log.
        newsroom._record(
            RequestRecord(self.command, self.path, status, request, at=time.monotonic())
        )
        self.send_response(status)
        if validators:
            self.send_header("ETag", page.etag)
            if page.last_modified:
                self.send_header("Last-Modified", page.last_modified)
        if page.location:
            self.send_header("Location", page.location)
        for name, value in page.headers:
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Type", page.content_type)
            self.send_header("Content-Length", str(len(page.body)))
        self.end_headers()
        if status != 304 and not head:
            self.wfile.write(page.body)


class LoopbackServer:
    """HTTP on ``http://HOST:PORT`` of a loopback address, answering each request with the
    ``Page`` of ``page(target)`` and logging it; ``port=0`` picks a free port. The sample
    newsrooms and the web archive replica (``wayback.WaybackReplica``) are two of these.

    Use as a context manager, or ``start()`` / ``stop()``.
    """

    validators = True
    """Whether 200 pages carry ETag and Last-Modified and conditional requests get 304."""
    label = "loopback server"
    """What the server is called in its messages and thread name."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        if not is_loopback(host):
            raise ValueError(f"the {self.label} only listens on loopback, not {host!r}")
        if not 0 <= port <= 65535:
            raise ValueError(f"port {port} is not in 0..65535")
        self._host = host.strip("[]")
        self._port = port
        self._lock = threading.Lock()
        self._requests: list[RequestRecord] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._base_url = ""

    @property
    def base_url(self) -> str:
        if not self._server:
            raise RuntimeError(f"the {self.label} is not running")
        return self._base_url

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def page(self, target: str) -> Page:
        """What the server answers for a request target (path and query string)."""
        raise NotImplementedError

    def _started(self) -> None:
        """Called once the base URL is known, before the first request is served."""

    def start(self) -> str:
        if self._server:
            return self._base_url
        ipv6 = ":" in self._host
        host = f"[{self._host}]" if ipv6 else self._host
        try:
            server = (_Server6 if ipv6 else _Server)((self._host, self._port), _Handler)
        except OSError as exc:
            raise ServeError(
                f"cannot listen on {host}:{self._port}: {exc.strerror or exc}"
            ) from None
        server.newsroom = self
        port = server.server_address[1]
        self._base_url = f"http://{host}:{port}"
        self._started()
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, name=f"{self.label.replace(' ', '-')}-{port}", daemon=True
        )
        self._thread.start()
        return self._base_url

    def stop(self) -> None:
        server, self._server = self._server, None
        if server:
            server.shutdown()
            server.server_close()
        if self._thread:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def requests(self) -> list[RequestRecord]:
        """A snapshot of the requests served so far, oldest first."""
        with self._lock:
            return list(self._requests)

    def reset_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def _record(self, record: RequestRecord) -> None:
        with self._lock:
            self._requests.append(record)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class SampleNewsroom(LoopbackServer):
    """A sample newsroom on ``http://HOST:PORT``; ``port=0`` picks a free port. ``site``
    names which (``sites.SITES``: ``amnestyusa``, ``sample-presse``).

    Use as a context manager, or ``start()`` / ``stop()``. ``set_state`` switches what is
    served at once; pages of each state are rendered once and cached.

    ETags are exact (a hash of the body). Last-Modified is the article's modified date,
    and for listing pages the newest change of the state, so it only moves forward when
    states are visited in the order base -> the others, as a site's history would.
    """

    label = "sample newsroom"

    def __init__(
        self,
        state: str = "base",
        host: str = "127.0.0.1",
        port: int = 0,
        site: str = DEFAULT_SITE,
    ) -> None:
        super().__init__(host, port)
        self._site = sample_site(site)
        self._state = self._site.timeline.resolve(state)
        self._pages: dict[str, dict[str, Page]] = {}
        self._not_found = self._site.not_found("")
        self._faults: dict[str, Fault] = {}

    @property
    def state(self) -> str:
        return self._state

    @property
    def site(self) -> SampleSite:
        return self._site

    @property
    def start_url(self) -> str:
        """Where a crawl of this newsroom starts: its listing's first page."""
        return self.url(self._site.listing_path)

    def _started(self) -> None:
        self._not_found = self._site.not_found(self._base_url)

    def set_state(self, name: str) -> None:
        canonical = self._site.timeline.resolve(name)
        with self._lock:
            self._state = canonical

    def break_page(self, path: str, fault: Fault | None) -> None:
        """Make a path fail in every state, or (``None``) answer again as it should."""
        if fault is not None and fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r} (known: {', '.join(FAULTS)})")
        with self._lock:
            if fault is None:
                self._faults.pop(path, None)
            else:
                self._faults[path] = fault

    def _fault(self, path: str) -> Page | None:
        fault = self._faults.get(path)
        if fault == "redirect-loop":
            return Page(301, b"", location=path.rstrip("/"))
        if fault == "offsite-redirect":
            port = urlsplit(self._base_url).port
            return Page(302, b"", location=f"http://localhost:{port}{path}")
        if fault == "forbidden":
            return Page(403, b"<html><body><h1>Forbidden</h1></body></html>")
        if fault == "unavailable":
            return Page(503, b"<html><body><h1>Service unavailable</h1></body></html>")
        return None

    def page(self, target: str) -> Page:
        """What the server answers for a request target: a path, with its query string
        where the newsroom routes by it (a Drupal pager's ``?page=N``)."""
        parts = urlsplit(target)
        path = parts.path
        with self._lock:
            broken = self._fault(path)
        if broken is not None:
            return broken
        with self._lock:
            pages = self._pages.get(self._state)
            if pages is None:
                pages = self._pages[self._state] = self._site.render(self._state, self._base_url)
        found = self._site.route(path, parts.query, pages)
        if found:
            return found
        if not path.endswith("/") and path + "/" in pages:
            return Page(301, b"", location=path + "/")
        return self._not_found
