"""The real handlers as Lambda runs them: a container per concurrent invocation (the
emulator's Lambda calls reach them through local/function_dispatch.py)."""

from __future__ import annotations

import importlib.util
import sys
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class LambdaContext:
    """What Powertools reads from a Lambda context."""

    function_name: str
    invoked_function_arn: str
    memory_limit_in_mb: int = 512
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = "local"
    log_stream_name: str = "local"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


class LocalFunction:
    """A function with Lambda's concurrency model: each concurrent invocation gets its own
    "container" (a fresh copy of the handler module), reused once it is idle again."""

    def __init__(self, logical_id: str, name: str, arn: str, path: Path, attribute: str) -> None:
        self.logical_id = logical_id
        self.name = name
        self.arn = arn
        self._path = path
        self._attribute = attribute
        self._idle: list[Callable[..., Any]] = []
        self._lock = threading.Lock()
        self.containers = 0
        # Called with each event first (the platform emulator learns what customers wrote).
        self.observers: list[Callable[[Any], None]] = []
        self._idle.append(self._load())  # fail fast on an import error

    def invoke(self, event: Any, **adapters: Any) -> Any:
        for observe in self.observers:
            observe(event)
        handler = self._acquire()
        try:
            return handler(event, LambdaContext(self.name, self.arn), **adapters)
        finally:
            with self._lock:
                self._idle.append(handler)

    def _acquire(self) -> Callable[..., Any]:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return self._load()

    def _load(self) -> Callable[..., Any]:
        with self._lock:
            self.containers += 1
            module_name = f"socialcare_fn_{self.logical_id}_{self.containers}"
        spec = importlib.util.spec_from_file_location(module_name, self._path)
        assert spec and spec.loader, self._path
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _isolate_metrics(module)
        _log_to_the_current_stdout(module)
        return getattr(module, self._attribute)


def _isolate_metrics(module: Any) -> None:
    """Powertools keeps metrics in class attributes shared by every `Metrics` of a process:
    one function per process in Lambda, but here containers of every function run side by
    side, and one flushing while another adds broke deliveries under load. Each container
    gets sets of its own (the decorated handler flushes through the same provider)."""
    from aws_lambda_powertools import Metrics

    for metrics in vars(module).values():
        if isinstance(metrics, Metrics):
            provider = metrics.provider
            provider.metric_set = metrics.metric_set = {}
            provider.metadata_set = metrics.metadata_set = {}
            provider.dimension_set = metrics.dimension_set = dict(provider.dimension_set)
            provider.default_dimensions = metrics.default_dimensions = dict(
                provider.default_dimensions
            )


class _CurrentStdout:
    """sys.stdout as it is when a line is written, not when the logger was built."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)

    def flush(self) -> None:
        sys.stdout.flush()


def _log_to_the_current_stdout(module: Any) -> None:
    """Powertools' Logger keeps the stream it found when the service's first logger was
    built (Lambda's stdout, for the container's life). Here a container outlives the stdout
    a test captured when it loaded: its lines would go to a closed file, and logging's
    "Logging error" traceback to stderr, interleaved with other threads' output."""
    import logging

    from aws_lambda_powertools import Logger

    for value in vars(module).values():
        if isinstance(value, Logger):
            for handler in logging.getLogger(value.name).handlers:
                if isinstance(handler, logging.StreamHandler):
                    handler.setStream(_CurrentStdout())
