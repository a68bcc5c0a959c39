"""AWS clients as production configures them."""

from __future__ import annotations

from typing import Any


def client_config(service: str) -> Any:
    """DynamoDB requests are built by our adapters, and DynamoDB validates each itself:
    botocore's client-side validation of every attribute of every item was half of a warm
    delivery's time (`make bench`). S3 signs with SigV4: presigned links up to the 7 days
    the managers' email promises."""
    from botocore.config import Config

    if service == "s3":
        return Config(signature_version="s3v4")
    return Config(parameter_validation=service != "dynamodb")


def aws_client(service: str) -> Any:
    """A boto3 client of `service` in the environment's region and credentials."""
    import boto3

    # Any service by name: the type stubs overload each literal service name.
    return boto3.client(service, config=client_config(service))  # type: ignore[call-overload]


def bedrock_runtime_client(timeout_seconds: float) -> Any:
    """Bedrock's runtime client for the second opinion: one attempt (no retry: a throttle
    is an answer, "no opinion"), the connect and the read each bounded by the timeout
    (https://botocore.amazonaws.com/v1/documentation/api/latest/reference/config.html)."""
    import boto3
    from botocore.config import Config

    config = Config(
        connect_timeout=timeout_seconds,
        read_timeout=timeout_seconds,
        retries={"total_max_attempts": 1, "mode": "standard"},
    )
    return boto3.client("bedrock-runtime", config=config)
