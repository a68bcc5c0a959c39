"""Where reports go: the private reports bucket (S3)."""

from __future__ import annotations

from typing import IO, Any

from botocore.exceptions import BotoCoreError, ClientError

from socialcare.domain.ports import StorageUnavailable


class S3ReportStore:
    def __init__(self, client: Any, bucket: str) -> None:
        self._client = client
        self.bucket = bucket

    def put(self, key: str, body: bytes | IO[bytes], content_type: str) -> None:
        """Objects are encrypted by the bucket's default (SSE-S3) and stay private."""
        try:
            if isinstance(body, bytes):
                self._client.put_object(
                    Bucket=self.bucket, Key=key, Body=body, ContentType=content_type
                )
            else:  # a spooled file: uploaded in parts, never held in memory whole
                self._client.upload_fileobj(
                    body, self.bucket, key, ExtraArgs={"ContentType": content_type}
                )
        except (ClientError, BotoCoreError) as error:
            raise StorageUnavailable(type(error).__name__) from error

    def copy(self, source: str, key: str) -> None:
        try:
            self._client.copy_object(
                Bucket=self.bucket,
                Key=key,
                CopySource={"Bucket": self.bucket, "Key": source},
                MetadataDirective="COPY",
            )
        except (ClientError, BotoCoreError) as error:
            raise StorageUnavailable(type(error).__name__) from error

    def get(self, key: str) -> bytes | None:
        try:
            return self._client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise StorageUnavailable(type(error).__name__) from error

    def presigned_url(self, key: str, seconds: int) -> str:
        return self._client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=seconds
        )
