"""A report object that does not exist reads as missing whether S3 answers 404 or 403:
S3 answers 403 AccessDenied for a missing key unless the caller may s3:ListBucket, and
whether a condition on that grant (s3:prefix) applies to GetObject is not documented.
https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html"""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from socialcare.adapters.s3_report_files import ReportVersion, S3ReportFiles
from socialcare.adapters.s3_reports import S3ReportStore
from socialcare.domain.failures import StorageUnavailable

BUCKET, PARTIAL = "reports-bucket", "reports/partials/2026-01-01.json"


@pytest.fixture
def s3():
    client = boto3.client(
        "s3", region_name="eu-west-1", aws_access_key_id="test", aws_secret_access_key="test"
    )
    with Stubber(client) as stub:
        yield client, stub


@pytest.mark.parametrize(
    ("code", "status"), [("AccessDenied", 403), ("403", 403), ("NoSuchKey", 404), ("404", 404)]
)
def test_a_partial_not_yet_written_reads_as_missing(s3, code, status):
    # Given S3 answering GetObject for a day's partial with a "not there" error
    client, stub = s3
    stub.add_client_error("get_object", service_error_code=code, http_status_code=status)
    # When the report reads it
    # Then it is missing, and the day is computed rather than the report aborted
    assert S3ReportStore(client, BUCKET).get(PARTIAL) is None


@pytest.mark.parametrize(
    ("code", "status"), [("AccessDenied", 403), ("NoSuchVersion", 404), ("NoSuchKey", 404)]
)
def test_a_report_file_version_gone_meanwhile_reads_as_missing(s3, code, status):
    # Given a version listed a moment ago that S3 no longer serves
    client, stub = s3
    stub.add_client_error("get_object", service_error_code=code, http_status_code=status)
    version = ReportVersion(key="reports/daily/2026-01-01/cases.csv", version_id="v1", latest=False)
    # Then privacy and retention read it as missing
    assert S3ReportFiles(client, BUCKET).read(version) is None


def test_s3_unavailable_is_still_unavailable(s3):
    client, stub = s3
    stub.add_client_error("get_object", service_error_code="SlowDown", http_status_code=503)
    with pytest.raises(StorageUnavailable):
        S3ReportStore(client, BUCKET).get(PARTIAL)
