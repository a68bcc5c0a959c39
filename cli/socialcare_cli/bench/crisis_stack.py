"""The template's tables, secrets and queues in moto's in-process backends, the functions'
environment as CloudFormation would set it, and the real handlers' dependency bundles
built by the composition root over counted clients, on the simulator's clock."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
from pathlib import Path
from secrets import token_urlsafe
from typing import Any

from socialcare_cli.bench.crisis_aws import CountedAws
from socialcare_cli.bench.crisis_capacity import TableSchema
from socialcare_cli.bench.crisis_report import SES_DEFAULT_PER_S

REGION = "us-east-1"
ACCOUNT = "123456789012"
PREFIX = "crisis"


class SimulatedClock:
    """The handlers' clock: the simulator moves it, nothing sleeps."""

    def __init__(self, start: Any) -> None:
        self.start = start
        self.offset = 0.0

    def next_second(self) -> None:
        """An OwedEmails run waiting for room in the rate: its sends fall in the next
        simulated second (the simulator sets the clock again for the next event)."""
        self.offset = float(int(self.offset) + 1)

    def __call__(self) -> Any:
        from datetime import timedelta

        return self.start + timedelta(seconds=self.offset)

    def second(self) -> int:
        return int(self.offset)


class CrisisStack:
    """Everything the handlers need, inside `moto.mock_aws()` (the caller's)."""

    def __init__(
        self, root: Path, clock: SimulatedClock, secrets: dict[str, str], fraction: float = 1.0
    ) -> None:
        from socialcare_cli.local.template import Template

        self.root = root
        self.template = Template.load(root)
        self.clock = clock
        self.secrets = secrets
        self.fraction = fraction
        self.refs: dict[str, Any] = {
            **self.template.parameter_defaults(),
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT,
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::StackName": PREFIX,
            "AWS::Partition": "aws",
            "HttpApi": "crisisapi",
        }
        self.attributes: dict[str, str] = {}
        tables = {}
        for logical_id, resource in self.template.of_type("AWS::DynamoDB::Table").items():
            name = f"{PREFIX}-{logical_id}"
            tables[name] = TableSchema.from_template(name, resource["Properties"])
        self.aws = CountedAws(tables, clock.second, fraction)

    def client(self, service: str) -> Any:
        """A client as production configures it, counted."""
        import boto3

        from socialcare.bootstrap.clients import client_config

        # Any service by name: the type stubs overload each literal service name.
        made = boto3.client(service, region_name=REGION, config=client_config(service))  # type: ignore[call-overload]
        return self.aws.install(made)

    def provision(self) -> None:
        import boto3

        dynamodb = boto3.client("dynamodb", region_name=REGION)
        for logical_id, resource in self.template.of_type("AWS::DynamoDB::Table").items():
            props = resource["Properties"]
            request: dict[str, Any] = {
                "TableName": f"{PREFIX}-{logical_id}",
                "AttributeDefinitions": props["AttributeDefinitions"],
                "KeySchema": props["KeySchema"],
                "BillingMode": "PAY_PER_REQUEST",
            }
            if props.get("GlobalSecondaryIndexes"):
                request["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
            if props.get("StreamSpecification"):
                request["StreamSpecification"] = {
                    "StreamEnabled": True,
                    **props["StreamSpecification"],
                }
            description = dynamodb.create_table(**request)["TableDescription"]
            self.refs[logical_id] = request["TableName"]
            self.attributes[f"{logical_id}.Arn"] = description["TableArn"]
        secrets = boto3.client("secretsmanager", region_name=REGION)
        for logical_id in self.template.of_type("AWS::SecretsManager::Secret"):
            value = (
                json.dumps(self.secrets) if logical_id == "PlatformSecrets" else token_urlsafe(48)
            )
            if logical_id == "PlatformTokensSecret":
                value = "{}"  # dry run: nothing is sent, no token is read
            created = secrets.create_secret(Name=f"{PREFIX}/{logical_id}", SecretString=value)
            self.refs[logical_id] = created["ARN"]
        sqs = boto3.client("sqs", region_name=REGION)
        for logical_id in self.template.of_type("AWS::SQS::Queue"):
            url = sqs.create_queue(QueueName=f"{PREFIX}-{logical_id}")["QueueUrl"]
            self.refs[logical_id] = url
            self.attributes[f"{logical_id}.Arn"] = (
                f"arn:aws:sqs:{REGION}:{ACCOUNT}:{PREFIX}-{logical_id}"
            )
        for logical_id in self.template.of_type("AWS::S3::Bucket"):
            self.refs[logical_id] = f"{PREFIX}-{logical_id.lower()}"
            boto3.client("s3", region_name=REGION).create_bucket(Bucket=self.refs[logical_id])
        # The console's user pool: the crisis sends no console request; its names only fill
        # the console function's environment, which the stack reads for every function.
        for kind in ("UserPool", "UserPoolClient", "UserPoolDomain"):
            for logical_id in self.template.of_type(f"AWS::Cognito::{kind}"):
                self.refs[logical_id] = f"{PREFIX}-{logical_id.lower()}"
        boto3.client("ses", region_name=REGION).verify_email_identity(
            EmailAddress=self.refs["SenderEmail"]
        )
        self.environment = self._environment()
        os.environ.update(self.environment)

    def _environment(self) -> dict[str, str]:
        from socialcare_cli.local.template import resolve

        conditions = self.template.conditions(self.refs)
        environment: dict[str, str] = {}
        for logical_id in self.template.functions():
            variables = self.template.function_environment(logical_id)
            for name, value in variables.items():
                resolved = resolve(value, self.refs, self.attributes, conditions)
                environment[name] = str(resolved)
        # Answers are recorded as they would go (a deployed stack starts so); no platform.
        environment["OUTBOUND_MODE"] = "dry_run"
        # The rate the emails are paced to: SES's production start (crisis_report.py),
        # which GetAccount would answer for such an account (moto does not implement it).
        # A sampled run paces to that share of it, as its counts are scaled back up.
        sampled_rate = SES_DEFAULT_PER_S * min(self.fraction, 1.0)
        environment.setdefault("SES_MAX_SEND_RATE", str(sampled_rate))
        return environment

    def dependencies(self) -> dict[str, Any]:
        """The webhook's, triage's and the workflow's bundles, on the simulated clock."""
        from socialcare.bootstrap import Root, use_cases

        root = Root(client=self.client)
        _pace_on_clock(root, self.clock)
        bundles = {
            "webhook": use_cases.webhook(root),
            "triage": use_cases.triage(root),
            "workflow": use_cases.workflow(root),
        }
        return {name: _on_clock(deps, self.clock) for name, deps in bundles.items()}

    def handler(self, function: str) -> Any:
        """The function's real module, as Lambda loads it."""
        path = self.root / "functions" / function / "app.py"
        spec = importlib.util.spec_from_file_location(f"crisis_{function}", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.lambda_handler

    def memory_mb(self, logical_id: str) -> int:
        return self.template.function_memory(logical_id)

    def throttles(self) -> tuple[float, float]:
        """The HTTP API's default route throttling (rate, burst), parameters resolved."""
        from socialcare_cli.local.template import resolve

        api = self.template.of_type("AWS::Serverless::HttpApi")["HttpApi"]["Properties"]
        settings = resolve(api["DefaultRouteSettings"], self.refs, self.attributes, {})
        return float(settings["ThrottlingRateLimit"]), float(settings["ThrottlingBurstLimit"])

    def schedules(self, functions: set[str]) -> list[tuple[str, int, dict[str, Any]]]:
        """(function folder, period in seconds, input) of each `rate(...)` schedule of the
        template targeting one of `functions` (folders under functions/): the OwedEmails
        schedule and any a later change adds."""
        found = []
        for props in (f.get("Properties", {}) for f in self.template.functions().values()):
            folder = Path(str(props.get("CodeUri", ""))).name
            if folder not in functions:
                continue
            for event in (props.get("Events") or {}).values():
                schedule = event.get("Properties", {}).get("ScheduleExpression", "")
                period = _rate_seconds(str(schedule))
                if event.get("Type") in ("Schedule", "ScheduleV2") and period:
                    found.append((folder, period, json.loads(event["Properties"]["Input"])))
        return found

    def batching_window(self) -> float:
        mapping = self.template.resources["NewCasesToTriage"]["Properties"]
        return float(mapping.get("MaximumBatchingWindowInSeconds", 0))

    def stream_shard(self) -> Any:
        from moto.dynamodb.models import dynamodb_backends

        tables = dynamodb_backends[ACCOUNT][REGION].tables
        return tables[self.refs["CasesTable"]].stream_shard

    def stream_mapping(self) -> Any:
        from socialcare_cli.local.streams import StreamMapping

        return next(m for m in StreamMapping.all_in(self.template) if m.table == "CasesTable")


def _pace_on_clock(root: Any, clock: SimulatedClock) -> None:
    """The email senders' pacing counts the simulated second, not the wall clock's (the
    root builds them on the system clock, outside any bundle's `clock`)."""
    from socialcare.app.email_pacing import PacedSender
    from socialcare.bootstrap import adapters

    for alert in (False, True):
        sender = PacedSender(
            adapters.email_sender(root), adapters.send_slots(root), clock, alert=alert
        )
        root.provide(f"paced_email_sender_{alert}", sender)


def _on_clock(deps: Any, clock: SimulatedClock) -> Any:
    """The bundle with the simulated clock wherever it has one (nested bundles too)."""
    changes: dict[str, Any] = {}
    for field in dataclasses.fields(deps):
        value = getattr(deps, field.name)
        if field.name == "clock":
            changes["clock"] = clock
        elif field.name == "wait":  # the OwedEmails run's wait for the next second
            changes["wait"] = clock.next_second
        elif (
            dataclasses.is_dataclass(value)
            and not isinstance(value, type)
            and any(f.name == "clock" for f in dataclasses.fields(value))
        ):
            changes[field.name] = _on_clock(value, clock)
    return dataclasses.replace(deps, **changes)


def _rate_seconds(expression: str) -> int | None:
    """rate(10 minutes) -> 600; None for cron() and anything else."""
    import re

    found = re.fullmatch(r"rate\((\d+) (second|minute|hour|day)s?\)", expression.strip())
    if not found:
        return None
    unit = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}[found.group(2)]
    return int(found.group(1)) * unit
