"""The one way a function gets its logger: Powertools' structured JSON, with every record
redacted of capabilities (domain/capabilities.py) once serialised, so a message, an
extra key, an exception's trace or an event logged with POWERTOOLS_LOGGER_LOG_EVENT
cannot carry a link or token that acts for whoever reads the log.

Child loggers (`Logger(service=..., child=True)`) write through their parent's handler,
so through this formatter too. Powertools configures a service's logger once per
process: the first `Logger` of a service decides its formatter, which is why every
function's handler module creates its logger here."""

from __future__ import annotations

import logging
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

from socialcare.domain.capabilities import redact_capabilities


class CapabilityRedactingFormatter(LambdaPowertoolsFormatter):
    """Powertools' record, serialised as usual, then redacted."""

    def serialize(self, log: dict[str, Any]) -> str:  # type: ignore[override]
        return redact_capabilities(super().serialize(log))


class CapabilityRedactingFilter(logging.Filter):
    """For plain `logging` loggers (the local server's): the message and any exception's
    trace rendered and redacted before a handler formats them."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact_capabilities(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_capabilities(record.exc_text)
        return True


def service_logger(service: str) -> Logger:
    return Logger(service=service, logger_formatter=CapabilityRedactingFormatter())
