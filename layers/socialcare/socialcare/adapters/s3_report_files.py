"""The report files that name a person's cases (`socialcare privacy`): found under the
folders where their days were reported, read, and written back without them."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from socialcare.domain.ports import StorageUnavailable
from socialcare.domain.privacy import Held, HoldingKind

# Charts are pictures of figures: only text files can name a case.
_TEXT_FILES = (".csv", ".json", ".html")


class S3ReportFiles:
    def __init__(self, client: Any, bucket: str) -> None:
        self._client = client
        self._bucket = bucket
        self._content_types: dict[str, str] = {}

    def naming(self, folders: list[str], case_ids: set[str]) -> list[Held]:
        held: list[Held] = []
        for key in sorted({key for folder in folders for key in self._keys(folder)}):
            body = self.read(key)
            if body is None:
                continue
            text = body.decode("utf-8", errors="replace")
            named = sorted(case_id for case_id in case_ids if case_id in text)
            if named:
                lines = [line for line in text.splitlines() if any(c in line for c in named)]
                data = {"key": key, "cases": named, "lines": lines if key.endswith(".csv") else []}
                held.append(Held(HoldingKind.REPORT_FILE, named[0], key, data))
        return held

    def read(self, key: str) -> bytes | None:
        try:
            answer = self._client.get_object(Bucket=self._bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise StorageUnavailable(type(error).__name__) from error
        except BotoCoreError as error:
            raise StorageUnavailable(type(error).__name__) from error
        self._content_types[key] = answer.get("ContentType") or "application/octet-stream"
        return answer["Body"].read()

    def write(self, key: str, body: bytes) -> None:
        try:
            self._client.put_object(
                Bucket=self._bucket,
                Key=key,
                Body=body,
                ContentType=self._content_types.get(key, "application/octet-stream"),
            )
        except (ClientError, BotoCoreError) as error:
            raise StorageUnavailable(type(error).__name__) from error

    def _keys(self, prefix: str) -> list[str]:
        keys: list[str] = []
        try:
            pages = self._client.get_paginator("list_objects_v2").paginate(
                Bucket=self._bucket, Prefix=prefix
            )
            for page in pages:
                keys.extend(o["Key"] for o in page.get("Contents", []))
        except (ClientError, BotoCoreError) as error:
            raise StorageUnavailable(type(error).__name__) from error
        return [key for key in keys if key.endswith(_TEXT_FILES)]
