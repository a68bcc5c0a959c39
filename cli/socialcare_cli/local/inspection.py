"""What tests, the demo and the local HTTP server read of the local stack (cases,
executions, emails, reports), and resetting its data between tests."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from socialcare_cli.local.names import ACCOUNT_ID, REGION
from socialcare_cli.local.stack_parts import StackParts

if TYPE_CHECKING:
    from socialcare.bootstrap import Root


class Inspection(StackParts):
    """Mixed into LocalStack: reading and resetting what the stack holds."""

    @property
    def cases_table(self) -> str:
        return self.refs["CasesTable"]

    @property
    def case_workflow_arn(self) -> str:
        return self.refs["CaseWorkflow"]

    @property
    def reports_bucket(self) -> str:
        return self.refs["ReportsBucket"]

    @property
    def inspection_root(self) -> Root:
        """The composition root over the local stack's table and bucket, for reading them
        as the functions write them (with this stack's clients, as they are now)."""
        from socialcare.bootstrap import Root
        from socialcare.settings import Settings

        settings = Settings(
            cases_table_name=self.cases_table, reports_bucket_name=self.reports_bucket
        )
        return Root(settings, client=self.client)

    def stack_outputs(self) -> dict[str, str]:
        """The template's Outputs, as CloudFormation gives them for a deployed stack."""
        from socialcare_cli.local.template import resolve

        found = {}
        for name, output in (self.template.body.get("Outputs") or {}).items():
            if not self.conditions.get(output.get("Condition", ""), True):
                continue  # CloudFormation leaves out the outputs of a false condition
            try:
                value = resolve(output["Value"], self.refs, self.attributes, self.conditions)
                found[name] = str(value)
            except KeyError:  # names a resource the local stack does not make (a dashboard)
                continue
        if getattr(self, "api_base_url", None):  # the platforms deliver to the local API
            found["WebhookBaseUrl"] = f"{self.api_base_url}/webhooks"
        login = getattr(self, "login_server", None)
        if login is not None and "ConsoleLoginUrl" in found:  # the local managed login
            found["ConsoleLoginUrl"] = login.url
        return found

    def run_report(self, period: str, day: str | None = None) -> dict[str, Any]:
        """The report function, as its schedule (or an on-demand call) invokes it."""
        event = {"period": period, **({"date": day} if day else {})}
        return self.function("ReportFunction").invoke(event)

    def replay_failed_deliveries(self) -> dict[str, int]:
        """`socialcare replay` against the local stack: parked deliveries, then the new
        cases triage gave up on, re-driven."""
        from socialcare_cli.replay import drain
        from socialcare_cli.triage_replay import drain_triage_failures

        outcome = drain(
            self.client("sqs"),
            self.refs["FailedDeliveriesQueue"],
            self.function("WebhookFunction").invoke,
        )
        outcome.update(
            drain_triage_failures(
                self.client("sqs"),
                self.refs["TriageFailuresQueue"],
                self.client("dynamodbstreams"),
                self.function("TriageFunction").invoke,
            )
        )
        return dict(outcome)

    def triage_failures(self) -> int:
        """Stream batches waiting in TriageFailuresQueue for `socialcare replay`."""
        return self._queue_depth("TriageFailuresQueue")

    def _queue_depth(self, logical_id: str) -> int:
        attributes = self.client("sqs").get_queue_attributes(
            QueueUrl=self.refs[logical_id],
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return sum(int(v) for v in attributes.values())

    def parked_deliveries(self) -> int:
        return self._queue_depth("FailedDeliveriesQueue")

    def report_file(self, key: str) -> bytes | None:
        from socialcare.bootstrap import adapters

        return adapters.report_store(self.inspection_root).get(key)

    def reset_data(self) -> None:
        """Empty every table and forget past executions (resources stay), so each test
        starts from nothing. Local only: reaches into the emulator's memory."""
        from moto.stepfunctions.parser.models import stepfunctions_parser_backends

        self.wait_for_streams()
        self.stream_adapters.clear()
        self.platforms.reset()
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
        from moto.sqs.models import sqs_backends

        queues = sqs_backends[ACCOUNT_ID][REGION].queues
        for logical_id in self.template.of_type("AWS::SQS::Queue"):
            # In the emulator's memory, in flight ones too: a message a test received and
            # left (`replay` leaves what it cannot re-drive) is invisible to a receive, and
            # would count in the next test's ApproximateNumberOfMessagesNotVisible. Not
            # PurgeQueue: SQS allows one a minute per queue.
            queue = queues[self.refs[logical_id].rsplit("/", 1)[-1]]
            queue._messages = []
            queue._pending_messages = set()
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
        """Poll until triage has seen every new case and no case workflow is RUNNING (or
        the timeout passes); all executions."""
        deadline = time.monotonic() + timeout
        self.wait_for_streams(timeout)
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
        from socialcare.bootstrap import operations

        return operations.table_scan(self.inspection_root).cases()

    def outbox(self) -> list[dict[str, Any]]:
        """Every email sent through the emulated SES, oldest first."""
        from moto.ses.models import ses_backends

        from socialcare_cli.local.outbox import parse_sent

        return [parse_sent(m) for m in ses_backends[ACCOUNT_ID][REGION].sent_messages]

    def case(self, case_id: str) -> dict[str, Any]:
        """A case the caller made: its absence is the failure being looked for."""
        found = self.get_case(case_id)
        if found is None:
            raise LookupError(f"no case {case_id} in the local stack")
        return found

    def get_case(self, case_id: str) -> dict[str, Any] | None:
        from socialcare.bootstrap import operations

        return operations.case_reader(self.inspection_root).get_case(case_id)
