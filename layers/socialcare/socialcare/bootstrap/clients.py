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
