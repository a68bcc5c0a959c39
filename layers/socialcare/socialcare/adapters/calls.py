"""An AWS call whose failure the use cases see as the store being unavailable (the
botocore error's name, never its message: it may echo what was sent)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from socialcare.domain.failures import StorageUnavailable


def stored(operation: Any, **kwargs: Any) -> dict[str, Any]:
    try:
        return operation(**kwargs)
    except (ClientError, BotoCoreError) as error:
        raise StorageUnavailable(type(error).__name__) from error


# S3 answers a missing key with 404 only to a caller allowed s3:ListBucket on the bucket,
# with 403 AccessDenied otherwise; whether a condition on that grant (s3:prefix) applies
# to GetObject is not documented. So where an object may not exist, 403 reads as missing.
# https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
S3_MISSING = frozenset({"NoSuchKey", "NoSuchVersion", "404", "AccessDenied", "403"})


def s3_missing(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") in S3_MISSING


def every_item(operation: Any, **kwargs: Any) -> Iterator[dict[str, Any]]:
    """Every item a Query or Scan answers, page after page (items still encoded)."""
    while True:
        page = stored(operation, **kwargs)
        yield from page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
