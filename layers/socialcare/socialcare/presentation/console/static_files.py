"""The console's own CSS and script, served from /console/static/ (the pages' CSP allows
scripts and styles from 'self' only). Named files only: never a path from the request."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from socialcare.presentation.console.requests import Response

STATIC = Path(__file__).resolve().parent / "static"
FILES = {"console.css": "text/css; charset=utf-8", "console.js": "text/javascript; charset=utf-8"}


@cache
def _file(name: str) -> tuple[str, str]:
    text = (STATIC / name).read_text(encoding="utf-8")
    return text, '"' + hashlib.sha256(text.encode()).hexdigest()[:20] + '"'


def version(name: str) -> str:
    """A short digest of the file, in its URL (?v=): a new deployment's file is fetched."""
    return _file(name)[1].strip('"')[:10]


def static_file(name: str, if_none_match: str) -> Response | None:
    """The file (cached for a day, revalidated by its ETag), or None for an unknown name."""
    if name not in FILES:
        return None
    text, etag = _file(name)
    headers = {
        "Cache-Control": "public, max-age=86400",
        "ETag": etag,
        "X-Content-Type-Options": "nosniff",
    }
    if etag in if_none_match:
        return {"statusCode": 304, "headers": headers, "body": ""}
    headers["Content-Type"] = FILES[name]
    return {"statusCode": 200, "headers": headers, "body": text, "isBase64Encoded": False}
