"""`socialcare report run|download`: against a deployed stack (found by its name, through
CloudFormation outputs) or the local stack (`--local URL` of `socialcare local`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from socialcare.app.reports import FILES
from socialcare_cli.errors import CommandFailed


class ReportCommandFailed(CommandFailed):
    pass


@dataclass(frozen=True)
class Target:
    stack_name: str
    local_url: str | None = None


def report_prefix(period: str, day: str | None, latest: bool) -> str:
    """Where a period's files are: reports/latest/<period>, or the dated folder."""
    if latest or not day:
        return f"reports/latest/{period}"
    from socialcare.config.loaders import routing_config
    from socialcare.domain.reporting import Period, PeriodKind

    timezone = routing_config().reports.timezone
    first = Period.containing(PeriodKind(period), date.fromisoformat(day), timezone)
    return f"reports/{period}/{first.key}"


def run(target: Target, period: str, day: str | None) -> dict[str, Any]:
    if target.local_url:
        from urllib.parse import urlencode

        from socialcare_cli.samples import http_request

        query = urlencode({"period": period, **({"date": day} if day else {})})
        answer = http_request("POST", f"{target.local_url}/_local/reports/run?{query}", {})
        if answer.status != 200:
            raise ReportCommandFailed(f"{answer.status}: {answer.body.decode()[:300]}")
        return answer.json()
    import boto3

    function = stack_outputs(target.stack_name)["ReportFunctionName"]
    payload = {"period": period, **({"date": day} if day else {})}
    response = boto3.client("lambda").invoke(
        FunctionName=function, Payload=json.dumps(payload).encode()
    )
    body = json.loads(response["Payload"].read() or b"null")
    if response.get("FunctionError"):
        raise ReportCommandFailed(f"{function}: {json.dumps(body)[:500]}")
    return body


def download(
    target: Target, period: str, day: str | None, latest: bool, directory: Path
) -> list[Path]:
    prefix = report_prefix(period, day, latest)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in FILES:
        content = _fetch(target, f"{prefix}/{name}")
        path = directory / name
        path.write_bytes(content)
        written.append(path)
    return written


def _fetch(target: Target, key: str) -> bytes:
    if target.local_url:
        from socialcare_cli.samples import http_request

        answer = http_request("GET", f"{target.local_url}/_local/{key}", {})
        if answer.status != 200:
            raise ReportCommandFailed(f"{key}: {answer.status} {answer.body.decode()[:200]}")
        return answer.body
    import boto3
    from botocore.exceptions import ClientError

    bucket = stack_outputs(target.stack_name)["ReportsBucketName"]
    try:
        return boto3.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError as error:
        raise ReportCommandFailed(f"s3://{bucket}/{key}: {error}") from error


def stack_outputs(stack_name: str) -> dict[str, str]:
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError

    try:
        stacks = boto3.client("cloudformation").describe_stacks(StackName=stack_name)
    except NoRegionError:
        raise ReportCommandFailed(
            "no AWS region: set AWS_REGION (or aws configure), or use --local for the local stack"
        ) from None
    except NoCredentialsError:
        raise ReportCommandFailed("no AWS credentials: aws configure, or use --local") from None
    except (ClientError, BotoCoreError) as error:
        raise ReportCommandFailed(f"stack {stack_name!r}: {error}") from error
    outputs = stacks["Stacks"][0].get("Outputs", [])
    return {o["OutputKey"]: o["OutputValue"] for o in outputs}


def main(arguments: Any) -> int:
    target = Target(arguments.stack_name, arguments.local)
    if arguments.report_command == "run":
        result = run(target, arguments.period, arguments.date)
        print(json.dumps(result, indent=2))
        return 0
    paths = download(target, arguments.period, arguments.date, arguments.latest, arguments.output)
    for path in paths:
        print(path)
    return 0
