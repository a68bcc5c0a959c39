"""The pieces that must agree with each other: template, handlers, state machine, samples."""

from __future__ import annotations

import json
import re

import pytest

from socialcare.app.webhook import PLATFORMS
from socialcare.domain.credentials import PlatformSecrets
from socialcare_cli.local.stack import local_secrets
from socialcare_cli.local.template import Template
from socialcare_cli.samples import SIGNATURE_HEADERS, raw_body, signature_for
from tests.conftest import EVENTS, ROOT

TEMPLATE = Template.load(ROOT)


@pytest.mark.parametrize("logical_id", sorted(TEMPLATE.functions()))
def test_every_function_has_its_handler(logical_id):
    props = TEMPLATE.functions()[logical_id]["Properties"]
    module, attribute = props["Handler"].rsplit(".", 1)
    source = (ROOT / props["CodeUri"] / f"{module}.py").read_text()
    assert f"def {attribute}(" in source


def test_state_machine_substitutions_are_all_provided():
    [machine] = TEMPLATE.of_type("AWS::Serverless::StateMachine").values()
    definition = (ROOT / machine["Properties"]["DefinitionUri"]).read_text()
    json.loads(definition)
    used = set(re.findall(r"\$\{(\w+)\}", definition))
    assert used == set(machine["Properties"]["DefinitionSubstitutions"])


def test_the_http_api_routes_cover_every_platform_method():
    routes = {r.route_key for r in TEMPLATE.http_routes()}
    assert routes == {
        "GET /webhooks/{platform}",
        "POST /webhooks/{platform}",
        "GET /actions/{id}",
        "POST /actions/{id}",
        "GET /publish/{id}",
        "POST /publish/{id}",
        "GET /follow-up/{id}",
        "POST /follow-up/{id}",
        "GET /survey/{id}",
        "POST /survey/{id}",
        "GET /media/{id}",
        "GET /reports/{period}/{day}/{file}",
        "ANY /console",
        "ANY /console/{proxy+}",
    }
    assert set(PLATFORMS) == {"meta", "x", "telegram"}


def test_the_openapi_description_documents_exactly_the_template_routes():
    # Given the description that schemathesis fuzzes in `make reliability`
    import yaml

    description = yaml.safe_load((ROOT / "api" / "openapi.yaml").read_text(encoding="utf-8"))
    # When its operations are listed
    documented = {
        f"{method.upper()} {path}"
        for path, item in description["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }
    # Then they are the HTTP API's routes (the console's two proxies: its own paths, each
    # under /console/), and the platforms it names are the real ones
    proxies = {"ANY /console", "ANY /console/{proxy+}"}
    console = {d for d in documented if d.split(" ", 1)[1].startswith("/console/")}
    assert documented - console == {r.route_key for r in TEMPLATE.http_routes()} - proxies
    assert console and proxies <= {r.route_key for r in TEMPLATE.http_routes()}
    platform = description["components"]["parameters"]["Platform"]["schema"]["enum"]
    assert set(platform) == set(PLATFORMS)


@pytest.mark.parametrize("path", sorted(EVENTS.glob("*.json")), ids=lambda p: p.stem)
def test_every_sample_is_signed_with_the_local_secrets(path):
    # `socialcare events sign` rewrites them after an edit
    event = json.loads(path.read_text())
    platform = event["pathParameters"]["platform"]
    if event["requestContext"]["http"]["method"] != "POST":
        return
    expected = signature_for(platform, raw_body(event), local_secrets({}))
    assert event["headers"][SIGNATURE_HEADERS[platform]] == expected


def test_local_secrets_come_from_the_environment_or_the_documented_defaults():
    defaults = PlatformSecrets(**local_secrets({}))
    assert defaults.meta_app_secret == "local-meta-app-secret"
    overridden = local_secrets({"SOCIALCARE_X_CONSUMER_SECRET": "mine"})
    assert overridden["x_consumer_secret"] == "mine"


def test_the_report_schedules_run_in_the_report_time_zone_of_the_config():
    from socialcare.app.triage import Triager

    assert TEMPLATE.parameter_defaults()["ReportTimezone"] == Triager().routing.reports.timezone
    events = TEMPLATE.functions()["ReportFunction"]["Properties"]["Events"]
    assert {e["Properties"]["Input"] for e in events.values()} == {
        '{"period": "daily"}',
        '{"period": "weekly"}',
        '{"period": "monthly"}',
    }
    for event in events.values():
        assert event["Type"] == "ScheduleV2"
        assert event["Properties"]["RetryPolicy"]["MaximumRetryAttempts"] > 0
        assert "DeadLetterConfig" in event["Properties"]


def _statements():
    for logical_id, function in TEMPLATE.functions().items():
        for policy in function["Properties"].get("Policies", []):
            for statement in policy.get("Statement", []) if isinstance(policy, dict) else []:
                if isinstance(statement, dict) and "Effect" in statement:
                    yield logical_id, statement


def test_no_function_may_do_everything():
    for logical_id, statement in _statements():
        actions = (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
        assert "*" not in actions and not any(a.endswith(":*") for a in actions), logical_id
        if statement["Resource"] == "*":  # only where AWS has no resource to scope to
            unscoped = (
                "comprehend:Detect",
                "states:SendTaskSuccess",
                "dynamodb:ListStreams",
                "ses:GetAccount",
            )
            assert all(a.startswith(unscoped) for a in actions), logical_id


def test_data_at_rest_is_encrypted_and_recoverable_and_nothing_is_public():
    for logical_id, table in TEMPLATE.of_type("AWS::DynamoDB::Table").items():
        properties = table["Properties"]
        assert properties["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"]
        assert properties["SSESpecification"]["SSEEnabled"], logical_id
    for bucket in TEMPLATE.of_type("AWS::S3::Bucket").values():
        properties = bucket["Properties"]
        assert all(properties["PublicAccessBlockConfiguration"].values())
        assert properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]


def test_every_log_the_stack_writes_has_a_log_group_that_forgets():
    # Given the template's log groups, by what writes to them
    groups = TEMPLATE.of_type("AWS::Logs::LogGroup")
    assert all(0 < group["Properties"]["RetentionInDays"] <= 90 for group in groups.values())
    named = {str(group["Properties"].get("LogGroupName")): name for name, group in groups.items()}
    # Then each function writes to its own (else Lambda makes one that keeps logs forever)
    for function in TEMPLATE.functions():
        assert any(function in group_name for group_name in named), function
    # ... the API's access logs and the state machine's logs go to one of them too
    [api] = TEMPLATE.of_type("AWS::Serverless::HttpApi").values()
    access = api["Properties"]["AccessLogSettings"]["DestinationArn"]
    assert access["Fn::GetAtt"][0] in groups
    for machine in TEMPLATE.of_type("AWS::Serverless::StateMachine").values():
        logging = machine["Properties"]["Logging"]
        assert logging["IncludeExecutionData"] is False
        [destination] = logging["Destinations"]
        assert destination["CloudWatchLogsLogGroup"]["LogGroupArn"]["Fn::GetAtt"][0] in groups


def test_the_alarms_watch_what_the_issue_names_and_notify_the_topic():
    alarms = TEMPLATE.of_type("AWS::CloudWatch::Alarm")
    watched = {a["Properties"]["MetricName"] for a in alarms.values()}
    assert watched == {
        "ApproximateNumberOfMessagesVisible",
        "ExecutionsFailed",
        "WebhookSignatureRejected",
        "5xx",
        "SlaBreaches",
        "DeliveriesForOtherAccounts",
        "WebhookDeliveriesNotParked",
        "PlatformTokenInvalid",
        "EmailsUndelivered",
    }
    assert all("AlarmActions" in a["Properties"] for a in alarms.values())
    # And each function that sends on the platforms (it reads the tokens) has the token
    # alarm on its own service (its handler's Metrics)
    senders = {
        name.removesuffix("Function").lower()
        for name, function in TEMPLATE.functions().items()
        if "PLATFORM_TOKENS_SECRET_ID"
        in function["Properties"].get("Environment", {}).get("Variables", {})
    }
    token_alarms = {
        dimension["Value"]
        for alarm in alarms.values()
        if alarm["Properties"]["MetricName"] == "PlatformTokenInvalid"
        for dimension in alarm["Properties"]["Dimensions"]
        if dimension["Name"] == "service"
    }
    assert senders == token_alarms == {"triage", "actions", "console"}


# What commands write (named in the README as where to find it), not files of the repo.
_GENERATED = ("bench/", "reliability/", "test-artifacts/", "demo-output/", "reports/", ".aws-sam/")


def test_every_path_the_readme_names_exists():
    # Given every repository path the README (and docs/, where a moved file must show too)
    # names, in backticks or in its commands
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    text = "\n".join(page.read_text(encoding="utf-8") for page in pages)
    named = set(re.findall(r"`([\w.-]+(?:/[\w.-]*)+)`", text))
    named |= set(
        re.findall(
            r"(?<![\w/.-])((?:layers|cli|functions|tests|events|api|statemachines)/[\w./-]+)", text
        )
    )
    # Then each exists (what commands generate aside)
    missing = sorted(
        path.rstrip(".,")
        for path in named
        if not path.startswith(_GENERATED) and not (ROOT / path.rstrip(".,")).exists()
    )
    assert missing == []


def test_the_policies_aws_receives_name_their_version_and_scope_only_what_cannot_be():
    # Given the template expanded as CloudFormation receives it (make security lints this)
    from socialcare_cli.security import expand, policies

    documents = policies(expand(ROOT))
    # Then every role's policy, SAM's generated ones included, has a Version, and "*"
    # stands only where AWS has no resource to scope to
    assert len(documents) == 10  # OwedEmailsScheduleRole: the owed emails; the console
    for name, document in documents.items():
        assert document["Version"] == "2012-10-17", name
        for statement in document["Statement"]:
            actions = statement["Action"]
            actions = actions if isinstance(actions, list) else [actions]
            if statement["Resource"] == "*":
                unscoped = (
                    "comprehend:Detect",
                    "states:SendTaskSuccess",
                    "dynamodb:ListStreams",
                    "ses:GetAccount",
                    "logs:CreateLogDelivery",
                    "logs:GetLogDelivery",
                    "logs:UpdateLogDelivery",
                    "logs:DeleteLogDelivery",
                    "logs:ListLogDeliveries",
                    "logs:PutResourcePolicy",
                    "logs:DescribeResourcePolicies",
                    "logs:DescribeLogGroups",
                )
                assert all(a.startswith(unscoped) for a in actions), name


def test_emails_ses_will_not_send_are_alarmed_and_retried_by_a_schedule():
    # Given the template: the functions that email count what SES holds (EmailsUndelivered)
    alarms = TEMPLATE.of_type("AWS::CloudWatch::Alarm").values()
    undelivered = [a for a in alarms if a["Properties"]["MetricName"] == "EmailsUndelivered"]
    services = {
        d["Value"]
        for a in undelivered
        for d in a["Properties"]["Dimensions"]
        if d["Name"] == "service"
    }
    # Then each one's count is alarmed, and a schedule retries the owed emails
    assert services == {"workflow", "triage"}
    events = TEMPLATE.functions()["WorkflowFunction"]["Properties"]["Events"]
    assert events["OwedEmails"]["Type"] == "ScheduleV2"
