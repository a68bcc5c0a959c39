"""Token problems as the EMF metric PlatformTokenInvalid, which template.yaml alarms on
for each function that sends. The metric goes to the Metrics of the handler running now
(`counted_in`, around its work), which its `log_metrics` flushes with that function's
service dimension; which platform and problem ride along as metadata (in the log line,
not a dimension the alarm would have to name). A context variable, not Powertools'
process-wide metric set: the local stack runs several functions' containers in one
process, each with metrics of its own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the handlers import this module at their cold start: kept light
    from socialcare.domain.platform_errors import TokenProblem

METRIC = "PlatformTokenInvalid"
_handler_metrics: ContextVar[Any] = ContextVar("handler_metrics", default=None)


@contextmanager
def counted_in(metrics: Any) -> Iterator[None]:
    """Token alarms raised inside the block are added to `metrics` (the handler's)."""
    token = _handler_metrics.set(metrics)
    try:
        yield
    finally:
        _handler_metrics.reset(token)


class MetricTokenAlarm:
    def token_invalid(self, platform: str, problem: TokenProblem) -> None:
        metrics = _handler_metrics.get()
        if metrics is None:  # outside a handler (a command run by hand): no alarm to feed
            return
        metrics.add_metric(name=METRIC, unit="Count", value=1)
        metrics.add_metadata(key="token_problem", value=f"{platform} {problem.value}")
