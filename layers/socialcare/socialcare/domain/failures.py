"""What crosses the border when the outside world fails now (the sender is told to
retry), or no longer waits."""

from __future__ import annotations


class Unavailable(Exception):
    """Something the delivery depends on failed now; the sender must be told to retry."""


class StorageUnavailable(Unavailable):
    """The store could not record durably now."""


class WorkflowUnavailable(Unavailable):
    """The workflow could not be started now; the stream's retry will start it."""


class SecretsUnavailable(Unavailable):
    """The platform secrets could not be read, or are not shaped as expected."""


class TaskGone(Exception):
    """The workflow no longer waits for this token (timed out and escalated)."""
