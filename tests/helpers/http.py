"""Plain HTTP requests to a sample newsroom on loopback, redirects not followed."""

from __future__ import annotations

import urllib.error
import urllib.request
from email.message import Message


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # Redirects are asserted on, not followed.
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


# No proxy: the site is on loopback, whatever the environment says.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


def fetch(
    url: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, Message, bytes]:
    """(status, headers, body) of one request, whatever the status."""
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with _OPENER.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()
