"""Queries of many partition keys (a sharded index's), a few in flight at once: the readers
are I/O bound. Apart from day_index.py so that the writers' import path (the webhook's)
loads no thread pool."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from socialcare.domain.failures import StorageUnavailable

_IN_FLIGHT = 8


def query_keys(
    client: Any, keys: Iterable[str], request: Callable[[str], dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    """The raw items of each key's Query (`request(key)` builds it), key after key and
    page after page: the first page of the next keys is already on its way, so the
    reader waits about one round trip per `_IN_FLIGHT` keys, not one per key."""

    def first_page(key: str) -> tuple[dict[str, Any], dict[str, Any]]:
        kwargs = request(key)
        return kwargs, _query(client, kwargs)

    pending = iter(keys)
    with ThreadPoolExecutor(max_workers=_IN_FLIGHT) as pool:
        ahead: deque[Future[tuple[dict[str, Any], dict[str, Any]]]] = deque(
            pool.submit(first_page, key) for key in islice(pending, _IN_FLIGHT)
        )
        while ahead:
            kwargs, page = ahead.popleft().result()
            if (key := next(pending, None)) is not None:
                ahead.append(pool.submit(first_page, key))
            while True:
                yield from page.get("Items", [])
                if "LastEvaluatedKey" not in page:
                    break
                kwargs = {**kwargs, "ExclusiveStartKey": page["LastEvaluatedKey"]}
                page = _query(client, kwargs)


def _query(client: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    try:
        return dict(client.query(**kwargs))
    except (ClientError, BotoCoreError) as error:
        raise StorageUnavailable(type(error).__name__) from error
