"""The report files that name a person's cases (`socialcare privacy`): found under the
folders where their days were reported, in every version the bucket keeps (it is
versioned: an overwritten report stays 30 days as a noncurrent version), and erased:
the current version written again without them, the older ones deleted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from socialcare.adapters.calls import s3_missing, stored
from socialcare.domain.failures import StorageUnavailable
from socialcare.domain.privacy import Held, HoldingKind

# Charts are pictures of figures: only text files can name a case.
_TEXT_FILES = (".csv", ".json", ".html")
_UNVERSIONED = (None, "null")
_CONTENT_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
}


@dataclass(frozen=True)
class ReportVersion:
    key: str
    version_id: str | None
    latest: bool
    content_type: str = "application/octet-stream"


class S3ReportFiles:
    def __init__(self, client: Any, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    def naming(self, folders: list[str], case_ids: set[str]) -> list[Held]:
        held: list[Held] = []
        versions = {v for folder in folders for v in self._versions(folder)}
        for version in sorted(versions, key=lambda v: (v.key, not v.latest)):
            body = self.read(version)
            if body is None:
                continue
            text = body.decode("utf-8", errors="replace")
            named = sorted(case_id for case_id in case_ids if case_id in text)
            if not named:
                continue
            lines = [line for line in text.splitlines() if any(c in line for c in named)]
            data = {
                "key": version.key,
                "current": version.latest,
                "cases": named,
                "lines": lines if version.key.endswith(".csv") and version.latest else [],
            }
            held.append(Held(HoldingKind.REPORT_FILE, named[0], version, data))
        return held

    def read(self, version: ReportVersion) -> bytes | None:
        options = {} if version.version_id in _UNVERSIONED else {"VersionId": version.version_id}
        try:
            answer = self._client.get_object(Bucket=self._bucket, Key=version.key, **options)
        except ClientError as error:
            if s3_missing(error):  # a version deleted since it was listed
                return None
            raise StorageUnavailable(type(error).__name__) from error
        except BotoCoreError as error:
            raise StorageUnavailable(type(error).__name__) from error
        return answer["Body"].read()

    def replace(self, version: ReportVersion, body: bytes) -> None:
        """The file's current version, written again; the one it replaces deleted."""
        stored(
            self._client.put_object,
            Bucket=self._bucket,
            Key=version.key,
            Body=body,
            ContentType=version.content_type,
        )
        if version.version_id not in _UNVERSIONED:
            self.delete(version)

    def delete(self, version: ReportVersion) -> None:
        options = {} if version.version_id in _UNVERSIONED else {"VersionId": version.version_id}
        stored(self._client.delete_object, Bucket=self._bucket, Key=version.key, **options)

    def _versions(self, prefix: str) -> list[ReportVersion]:
        found: list[ReportVersion] = []
        pages = self._client.get_paginator("list_object_versions").paginate(
            Bucket=self._bucket, Prefix=prefix
        )
        try:
            for page in pages:
                for version in page.get("Versions", []):
                    if version["Key"].endswith(_TEXT_FILES):
                        found.append(
                            ReportVersion(
                                version["Key"],
                                version.get("VersionId"),
                                bool(version.get("IsLatest")),
                                _content_type(version["Key"]),
                            )
                        )
        except (ClientError, BotoCoreError) as error:
            raise StorageUnavailable(type(error).__name__) from error
        return found


def _content_type(key: str) -> str:
    return next(kind for end, kind in _CONTENT_TYPES.items() if key.endswith(end))
