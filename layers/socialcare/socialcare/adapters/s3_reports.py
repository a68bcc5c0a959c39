"""Where reports go: the private reports bucket (S3)."""

from __future__ import annotations

from contextlib import suppress
from typing import IO, Any

from botocore.exceptions import BotoCoreError, ClientError

from socialcare.adapters.calls import s3_missing
from socialcare.domain.failures import StorageUnavailable

MIN_PART_BYTES = 5 * 1024 * 1024


class _Parts:
    def __init__(self, client: Any, bucket: str, key: str, upload: str) -> None:
        self._client, self._bucket, self._key, self._upload = client, bucket, key, upload
        self._parts: list[dict[str, Any]] = []
        self._buffer = bytearray()

    def append(self, source: str, start: int) -> None:
        size = self._client.head_object(Bucket=self._bucket, Key=source)["ContentLength"]
        if size <= start:
            return
        if size - start >= MIN_PART_BYTES and not self._buffer:
            copied = self._client.upload_part_copy(
                Bucket=self._bucket,
                Key=self._key,
                UploadId=self._upload,
                PartNumber=len(self._parts) + 1,
                CopySource={"Bucket": self._bucket, "Key": source},
                CopySourceRange=f"bytes={start}-{size - 1}",
            )
            self._parts.append(
                {"PartNumber": len(self._parts) + 1, "ETag": copied["CopyPartResult"]["ETag"]}
            )
            return
        body = self._client.get_object(Bucket=self._bucket, Key=source, Range=f"bytes={start}-")
        self._buffer += body["Body"].read()
        if len(self._buffer) >= MIN_PART_BYTES:
            self._flush()

    def finish(self) -> None:
        if self._buffer or not self._parts:
            self._flush()
        self._client.complete_multipart_upload(
            Bucket=self._bucket,
            Key=self._key,
            UploadId=self._upload,
            MultipartUpload={"Parts": self._parts},
        )

    def _flush(self) -> None:
        number = len(self._parts) + 1
        sent = self._client.upload_part(
            Bucket=self._bucket,
            Key=self._key,
            UploadId=self._upload,
            PartNumber=number,
            Body=bytes(self._buffer),
        )
        self._parts.append({"PartNumber": number, "ETag": sent["ETag"]})
        self._buffer = bytearray()


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

    def concatenate(self, sources: list[str], key: str, skip_bytes: int, content_type: str) -> None:
        """A multipart upload: a source of 5 MiB or more is copied by S3 itself (a byte
        range past its header); smaller ones are read and sent in parts of 5 MiB or more,
        as S3 requires of every part but the last."""
        try:
            upload = self._client.create_multipart_upload(
                Bucket=self.bucket, Key=key, ContentType=content_type
            )["UploadId"]
        except (ClientError, BotoCoreError) as error:
            raise StorageUnavailable(type(error).__name__) from error
        try:
            parts = _Parts(self._client, self.bucket, key, upload)
            for index, source in enumerate(sources):
                parts.append(source, 0 if index == 0 else skip_bytes)
            parts.finish()
        except (ClientError, BotoCoreError) as error:
            with suppress(ClientError, BotoCoreError):
                self._client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload)
            raise StorageUnavailable(type(error).__name__) from error

    def get(self, key: str) -> bytes | None:
        try:
            return self._client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except ClientError as error:
            if s3_missing(error):  # a day's partial not written yet
                return None
            raise StorageUnavailable(type(error).__name__) from error

    def presigned_url(self, key: str, seconds: int) -> str:
        return self._client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=seconds
        )
