"""newsroom_archive: a versioned, research-grade archive of organisation newsrooms."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # The version is looked up on first use: importlib.metadata costs more than the rest
    # of `newsroom-archive --help`.
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("newsroom-archive")
    except PackageNotFoundError:  # running from a checkout that was not installed
        found = "0.0.0+unknown"
    globals()["__version__"] = found
    return found
