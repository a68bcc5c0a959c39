"""An AWS call whose failure the use cases see as the store being unavailable (the
botocore error's name, never its message: it may echo what was sent)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from socialcare.domain.ports import StorageUnavailable


def stored(operation: Any, **kwargs: Any) -> dict[str, Any]:
    try:
        return operation(**kwargs)
    except (ClientError, BotoCoreError) as error:
        raise StorageUnavailable(type(error).__name__) from error
