"""DynamoDB and S3 for the reports benchmark, answered at botocore's `before-send`: the
real adapters build real requests, and botocore parses real response bytes (Query pages
of typed items up to 1 MB, S3's XML), with no network to hide our own time. S3 keeps the
partials (small JSON) and only the sizes of everything else (the CSVs are read, counted
and dropped: a month's listing is not held in memory)."""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import unquote, urlsplit

_PAGE_BYTES = 1024 * 1024  # DynamoDB's Query page limit


class _Response:
    """What botocore's `before-send` handlers return (an AWSResponse)."""

    @staticmethod
    def make(status: int, body: bytes, headers: dict[str, str] | None = None) -> Any:
        from botocore.awsrequest import AWSResponse
        from botocore.compat import HTTPHeaders

        class _Raw:
            def __init__(self, data: bytes) -> None:
                self._data, self._read = data, False

            def stream(self, **_: Any) -> Any:
                if not self._read:
                    self._read = True
                    yield self._data

            def read(self, *_: Any, **__: Any) -> bytes:
                data, self._data = self._data, b""
                return data

        raw = _Raw(body)
        return AWSResponse("https://bench", status, HTTPHeaders.from_dict(headers or {}), raw)


class CaseDaysTable:
    """GSI1 Query pages: `per_day` cases on each UTC day of `days`, from typed templates."""

    def __init__(self, templates: list[dict[str, Any]], per_day: dict[str, int]) -> None:
        # Each template's JSON once, without its id and time: a page is then built by
        # joining strings, so the harness's own share of the time stays small.
        self._tails = [
            json.dumps({k: v for k, v in t.items() if k not in ("id", "created_at")})[1:]
            for t in templates
        ]
        self._per_day = per_day
        self.pages = 0

    def answer(self, request: Any, **_: Any) -> Any:
        if request.headers.get("X-Amz-Target", b"") not in (
            b"DynamoDB_20120810.Query",
            "DynamoDB_20120810.Query",
        ):
            return None
        params = json.loads(request.body)
        values = params["ExpressionAttributeValues"]
        # DAY#<date>#<shard>: the day's cases answer under shard 0; the legacy key and the
        # other shards the reader also queries answer empty pages.
        day, _, shard = values[":day"]["S"].removeprefix("DAY#").partition("#")
        total = self._per_day.get(day, 0) if shard == "0" else 0
        first = datetime.combine(date.fromisoformat(day), datetime.min.time(), UTC)
        # The cases are spread evenly over the day; a sort-key range reads its part only.
        start, end = 0, total
        if ":since" in values:
            start = max(0, math.ceil(_seconds(values[":since"]["S"], first) * total / 86400))
            end = min(total, math.floor(_seconds(values[":until"]["S"], first) * total / 86400) + 1)
        start = int((params.get("ExclusiveStartKey") or {}).get("n", {}).get("N", start))
        total = end
        items, size, number = [], 2, start
        compact = day.replace("-", "")
        while number < total and size < _PAGE_BYTES:
            created = first + timedelta(seconds=number * 86400 / max(total, 1))
            stamp = created.isoformat(timespec="milliseconds").replace("+00:00", "Z")
            tail = self._tails[number % len(self._tails)]
            encoded = (
                f'{{"id":{{"S":"{compact}-{number:016x}"}},"created_at":{{"S":"{stamp}"}},{tail}'
            )
            items.append(encoded)
            size += len(encoded) + 1
            number += 1
        more = f',"LastEvaluatedKey":{{"n":{{"N":"{number}"}}}}' if number < total else ""
        count = len(items)
        joined = ",".join(items)
        body = f'{{"Count":{count},"ScannedCount":{count},"Items":[{joined}]{more}}}'
        self.pages += 1
        return _Response.make(200, body.encode(), {"x-amzn-requestid": "bench"})


def _unchunked(data: bytes) -> bytes:
    """A body botocore sent aws-chunked (size line, bytes; a zero chunk, then trailers)."""
    out, at = bytearray(), 0
    while True:
        line_end = data.index(b"\r\n", at)
        size = int(data[at:line_end].split(b";")[0], 16)
        if size == 0:
            return bytes(out)
        out += data[line_end + 2 : line_end + 2 + size]
        at = line_end + 2 + size + 2


def _seconds(stamp: str, day: datetime) -> float:
    moment = datetime.fromisoformat(stamp.rstrip("~").replace("Z", "+00:00"))
    return (moment - day).total_seconds()


class ReportsBucket:
    """S3 as the report function uses it: objects, multipart uploads, server-side copies."""

    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}  # partials (JSON)
        self.sizes: dict[str, int] = {}
        self.uploads: dict[str, int] = {}
        self.bytes_received = 0

    def answer(self, request: Any, **_: Any) -> Any:
        url = urlsplit(request.url)
        path = url.path.lstrip("/")
        if not url.netloc.startswith("bench-reports."):  # path style: /<bucket>/<key>
            path = path.split("/", 1)[-1] if "/" in path else ""
        key, query, method = unquote(path), url.query, request.method
        body = request.body
        data = body if isinstance(body, bytes) else (body.read() if body is not None else b"")
        if "x-amz-decoded-content-length" in request.headers:
            data = _unchunked(data)
        if "uploads" in query or "uploadId" in query:
            answered = self._multipart(request, method, query, key, data)
            if answered is not None:
                return answered
        if method == "PUT":
            return self._put(request, key, data)
        if method in ("GET", "HEAD"):
            return self._get(method, key)
        return None

    def _multipart(self, request: Any, method: str, query: str, key: str, data: bytes) -> Any:
        """CreateMultipartUpload, CompleteMultipartUpload, UploadPart(Copy)."""
        if method == "POST" and "uploads" in query:
            upload = f"u{len(self.uploads)}"
            self.uploads[upload] = 0
            xml = (
                "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key>"
                f"<UploadId>{upload}</UploadId></InitiateMultipartUploadResult>"
            )
            return _Response.make(200, xml.encode())
        if method == "POST":
            self.sizes[key] = self.uploads.pop(_upload_id(query), 0)
            xml = (
                '<CompleteMultipartUploadResult><ETag>"bench"</ETag>'
                "</CompleteMultipartUploadResult>"
            )
            return _Response.make(200, xml.encode())
        if method != "PUT" or "partNumber" not in query:
            return None
        upload = _upload_id(query)
        source = request.headers.get("x-amz-copy-source")
        if source:
            span = request.headers.get("x-amz-copy-source-range", "")
            first, last = (int(x) for x in str(span).split("=")[1].split("-"))
            self.uploads[upload] = self.uploads.get(upload, 0) + last - first + 1
            xml = (
                '<CopyPartResult><ETag>"bench"</ETag>'
                "<LastModified>2026-11-01T00:00:00.000Z</LastModified></CopyPartResult>"
            )
            return _Response.make(200, xml.encode())
        self.uploads[upload] = self.uploads.get(upload, 0) + len(data)
        self.bytes_received += len(data)
        return _Response.make(200, b"", _ETAG)

    def _put(self, request: Any, key: str, data: bytes) -> Any:
        """PutObject, CopyObject."""
        if request.headers.get("x-amz-copy-source"):
            source = unquote(str(request.headers["x-amz-copy-source"])).split("/", 2)[-1]
            self.sizes[key] = self.sizes.get(source, 0)
            if source in self.kept:
                self.kept[key] = self.kept[source]
            xml = (
                '<CopyObjectResult><ETag>"bench"</ETag>'
                "<LastModified>2026-11-01T00:00:00.000Z</LastModified></CopyObjectResult>"
            )
            return _Response.make(200, xml.encode())
        self.sizes[key] = len(data)
        self.bytes_received += len(data)
        if key.startswith("reports/partials/") and key.endswith(".json"):
            self.kept[key] = data
        return _Response.make(200, b"", _ETAG)

    def _get(self, method: str, key: str) -> Any:
        """GetObject, HeadObject."""
        if key not in self.sizes:
            xml = "<Error><Code>NoSuchKey</Code><Message>none</Message></Error>"
            return _Response.make(404, xml.encode() if method == "GET" else b"")
        content = self.kept.get(key, b"x" * min(self.sizes[key], 1024 * 1024))
        headers = {"Content-Length": str(self.sizes[key] if method == "HEAD" else len(content))}
        return _Response.make(200, content if method == "GET" else b"", {**headers, **_ETAG})


_ETAG = {"ETag": '"bench"'}


def _upload_id(query: str) -> str:
    found = re.search(r"uploadId=([^&]+)", query)
    if found is None:
        raise ValueError(f"a multipart request without its uploadId: {query!r}")
    return found.group(1)


def clients(table: CaseDaysTable, bucket: ReportsBucket) -> tuple[Any, Any]:
    import boto3

    from socialcare.bootstrap.clients import client_config

    dynamodb = boto3.client(
        "dynamodb",
        config=client_config("dynamodb"),
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",  # noqa: S106 (answered here: nothing is sent)
    )
    dynamodb.meta.events.register("before-send.dynamodb", table.answer)
    s3 = boto3.client(
        "s3",
        config=client_config("s3"),
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",  # noqa: S106 (answered here: nothing is sent)
    )
    s3.meta.events.register("before-send.s3", bucket.answer)
    return dynamodb, s3
