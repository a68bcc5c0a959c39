"""Links to report files that last 7 days: signed by us (HMAC-SHA256 over the key and the
expiry), exchanged on click for an S3 link of a few minutes. S3's own presigned URLs made
with a Lambda role's temporary credentials die with those credentials, within hours."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime
from urllib.parse import urlencode

LINK_DAYS = 7
# reports/<daily|weekly|monthly>/<first day>/<file>: nothing else can be linked.
REPORT_KEY = re.compile(
    r"reports/(daily|weekly|monthly)/\d{4}-\d{2}-\d{2}/(kpis\.json|cases\.csv|report\.html)"
)


_EXPIRES = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"[0-9a-f]{64}")


def signature(key: str, expires: int, secret: str) -> str:
    message = f"{key}\n{expires}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_link(base_url: str, key: str, expires: int, secret: str) -> str:
    query = urlencode({"expires": expires, "signature": signature(key, expires, secret)})
    return f"{base_url.rstrip('/')}/{key}?{query}"


def check(key: str, expires: str, given: str, secret: str, now: datetime) -> str | None:
    """None when the link is good; else why not: not_found, forged or expired."""
    if not REPORT_KEY.fullmatch(key):
        return "not_found"
    # ASCII digits of a Unix time, and a hex HMAC: "²" or 5,000 digits answered 500.
    if not secret or not _EXPIRES.fullmatch(expires) or not _SIGNATURE.fullmatch(given):
        return "forged"
    if not hmac.compare_digest(signature(key, int(expires), secret).encode(), given.encode()):
        return "forged"
    if int(expires) < now.timestamp():
        return "expired"
    return None
