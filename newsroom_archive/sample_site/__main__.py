"""``python -m newsroom_archive.sample_site``: serve a sample newsroom, or write it out."""

from __future__ import annotations

import argparse
import contextlib
import sys
import threading
from pathlib import Path
from typing import NoReturn

from newsroom_archive.sample_site.server import SampleNewsroom, ServeError, is_loopback
from newsroom_archive.sample_site.sites import DEFAULT_SITE, SITES
from newsroom_archive.sample_site.states import ALIASES


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line (argparse prints the whole usage block first)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not in 0..65535")
    return port


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(
        prog="python -m newsroom_archive.sample_site",
        description="Serve a sample newsroom on a loopback address: "
        + "; ".join(f"{name}: {site.description}" for name, site in SITES.items())
        + ".",
    )
    parser.add_argument(
        "--site",
        default=DEFAULT_SITE,
        choices=list(SITES),
        help=f"which sample newsroom (default: {DEFAULT_SITE})",
    )
    # Every sample newsroom passes through the same states.
    states = SITES[DEFAULT_SITE].timeline.states
    parser.add_argument("--state", default="base", choices=[*states, *ALIASES])
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    parser.add_argument("--port", type=_port, default=8765, help="0 picks a free port")
    parser.add_argument(
        "--write",
        metavar="DIR",
        type=Path,
        help="write the state as static files (index.html per folder) and exit",
    )
    args = parser.parse_args(argv)
    if not is_loopback(args.host):
        print(
            f"error: --host {args.host} is not a loopback address "
            "(use 127.0.0.1, ::1 or localhost)",
            file=sys.stderr,
        )
        return 2
    host = f"[{args.host}]" if ":" in args.host else args.host
    base_url = f"http://{host}:{args.port}"
    if args.write:
        try:
            files = SITES[args.site].write(args.state, args.write, base_url)
        except OSError as exc:
            print(f"{parser.prog}: error: cannot write {args.write}: {exc}", file=sys.stderr)
            return 1
        print(base_url)
        print(f"wrote {len(files)} files to {args.write}", file=sys.stderr)
        return 0
    site = SampleNewsroom(args.state, args.host, args.port, site=args.site)
    try:
        site.start()
    except ServeError as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 1
    with site:
        print(site.base_url, flush=True)
        print(f"serving state {site.state!r} at {site.start_url}; Ctrl-C stops", file=sys.stderr)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
