"""newsroom_archive: a versioned, research-grade archive of organisation newsrooms."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsroom-archive")
except PackageNotFoundError:  # running from a checkout that was not installed
    __version__ = "0.0.0+unknown"
