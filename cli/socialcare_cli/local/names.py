"""Where the local stack lives: the account, region and name prefix it pretends, and a
client of its emulator."""

from __future__ import annotations

from typing import Any

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
PREFIX = "socialcare-local"

# Documented local defaults (README): override with the environment variables.


def emulator_client(endpoint_url: str, service: str) -> Any:
    """A boto3 client of the local stack's emulator (it accepts any credentials)."""
    import boto3
    from botocore.config import Config

    return boto3.client(  # type: ignore[call-overload]  # the service is named at run time
        service,
        endpoint_url=endpoint_url,
        region_name=REGION,
        aws_access_key_id="local",
        aws_secret_access_key="local",  # noqa: S106 (the emulator accepts anything)
        config=Config(retries={"mode": "standard", "max_attempts": 3}),
    )
