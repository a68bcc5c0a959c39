"""HTTPS calls to the platforms with urllib3: botocore already loads it in every function
(no new package, nothing more to import at a cold start), it keeps connections alive
between calls of a warm container, and its timeouts tell a request that never left
(safe to retry) from one whose answer did not come back (its fate unknown).

No retries here: the outbound use case decides what may be retried. Errors never carry
the URL (Telegram's holds the bot token) nor the answer's text."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)

from socialcare.domain.platform_errors import FateUnknown, PlatformFailed

_MAX_ANSWER_BYTES = 1024 * 1024


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    headers: dict[str, str]
    body: Any  # parsed JSON, or None

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class HttpClient:
    def __init__(self, *, connect_timeout: float = 3.05, read_timeout: float = 10.0) -> None:
        self._pool = urllib3.PoolManager(
            num_pools=8,
            maxsize=4,
            retries=False,
            timeout=urllib3.Timeout(connect=connect_timeout, read=read_timeout),
        )

    def request(
        self,
        method: str,
        url: str,
        *,
        json_body: Any = None,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> HttpAnswer:
        sent_headers = {"Accept": "application/json", **(headers or {})}
        body: bytes | None = None
        if json_body is not None:
            body = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
            sent_headers["Content-Type"] = "application/json"
        elif form is not None:
            body = urlencode(form).encode("ascii")
            sent_headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            response = self._pool.request(
                method, url, body=body, headers=sent_headers, preload_content=False
            )
            raw = response.read(_MAX_ANSWER_BYTES)
            response.release_conn()
        except (ConnectTimeoutError, NewConnectionError) as error:
            raise PlatformFailed(f"no connection ({type(error).__name__})") from None
        except (ReadTimeoutError, ProtocolError) as error:
            # The request was sent: the platform may have acted on it.
            raise FateUnknown(f"no answer ({type(error).__name__})") from None
        except HTTPError as error:
            raise PlatformFailed(f"HTTP error ({type(error).__name__})") from None
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        headers_out = {k.lower(): v for k, v in response.headers.items()}
        return HttpAnswer(response.status, headers_out, parsed)

    def download(
        self, url: str, *, headers: dict[str, str] | None = None, limit: int
    ) -> tuple[int, str, bytes]:
        """(status, content type, body) of a file, reading at most `limit` + 1 bytes (the
        caller tells a file over `limit` by its length)."""
        try:
            response = self._pool.request("GET", url, headers=headers or {}, preload_content=False)
            raw = response.read(limit + 1)
            response.release_conn()
        except (ConnectTimeoutError, NewConnectionError) as error:
            raise PlatformFailed(f"no connection ({type(error).__name__})") from None
        except (ReadTimeoutError, ProtocolError, HTTPError) as error:
            raise PlatformFailed(f"no answer ({type(error).__name__})") from None
        kind = str(response.headers.get("content-type") or "application/octet-stream")
        return response.status, kind, raw


def json_object(value: Any) -> dict[str, Any]:
    """`value` when the platform sent a JSON object there, else {} (a field of another
    type or missing reads as absent, never as a crash)."""
    return value if isinstance(value, dict) else {}
