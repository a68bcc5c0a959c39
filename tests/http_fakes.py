"""The platform adapters' HTTP client, scripted: each request answered by the next
answer given, every request kept to assert on (method, URL, JSON body, form, headers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from socialcare.adapters.platform_api.http import HttpAnswer


@dataclass
class ScriptedHttp:
    answers: list[HttpAnswer]
    requests: list[dict[str, Any]] = field(default_factory=list)

    def request(self, method, url, *, json_body=None, form=None, headers=None) -> HttpAnswer:
        self.requests.append(
            {"method": method, "url": url, "body": json_body, "form": form, "headers": headers}
        )
        return self.answers.pop(0)

    def query(self, index: int) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(urlsplit(self.requests[index]["url"]).query).items()}

    def path(self, index: int) -> str:
        return urlsplit(self.requests[index]["url"]).path


def answer(status: int, body: Any = None, **headers: str) -> HttpAnswer:
    """An answer with headers given as keyword names (x_rate_limit_reset=...)."""
    return HttpAnswer(status, {k.replace("_", "-"): v for k, v in headers.items()}, body)
