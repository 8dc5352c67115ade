"""``python -m newsroom_archive.sample_site``: serve the sample newsroom, or write it out."""

from __future__ import annotations

import argparse
import contextlib
import sys
import threading
from pathlib import Path

from newsroom_archive.sample_site.content import ALIASES, STATES
from newsroom_archive.sample_site.render import write_site
from newsroom_archive.sample_site.server import SampleNewsroom, is_loopback


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m newsroom_archive.sample_site",
        description="Serve the sample newsroom (amnestyusa.org shapes) on a loopback address.",
    )
    parser.add_argument("--state", default="base", choices=[*STATES, *ALIASES])
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    parser.add_argument("--port", type=int, default=8765)
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
        files = write_site(args.state, args.write, base_url)
        print(base_url)
        print(f"wrote {len(files)} files to {args.write}", file=sys.stderr)
        return 0
    with SampleNewsroom(args.state, args.host, args.port) as site:
        print(site.base_url, flush=True)
        print(
            f"serving state {site.state!r} at {site.url('/news/')}; Ctrl-C stops", file=sys.stderr
        )
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
