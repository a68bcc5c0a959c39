"""An AWS call whose failure the use cases see as the store being unavailable (the
botocore error's name, never its message: it may echo what was sent)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from socialcare.domain.ports import StorageUnavailable


def stored(operation: Any, **kwargs: Any) -> dict[str, Any]:
    try:
        return operation(**kwargs)
    except (ClientError, BotoCoreError) as error:
        raise StorageUnavailable(type(error).__name__) from error


def every_item(operation: Any, **kwargs: Any) -> Iterator[dict[str, Any]]:
    """Every item a Query or Scan answers, page after page (items still encoded)."""
    while True:
        page = stored(operation, **kwargs)
        yield from page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
