"""`socialcare local --meta-api/--x-api/--telegram-api`: the stack's platform calls go to
another implementation of those APIs (another double, a sandbox) instead of the built-in
emulator, on the real paths."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# The Graph API version the adapters call (Settings.meta_graph_api_url's default).
GRAPH_VERSION = "v21.0"
_VERSIONED = re.compile(r"/v\d+\.\d+/?$")


def platform_api_url(platform: str, value: str) -> str:
    """The base URL the handlers use for `platform`; ValueError (one line) when it is not
    an http(s) URL with a host. Meta's gets the Graph version unless it names one."""
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 (raises ValueError on a port that is not a number)
    except ValueError:
        raise ValueError(f"not a URL: {value!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL with a host: {value!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"a base URL takes no query or fragment: {value!r}")
    base = value.strip().rstrip("/")
    if platform == "meta" and not _VERSIONED.search(base):
        base = f"{base}/{GRAPH_VERSION}"
    return base
