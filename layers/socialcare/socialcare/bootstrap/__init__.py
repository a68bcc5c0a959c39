"""The composition root: the one place that builds adapters and use cases from the settings.

Handlers, the local stack, the bench, the reliability scenarios and the CLI all build what
they run here. `Root(settings, client)` builds as production does over any AWS clients: a
Lambda container's own, the local stack's, a fault scenario's failing ones, or an
operator's session for a deployed stack. Builders live in this package's modules as
functions of a Root; each imports its adapter when called, so a function pays at cold
start only for the adapters it uses."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, TypeVar, cast

from socialcare.bootstrap.clients import aws_client
from socialcare.settings import MissingSetting, Settings, get_settings

T = TypeVar("T")


class Root:
    """What one container (or one CLI run) has built: each adapter once, on first use."""

    def __init__(
        self, settings: Settings | None = None, client: Callable[[str], Any] | None = None
    ) -> None:
        self.settings = settings if settings is not None else get_settings()
        self._make_client = client or aws_client
        self._built: dict[str, Any] = {}
        # The local stack runs a function's containers as threads over one root.
        self._lock = threading.RLock()

    def client(self, service: str) -> Any:
        """The AWS client of `service` (one per service and root: each costs tens of
        milliseconds of a cold start, and clients are thread-safe)."""
        return self.once(f"client:{service}", lambda: self._make_client(service))

    def once(self, name: str, build: Callable[[], T]) -> T:
        """`build()` on the first call for `name`, the same object afterwards."""
        with self._lock:
            if name not in self._built:
                self._built[name] = build()
            return cast(T, self._built[name])

    def provide(self, name: str, value: object) -> None:
        """`value` in place of what `name`'s builder would build: a scenario's counting
        alarm, or its faster waits ("sleep"), among what production builds."""
        with self._lock:
            self._built[name] = value

    def required(self, name: str) -> str:
        """Setting `name`, or MissingSetting naming its environment variable (asked before
        the client is built, so a missing variable is what the error names)."""
        value = getattr(self.settings, name)
        if value:
            return str(value)
        variable = Settings.variable(name)
        raise MissingSetting(f"{variable} is not set; this function needs it")


_root: Root | None = None
_root_lock = threading.Lock()


def root() -> Root:
    """The process's root (in Lambda: the container's), built from the environment."""
    global _root
    with _root_lock:
        if _root is None:
            _root = Root()
        return _root


def reset() -> None:
    """Forget the process's root: the next `root()` reads the settings again (the local
    stack, after it changes the environment the functions see)."""
    global _root
    with _root_lock:
        _root = None


def counted_in(metrics: Any) -> AbstractContextManager[None]:
    """The token alarms raised inside the block count in `metrics`: the running handler's,
    flushed with its service dimension (adapters/alarms.py)."""
    from socialcare.adapters.alarms import counted_in as alarms_counted_in

    return alarms_counted_in(metrics)
