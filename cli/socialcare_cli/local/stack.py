"""The local stack: moto's server in a thread holding the template's resources, the case
workflow executing for real, and its Lambda tasks dispatched to the real handlers."""

from __future__ import annotations

import importlib.util
import io
import json
import logging
import os
import socket
import threading
import time
import traceback
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from secrets import token_urlsafe
from typing import Any

import boto3
from botocore.config import Config

from socialcare_cli.local.template import Template, resolve

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
PREFIX = "socialcare-local"

# Documented local defaults (README): override with the environment variables.
LOCAL_SECRET_DEFAULTS = {
    "SOCIALCARE_META_APP_SECRET": "local-meta-app-secret",
    "SOCIALCARE_META_VERIFY_TOKEN": "local-meta-verify-token",
    "SOCIALCARE_X_CONSUMER_SECRET": "local-x-consumer-secret",
    "SOCIALCARE_TELEGRAM_SECRET_TOKEN": "local-telegram-secret-token",
}
_SECRET_KEYS = {
    "SOCIALCARE_META_APP_SECRET": "meta_app_secret",
    "SOCIALCARE_META_VERIFY_TOKEN": "meta_verify_token",
    "SOCIALCARE_X_CONSUMER_SECRET": "x_consumer_secret",
    "SOCIALCARE_TELEGRAM_SECRET_TOKEN": "telegram_secret_token",
}


def local_secrets(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The platform secrets the local stack uses, keyed as in the Secrets Manager secret."""
    environ = dict(os.environ) if environ is None else environ
    return {
        key: environ.get(variable) or LOCAL_SECRET_DEFAULTS[variable]
        for variable, key in _SECRET_KEYS.items()
    }


def project_root() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "template.yaml").exists():
            return parent
    return Path.cwd()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LambdaContext:
    """What Powertools reads from a Lambda context."""

    function_name: str
    invoked_function_arn: str
    memory_limit_in_mb: int = 512
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = "local"
    log_stream_name: str = "local"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


class LocalFunction:
    """A function with Lambda's concurrency model: each concurrent invocation gets its own
    "container" (a fresh copy of the handler module), reused once it is idle again."""

    def __init__(self, logical_id: str, name: str, arn: str, path: Path, attribute: str) -> None:
        self.logical_id = logical_id
        self.name = name
        self.arn = arn
        self._path = path
        self._attribute = attribute
        self._idle: list[Callable[..., Any]] = []
        self._lock = threading.Lock()
        self.containers = 0
        self._idle.append(self._load())  # fail fast on an import error

    def invoke(self, event: Any, **adapters: Any) -> Any:
        handler = self._acquire()
        try:
            return handler(event, LambdaContext(self.name, self.arn), **adapters)
        finally:
            with self._lock:
                self._idle.append(handler)

    def _acquire(self) -> Callable[..., Any]:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return self._load()

    def _load(self) -> Callable[..., Any]:
        with self._lock:
            self.containers += 1
            module_name = f"socialcare_fn_{self.logical_id}_{self.containers}"
        spec = importlib.util.spec_from_file_location(module_name, self._path)
        assert spec and spec.loader, self._path
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _isolate_metrics(module)
        return getattr(module, self._attribute)


def _isolate_metrics(module: Any) -> None:
    """Powertools keeps metrics in class attributes shared by every `Metrics` of a process:
    one function per process in Lambda, but here containers of every function run side by
    side, and one flushing while another adds broke deliveries under load. Each container
    gets sets of its own (the decorated handler flushes through the same provider)."""
    from aws_lambda_powertools import Metrics

    for metrics in vars(module).values():
        if isinstance(metrics, Metrics):
            provider = metrics.provider
            provider.metric_set = metrics.metric_set = {}
            provider.metadata_set = metrics.metadata_set = {}
            provider.dimension_set = metrics.dimension_set = dict(provider.dimension_set)
            provider.default_dimensions = metrics.default_dimensions = dict(
                provider.default_dimensions
            )


class LocalStack:
    """Start with `start()`; `endpoint_url` then serves the AWS API (aws --endpoint-url)."""

    def __init__(
        self,
        root: Path | None = None,
        *,
        port: int | None = None,
        time_scale: float = 1.0,
        secrets: dict[str, str] | None = None,
        quiet: bool = False,
    ) -> None:
        self.root = root or project_root()
        self.template = Template.load(self.root)
        self.port = port or free_port()
        self.time_scale = time_scale
        self.secrets = secrets or local_secrets()
        self.quiet = quiet
        self.refs: dict[str, str] = {}
        self.attributes: dict[str, str] = {}
        self.functions: dict[str, LocalFunction] = {}
        self.invocation_errors: list[str] = []
        self._server: Any = None

    # --- lifecycle ----------------------------------------------------------------------------

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LocalStack:
        self._configure_process()
        self._start_emulator()
        self._provision()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def client(self, service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id="local",
            aws_secret_access_key="local",  # noqa: S106 (the emulator accepts anything)
            config=Config(retries={"mode": "standard", "max_attempts": 3}),
        )

    def _configure_process(self) -> None:
        # The real handlers run in this process and find the emulator through these.
        os.environ.update(
            {
                "AWS_ENDPOINT_URL": self.endpoint_url,
                "AWS_DEFAULT_REGION": REGION,
                "AWS_REGION": REGION,
                "AWS_ACCESS_KEY_ID": "local",
                "AWS_SECRET_ACCESS_KEY": "local",
                # moto's Step Functions interpreter calls Lambda on this port.
                "MOTO_PORT": str(self.port),
                "SOCIALCARE_TIME_SCALE": str(self.time_scale),
            }
        )
        # The emulator's own request log says nothing a user of the stack needs.
        logging.getLogger("werkzeug").setLevel(logging.ERROR)

    def _start_emulator(self) -> None:
        from moto.core.config import default_user_config

        from socialcare_cli.local.emulator import SerialisedMotoServer

        default_user_config["stepfunctions"] = {"execute_state_machine": True}
        default_user_config["lambda"] = {"use_docker": False}
        self._server = SerialisedMotoServer(port=self.port)
        self._server.start()
        self._install_lambda_dispatch()

    # --- resources ----------------------------------------------------------------------------

    def _provision(self) -> None:
        self.refs.update(self.template.parameter_defaults())
        self.refs.update(
            {"AWS::Region": REGION, "AWS::AccountId": ACCOUNT_ID, "AWS::URLSuffix": "localhost"}
        )
        self.refs["AWS::StackName"] = PREFIX
        self.refs["AWS::Partition"] = "aws"
        for logical_id in self.template.of_type("AWS::Serverless::HttpApi"):
            self.refs[logical_id] = "local"  # served by LocalApiServer, see set_api_base_url
        role_arn = self._role()
        for logical_id, resource in self.template.of_type("AWS::DynamoDB::Table").items():
            self._table(logical_id, resource["Properties"])
        for logical_id, resource in self.template.of_type("AWS::SecretsManager::Secret").items():
            self._secret(logical_id, resource["Properties"])
        for logical_id in self.template.of_type("AWS::S3::Bucket"):
            self._bucket(logical_id)
        for logical_id in self.template.of_type("AWS::SQS::Queue"):
            self._queue(logical_id)
        for logical_id in self.template.functions():
            self._function(logical_id, role_arn)
        for logical_id, resource in self.template.of_type("AWS::Serverless::StateMachine").items():
            self._state_machine(logical_id, resource["Properties"], role_arn)
        environment = {}
        for logical_id in self.template.functions():
            environment.update(self.function_environment(logical_id))
        if self.quiet:
            environment.update(POWERTOOLS_LOG_LEVEL="ERROR", POWERTOOLS_METRICS_DISABLED="true")
        os.environ.update(environment)
        for logical_id in self.template.functions():
            self._load_handler(logical_id)
        self._verify_sender()
        self._load_customers()

    def _verify_sender(self) -> None:
        sender = os.environ.get("SENDER_EMAIL") or self.refs.get("SenderEmail", "")
        if sender:
            self.client("ses").verify_email_identity(EmailAddress=sender)

    def _load_customers(self) -> None:
        import yaml

        from socialcare.config.files import CONFIG_DIR

        path = CONFIG_DIR / "customers.yaml"
        if "CustomersTable" not in self.refs or not path.exists():
            return
        dynamodb = self.client("dynamodb")
        for customer in yaml.safe_load(path.read_text(encoding="utf-8"))["customers"]:
            item = {"customer_key": f"{customer['platform']}#{customer['author_id']}"}
            item.update({k: str(v) for k, v in customer.items() if k not in item})
            dynamodb.put_item(
                TableName=self.refs["CustomersTable"],
                Item={k: {"S": v} for k, v in item.items()},
            )

    def set_api_base_url(self, url: str) -> None:
        """Where action links in emails point: the local HTTP API."""
        self._set_environment(ACTIONS_BASE_URL=url)

    def set_time_scale(self, time_scale: float) -> None:
        """Business time runs `time_scale` times faster (every SLA wait is divided)."""
        self.time_scale = time_scale
        self._set_environment(SOCIALCARE_TIME_SCALE=str(time_scale))

    @staticmethod
    def _set_environment(**variables: str) -> None:
        from socialcare.settings import get_settings

        os.environ.update(variables)
        get_settings.cache_clear()  # the handlers read settings once; re-read them

    def function_environment(self, logical_id: str) -> dict[str, str]:
        variables = self.template.function_environment(logical_id)
        return {k: str(resolve(v, self.refs, self.attributes)) for k, v in variables.items()}

    def _role(self) -> str:
        iam = self.client("iam")
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": ["lambda.amazonaws.com", "states.amazonaws.com"]},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
        role = iam.create_role(
            RoleName=f"{PREFIX}-role", AssumeRolePolicyDocument=json.dumps(trust)
        )
        return role["Role"]["Arn"]

    def _table(self, logical_id: str, props: dict[str, Any]) -> None:
        name = f"{PREFIX}-{logical_id}"
        dynamodb = self.client("dynamodb")
        request: dict[str, Any] = {
            "TableName": name,
            "AttributeDefinitions": props["AttributeDefinitions"],
            "KeySchema": props["KeySchema"],
            "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
        }
        if props.get("GlobalSecondaryIndexes"):
            request["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
        description = dynamodb.create_table(**request)["TableDescription"]
        ttl = props.get("TimeToLiveSpecification")
        if ttl:
            dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
        self.refs[logical_id] = name
        self.attributes[f"{logical_id}.Arn"] = description["TableArn"]

    def _secret(self, logical_id: str, props: dict[str, Any]) -> None:
        generated = props.get("GenerateSecretString", {})
        if "SecretStringTemplate" in generated:  # the platform secrets: the local values
            value = json.dumps(self.secrets)
        else:  # a generated key (report links): random, as Secrets Manager would make it
            value = token_urlsafe(48)
        created = self.client("secretsmanager").create_secret(
            Name=f"{PREFIX}/{logical_id}", SecretString=value
        )
        self.refs[logical_id] = created["ARN"]

    def _bucket(self, logical_id: str) -> None:
        name = f"{PREFIX}-{logical_id}".lower()
        s3 = self.client("s3")
        s3.create_bucket(Bucket=name)
        s3.put_bucket_encryption(
            Bucket=name,
            ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
            },
        )
        self.refs[logical_id] = name
        self.attributes[f"{logical_id}.Arn"] = f"arn:aws:s3:::{name}"

    def _queue(self, logical_id: str) -> None:
        sqs = self.client("sqs")
        url = sqs.create_queue(QueueName=f"{PREFIX}-{logical_id}")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
        self.refs[logical_id] = url
        self.attributes[f"{logical_id}.Arn"] = arn["Attributes"]["QueueArn"]

    def _function(self, logical_id: str, role_arn: str) -> None:
        name = f"{PREFIX}-{logical_id}"
        created = self.client("lambda").create_function(
            FunctionName=name,
            Runtime="python3.13",
            Role=role_arn,
            Handler=self.template.functions()[logical_id]["Properties"]["Handler"],
            Code={"ZipFile": _placeholder_zip()},
            Architectures=["arm64"],
        )
        self.refs[logical_id] = name
        self.attributes[f"{logical_id}.Arn"] = created["FunctionArn"]

    def _state_machine(self, logical_id: str, props: dict[str, Any], role_arn: str) -> None:
        definition = (self.root / props["DefinitionUri"]).read_text(encoding="utf-8")
        name = resolve(props.get("Name", f"{PREFIX}-{logical_id}"), self.refs, self.attributes)
        substitutions = resolve(
            props.get("DefinitionSubstitutions", {}), self.refs, self.attributes
        )
        for key, value in substitutions.items():
            definition = definition.replace("${" + key + "}", str(value))
        created = self.client("stepfunctions").create_state_machine(
            name=name,
            definition=definition,
            roleArn=role_arn,
            type=props.get("Type", "STANDARD"),
        )
        self.refs[logical_id] = created["stateMachineArn"]

    # --- real handlers ------------------------------------------------------------------------

    def _load_handler(self, logical_id: str) -> None:
        props = self.template.functions()[logical_id]["Properties"]
        module_name, attribute = props["Handler"].rsplit(".", 1)
        path = self.root / props["CodeUri"] / f"{module_name.replace('.', '/')}.py"
        self.functions[logical_id] = LocalFunction(
            logical_id,
            self.refs[logical_id],
            self.attributes[f"{logical_id}.Arn"],
            path,
            attribute,
        )

    def function(self, logical_id: str) -> LocalFunction:
        return self.functions[logical_id]

    def _install_lambda_dispatch(self) -> None:
        from moto.awslambda_simple.models import lambda_simple_backends

        backend = lambda_simple_backends[ACCOUNT_ID][REGION]

        def invoke(
            function_name: str, qualifier: Any, body: Any, headers: Any, response_headers: dict
        ) -> bytes:
            target = self._function_by_name(function_name)
            payload = json.loads(body or "{}")
            try:
                result = target.invoke(payload)
            except Exception as error:  # reported to the state machine as Lambda reports it
                self.invocation_errors.append(f"{target.logical_id}: {error!r}")
                response_headers["x-amz-function-error"] = "Unhandled"
                return json.dumps(
                    {
                        "errorType": type(error).__name__,
                        "errorMessage": str(error),
                        "stackTrace": traceback.format_tb(error.__traceback__),
                    }
                ).encode()
            return json.dumps(result).encode()

        backend.invoke = invoke

    def _function_by_name(self, name_or_arn: str) -> LocalFunction:
        name = name_or_arn.split(":function:")[-1].split(":")[0]
        for function in self.functions.values():
            if function.name == name:
                return function
        raise LookupError(f"no local function {name_or_arn}")

    # --- helpers for tests, the demo and /_local ---------------------------------------------

    @property
    def cases_table(self) -> str:
        return self.refs["CasesTable"]

    @property
    def case_workflow_arn(self) -> str:
        return self.refs["CaseWorkflow"]

    @property
    def reports_bucket(self) -> str:
        return self.refs["ReportsBucket"]

    def run_report(self, period: str, day: str | None = None) -> dict[str, Any]:
        """The report function, as its schedule (or an on-demand call) invokes it."""
        event = {"period": period, **({"date": day} if day else {})}
        return self.function("ReportFunction").invoke(event)

    def replay_failed_deliveries(self) -> dict[str, int]:
        """`socialcare replay` against the local stack: parked deliveries, re-driven."""
        from socialcare_cli.replay import drain

        outcome = drain(
            self.client("sqs"),
            self.refs["FailedDeliveriesQueue"],
            self.function("WebhookFunction").invoke,
        )
        return dict(outcome)

    def parked_deliveries(self) -> int:
        attributes = self.client("sqs").get_queue_attributes(
            QueueUrl=self.refs["FailedDeliveriesQueue"],
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return sum(int(v) for v in attributes.values())

    def report_file(self, key: str) -> bytes | None:
        from socialcare.adapters.s3_reports import S3ReportStore

        return S3ReportStore(self.client("s3"), self.reports_bucket).get(key)

    def reset_data(self) -> None:
        """Empty every table and forget past executions (resources stay), so each test
        starts from nothing. Local only: reaches into the emulator's memory."""
        from moto.stepfunctions.parser.models import stepfunctions_parser_backends

        self.stop_executions()
        backend = stepfunctions_parser_backends[ACCOUNT_ID][REGION]
        for logical_id in self.template.of_type("AWS::Serverless::StateMachine"):
            backend.describe_state_machine(self.refs[logical_id]).executions.clear()
        dynamodb = self.client("dynamodb")
        for logical_id, resource in self.template.of_type("AWS::DynamoDB::Table").items():
            # Dropped and made again: one request, where deleting item by item is slow
            # after a load run (tens of thousands of items).
            dynamodb.delete_table(TableName=self.refs[logical_id])
            self._table(logical_id, resource["Properties"])
        self._load_customers()
        from moto.ses.models import ses_backends

        ses_backends[ACCOUNT_ID][REGION].sent_messages.clear()
        sqs = self.client("sqs")
        for logical_id in self.template.of_type("AWS::SQS::Queue"):
            # Not PurgeQueue: SQS allows one a minute per queue.
            while messages := sqs.receive_message(
                QueueUrl=self.refs[logical_id], MaxNumberOfMessages=10, VisibilityTimeout=0
            ).get("Messages", []):
                for message in messages:
                    sqs.delete_message(
                        QueueUrl=self.refs[logical_id], ReceiptHandle=message["ReceiptHandle"]
                    )
        s3 = self.client("s3")
        for logical_id in self.template.of_type("AWS::S3::Bucket"):
            bucket = self.refs[logical_id]
            for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
                for version in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]:
                    s3.delete_object(
                        Bucket=bucket, Key=version["Key"], VersionId=version["VersionId"]
                    )

    def executions(self) -> list[dict[str, Any]]:
        sfn = self.client("stepfunctions")
        found: list[dict[str, Any]] = []
        for page in sfn.get_paginator("list_executions").paginate(
            stateMachineArn=self.case_workflow_arn
        ):
            found.extend(page["executions"])
        return found

    def stop_executions(self) -> None:
        """Stop every case workflow still running (most wait days for a department)."""
        sfn = self.client("stepfunctions")
        for execution in self.executions():
            if execution["status"] == "RUNNING":
                sfn.stop_execution(executionArn=execution["executionArn"], cause="local reset")

    def wait_for_executions(self, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Poll until no case workflow is RUNNING (or the timeout passes); all executions."""
        deadline = time.monotonic() + timeout
        while True:
            current = self.executions()
            if all(e["status"] != "RUNNING" for e in current) or time.monotonic() > deadline:
                return current
            time.sleep(0.05)

    def wait_until_triaged(self, timeout: float = 15.0) -> list[dict[str, Any]]:
        """Poll until no case is waiting for triage or for its first email; the cases."""
        deadline = time.monotonic() + timeout
        while True:
            cases = self.list_cases()
            pending = any(c["status"] in ("new", "triaged") for c in cases)
            if not pending:
                # A derived case's status moves before its email goes out: wait for the link.
                links = {link.split("?")[0] for e in self.outbox() for link in e["links"]}
                mailed = {link.rsplit("/", 1)[-1] for link in links if "/actions/" in link}
                pending = any(
                    c["current_action"] not in mailed for c in cases if c.get("current_action")
                )
            if not pending or time.monotonic() > deadline:
                return cases
            time.sleep(0.05)

    def list_cases(self) -> list[dict[str, Any]]:
        from socialcare.adapters.dynamodb.cases import assemble_case
        from socialcare.adapters.dynamodb.items import decode_item

        partitions: dict[str, list[dict[str, Any]]] = {}
        dynamodb = self.client("dynamodb")
        for page in dynamodb.get_paginator("scan").paginate(TableName=self.cases_table):
            for item in page["Items"]:
                plain = decode_item(item)
                if plain["PK"].startswith("CASE#"):
                    partitions.setdefault(plain["PK"], []).append(plain)
        cases = [assemble_case(items) for items in partitions.values()]
        return sorted((c for c in cases if c), key=lambda c: (c["created_at"], c["id"]))

    def outbox(self) -> list[dict[str, Any]]:
        """Every email sent through the emulated SES, oldest first."""
        from moto.ses.models import ses_backends

        from socialcare_cli.local.outbox import parse_sent

        return [parse_sent(m) for m in ses_backends[ACCOUNT_ID][REGION].sent_messages]

    def get_case(self, case_id: str) -> dict[str, Any] | None:
        from socialcare.adapters.dynamodb.cases import DynamoDBCaseStore

        return DynamoDBCaseStore(self.client("dynamodb"), self.cases_table).get_case(case_id)


def _placeholder_zip() -> bytes:
    """moto wants code; the handler that really runs is loaded from the working tree."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def lambda_handler(event, context):\n    return event\n")
    return buffer.getvalue()
