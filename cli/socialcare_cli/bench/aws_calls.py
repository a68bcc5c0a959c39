"""Every AWS call the handlers make, seen through a botocore hook, and which function
made it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_RUNNING = threading.local()


@contextmanager
def running(function: str) -> Iterator[None]:
    """The calls this thread makes meanwhile are that function's."""
    _RUNNING.function = function
    try:
        yield
    finally:
        _RUNNING.function = None


def running_function() -> str | None:
    """The function whose invocation this thread is in (None: the bench's own code)."""
    return getattr(_RUNNING, "function", None)


class AwsCalls:
    """Every AWS call the handlers make (a botocore hook on the default session, which
    the handlers' clients copy when created), except the benchmark's own observation."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = []
        # The secrets each function has read since the stack started (cold).
        self.secrets_read: dict[str, set[str]] = {}
        self._observing = threading.local()
        self._lock = threading.Lock()

    def install(self) -> None:
        import boto3

        boto3.setup_default_session()
        session = boto3.DEFAULT_SESSION
        if session is None:  # setup_default_session has just made it
            raise RuntimeError("boto3 made no default session")
        session.events.register("provide-client-params", self._params)
        session.events.register("after-call", self._after_call)

    def _after_call(self, http_response: Any, parsed: Any, model: Any, context: Any, **_: Any):
        if getattr(self._observing, "on", False):
            return
        params = context.get("bench_params", {})
        service = model.service_model.service_name
        with self._lock:
            self.calls.append((service, model.name, params, parsed))
            function = running_function()
            if service == "secretsmanager" and model.name == "GetSecretValue" and function:
                self.secrets_read.setdefault(function, set()).add(str(params.get("SecretId")))

    @staticmethod
    def _params(params: dict[str, Any], context: Any, **_: Any) -> None:
        context["bench_params"] = params

    @contextmanager
    def observing(self) -> Iterator[None]:
        self._observing.on = True
        try:
            yield
        finally:
            self._observing.on = False

    def take(self) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
        with self._lock:
            taken, self.calls = self.calls, []
        return taken
