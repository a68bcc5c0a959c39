"""Meta's usage headers, kept per business object: when Meta says one page (or Instagram
account, or WhatsApp business account) must wait, only the calls for it wait.

X-Business-Use-Case-Usage is "a JSON-formatted string" keyed by business object id,
each with `estimated_time_to_regain_access`, "Time, in minutes, until calls will not
longer be throttled"; X-Page-Usage is the page's own; X-App-Usage is the whole app's
(https://developers.facebook.com/docs/graph-api/overview/rate-limiting). The object ids
in the header are not always the id the call named (a WhatsApp business account for a
phone number id, a page for its Instagram account): the ids a call's answer named are
remembered for that account."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from socialcare.adapters.platform_api.http import HttpAnswer
from socialcare.domain.platform_errors import PlatformBusy

DEFAULT_WAIT = 60.0
_APP = "*"  # X-App-Usage: every call of the app


class GraphUsage:
    """Per container: another container learns it from its own answers."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._until: dict[str, float] = {}  # business object id -> no call before
        self._named: dict[str, set[str]] = {}  # account -> object ids its answers named

    def check(self, account: str) -> None:
        """PlatformBusy when Meta said this account (or the app) must wait."""
        left = self._until_for(account) - self._clock()
        if left > 0:
            raise PlatformBusy(left)

    def note(self, answer: HttpAnswer, account: str) -> None:
        for name, default_key in (
            ("x-business-use-case-usage", None),
            ("x-page-usage", account),
            ("x-app-usage", _APP),
        ):
            usage = _json(answer.header(name))
            if usage is None:
                continue
            if default_key is None and isinstance(usage, dict):
                entries = [(str(k), v) for k, v in usage.items() if isinstance(v, list)]
            else:
                entries = [(str(default_key), [usage])]
            for key, values in entries:
                if key != _APP:
                    self._named.setdefault(account, set()).add(key)
                regain = max((_minutes(v) for v in values), default=0.0)
                if regain > 0:
                    until = self._clock() + regain * 60
                    self._until[key] = max(self._until.get(key, 0.0), until)

    def wait(self, answer: HttpAnswer, account: str) -> float:
        """How long a rate-limited call waits: Retry-After or the usage headers."""
        self.note(answer, account)
        left = self._until_for(account) - self._clock()
        wait = max(_float(answer.header("retry-after")), left)
        return wait if wait > 0 else DEFAULT_WAIT

    def _until_for(self, account: str) -> float:
        keys = {_APP, account, *self._named.get(account, ())}
        return max(self._until.get(key, 0.0) for key in keys)


def _json(raw: str | None) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _minutes(entry: Any) -> float:
    return _float(entry.get("estimated_time_to_regain_access")) if isinstance(entry, dict) else 0.0


def _float(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if number == number and number >= 0 else 0.0  # NaN and negatives: 0
