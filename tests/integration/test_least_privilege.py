"""Every AWS call each function makes is one its IAM policy in template.yaml allows.

moto does not enforce IAM, so a scope narrower than what the code does (a department's
click answering 503 in AWS, a webhook that cannot park) would pass every other local
test. Here each call the real handlers make while the stack works a day of cases is
checked against the policy of the function that made it: the action, the resource ARN,
and the conditions (DynamoDB leading keys, the SES sender)."""

from __future__ import annotations

import fnmatch
import json
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import boto3
import pytest
from botocore.awsrequest import AWSResponse

from socialcare_cli.local.stack import ACCOUNT_ID, REGION, LocalStack
from socialcare_cli.local.template import resolve
from socialcare_cli.samples import http_request, load_event, send_event
from tests.conftest import EVENTS

pytestmark = pytest.mark.e2e


def _statements(stack: LocalStack, logical_id: str) -> list[dict[str, Any]]:
    """The function's policy statements, resolved with the local stack's names and ARNs
    (statements under a condition, such as Comprehend's, are left out)."""
    found = []
    policies = stack.template.functions()[logical_id]["Properties"].get("Policies", [])
    for policy in policies:
        for statement in policy.get("Statement", []):
            if "Fn::If" in statement:
                continue
            found.append(resolve(statement, stack.refs, stack.attributes))
    return found


def _leading_keys(operation: str, params: dict[str, Any]) -> list[str]:
    if operation == "Query":
        condition = params["KeyConditionExpression"].split(" AND ")[0]
        placeholder = condition.split("=")[1].strip()
        return [params["ExpressionAttributeValues"][placeholder]["S"]]
    source = params.get("Key") or params.get("Item") or {}
    return [source[k]["S"] for k in ("PK", "customer_key") if k in source][:1]


def _required(stack: LocalStack, service: str, operation: str, params: dict[str, Any]):
    """(IAM action, resource ARN, condition context) for each permission the call needs."""
    arn = f"arn:aws:{{}}:{REGION}:{ACCOUNT_ID}:{{}}"
    if service == "dynamodb":
        if operation == "TransactWriteItems":
            kinds = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem"}
            kinds["ConditionCheck"] = "ConditionCheckItem"
            for item in params["TransactItems"]:
                [(kind, body)] = item.items()
                yield from _required(stack, service, kinds[kind], body)
            return
        table = arn.format("dynamodb", f"table/{params['TableName']}")
        if params.get("IndexName"):
            table += f"/index/{params['IndexName']}"
        context = {"dynamodb:LeadingKeys": _leading_keys(operation, params)}
        yield f"dynamodb:{operation}", table, context
    elif service == "sesv2":
        sender = params["FromEmailAddress"]
        for action in ("ses:SendEmail", "ses:SendRawEmail"):
            yield action, arn.format("ses", f"identity/{sender}"), {"ses:FromAddress": [sender]}
    elif service == "stepfunctions" and operation == "SendTaskSuccess":
        yield "states:SendTaskSuccess", "*", {}
    elif service == "stepfunctions":
        yield f"states:{operation}", params.get("stateMachineArn", "*"), {}
    elif service == "secretsmanager":
        yield f"secretsmanager:{operation}", params["SecretId"], {}
    elif service == "sqs":
        name = params["QueueUrl"].rsplit("/", 1)[-1]
        yield f"sqs:{operation}", arn.format("sqs", name), {}
    elif service == "s3":
        target = f"arn:aws:s3:::{params['Bucket']}/{params.get('Key', '')}"
        if operation == "CopyObject":  # no action of its own: read the source, write the copy
            source = params["CopySource"]
            if isinstance(source, dict):
                source = f"{source['Bucket']}/{source['Key']}"
            yield "s3:GetObject", f"arn:aws:s3:::{source}", {}
            yield "s3:PutObject", target, {}
        elif operation in ("GetObject", "HeadObject"):
            yield "s3:GetObject", target, {}
        else:
            yield f"s3:{operation}", target, {}
    else:
        yield f"{service}:{operation}", "*", {}


def _allowed(statements: list[dict[str, Any]], action: str, resource: str, context) -> bool:
    for statement in statements:
        actions = (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
        resources = statement["Resource"]
        resources = resources if isinstance(resources, list) else [resources]
        if not any(fnmatch.fnmatchcase(action, a) for a in actions):
            continue
        if not any(r == "*" or fnmatch.fnmatchcase(resource, r) for r in resources):
            continue
        if all(
            _holds(op, conditions, context)
            for op, conditions in statement.get("Condition", {}).items()
        ):
            return True
    return False


def _holds(operator: str, conditions: dict[str, Any], context: dict[str, list[str]]) -> bool:
    for key, patterns in conditions.items():
        patterns = patterns if isinstance(patterns, list) else [patterns]
        values = context.get(key)
        if values is None:
            return False  # an unknown key: fail closed
        if operator == "ForAllValues:StringLike":
            ok = all(any(fnmatch.fnmatchcase(v, p) for p in patterns) for v in values)
        elif operator == "StringEquals":
            ok = bool(values) and all(v in patterns for v in values)
        else:
            return False
        if not ok:
            return False
    return True


# The function a pool's worker thread works for (the readers of sharded keys query from a
# thread pool, whose threads' stacks do not reach the handler).
_submitted = threading.local()


def _calling_function() -> str | None:
    """The logical id of the function whose handler is on the stack (local containers are
    modules named socialcare_fn_<LogicalId>_<n>), or that submitted this thread's work."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if name.startswith("socialcare_fn_"):
            return name.removeprefix("socialcare_fn_").rsplit("_", 1)[0]
        frame = frame.f_back
    return getattr(_submitted, "function", None)


def _submit_for_the_caller(submit: Any) -> Any:
    """ThreadPoolExecutor.submit, the submitting function remembered in the worker."""

    def submit_remembering(pool: Any, work: Any, /, *args: Any, **kwargs: Any) -> Any:
        function = _calling_function()

        def run() -> Any:
            _submitted.function = function
            try:
                return work(*args, **kwargs)
            finally:
                _submitted.function = None

        return submit(pool, run)

    return submit_remembering


@pytest.fixture
def audited(stack: LocalStack, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Checks every call the handlers make from now on; `fail` injects one throttling
    error for a function's operation (to make the webhook park a delivery)."""
    from concurrent.futures import ThreadPoolExecutor

    from socialcare import bootstrap

    monkeypatch.setattr(
        ThreadPoolExecutor, "submit", _submit_for_the_caller(ThreadPoolExecutor.submit)
    )

    state: dict[str, Any] = {"calls": [], "denied": [], "fail": set()}
    policies = {fn: _statements(stack, fn) for fn in stack.template.functions()}
    lock = threading.Lock()

    def check(model, params, **_):
        """The call's parameters, as the code passed them, against its function's policy."""
        function = _calling_function()
        if function is None:
            return  # the test itself, or the emulator
        service = model.service_model.service_name
        with lock:
            for action, resource, context in _required(stack, service, model.name, params):
                state["calls"].append((function, action))
                if not _allowed(policies[function], action, resource, context):
                    state["denied"].append((function, action, resource, context))

    def fail(model, **_):
        function = _calling_function()
        with lock:
            if (function, model.name) not in state["fail"]:
                return None
            state["fail"].discard((function, model.name))
        error = {"Error": {"Code": "ThrottlingException", "Message": "injected"}}
        return AWSResponse(stack.endpoint_url, 400, {}, None), error

    session = boto3._get_default_session()._session  # the session the root's clients come from
    session.register("before-parameter-build", check)
    session.register("before-call", fail)
    bootstrap.reset()  # clients are cached per container: new ones carry the hook
    yield state
    session.unregister("before-parameter-build", check)
    session.unregister("before-call", fail)
    bootstrap.reset()  # and drop it


def new_telegram_message(number: int) -> dict[str, Any]:
    """A complaint from a customer of its own (a new case)."""
    event = load_event(EVENTS / "telegram_message.json")
    ids = {"918273001": f"91827{number:04d}", "4411": f"{number}411", "555000111": f"5550{number}"}
    for old, new in ids.items():
        event["body"] = event["body"].replace(old, new)
    return event


def test_every_call_of_every_function_is_allowed_by_its_policy(stack, api, audited):
    # Given a day of deliveries on every channel (new cases, a returning customer, edits,
    # the brand's replies), as the platforms send them
    for path in sorted(EVENTS.glob("*.json")):
        send_event(api, load_event(path))
    cases = stack.wait_until_triaged()
    # And a delivery the webhook cannot record, so it parks it, then a replay
    audited["fail"].add(("WebhookFunction", "TransactWriteItems"))
    assert send_event(api, new_telegram_message(1)).status == 503
    assert stack.replay_failed_deliveries().get("replayed") == 1
    # When a department answers through its link, and again too late
    link = next(link for e in stack.outbox() for link in e["links"] if "/actions/" in link)
    page = http_request("GET", link, {}).body.decode()
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    form = urlencode({"csrf_token": token, "action": "resolved"}).encode()
    headers = {"content-type": "application/x-www-form-urlencoded"}
    assert http_request("POST", link.split("?")[0], headers, form).status == 200
    assert http_request("POST", link.split("?")[0], headers, form).status == 410
    # And a deadline passes, so a case escalates
    stack.set_time_scale(1e7)
    send_event(api, new_telegram_message(2))
    deadline = time.monotonic() + 30
    while not any(c.get("escalation_level") for c in stack.list_cases()):
        assert time.monotonic() < deadline, "no escalation"
        time.sleep(0.1)
    stack.set_time_scale(1)
    # And the daily report runs, and a manager follows its link
    result = stack.run_report("daily", cases[0]["created_at"][:10])
    # (the escalated case's workflow may still be emailing meanwhile)
    report_link = next(
        link for email in reversed(stack.outbox()) for link in email["links"] if "/reports/" in link
    )
    assert http_request("GET", report_link.replace("http://localhost:3000", api), {}).status in (
        302,
        200,
    ), report_link
    # And the OwedEmails schedule lists the emails waiting for the team's digest (the
    # escalation's), on every shard of the owed-email index
    stack.function("WorkflowFunction").invoke({"step": "owed_emails"})
    # Then every call each function made is one its policy allows
    assert result["keys"]
    made = {function for function, _ in audited["calls"]}
    assert made >= {"WebhookFunction", "WorkflowFunction", "ActionsFunction", "ReportFunction"}
    assert ("WorkflowFunction", "dynamodb:Query") in audited["calls"]
    assert audited["denied"] == [], json.dumps(audited["denied"][:5], default=str, indent=1)


def test_an_x_token_refresh_through_the_handlers_is_allowed_by_their_policies(stack, api, audited):
    # Given an X mention derived to a department, the social team's copy with its
    # publish link, and X's access token past its two hours
    from tests.integration.workflow_helpers import SOCIAL_TEAM, email_to

    send_event(api, load_event(EVENTS / "x_mention.json"))
    [case] = stack.wait_until_triaged()
    email = email_to(stack, SOCIAL_TEAM, case["id"])  # the copy, once the derivation is out
    [url] = [link for link in email["links"] if "/publish/" in link]
    page = http_request("GET", url, {}).body.decode()
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    stack.platforms.x_tokens.expire_access_token()
    # When the social team publishes the reply (X answers 401: the pair is refreshed)
    form = urlencode({"csrf_token": token, "public_text": "Hola, te escribimos por DM."})
    headers = {"content-type": "application/x-www-form-urlencoded"}
    assert http_request("POST", url, headers, form.encode()).status == 200
    # Then the lock, the secret's new version and its reads were all allowed
    made = {action for function, action in audited["calls"] if function == "ActionsFunction"}
    assert {"dynamodb:PutItem", "dynamodb:DeleteItem", "secretsmanager:PutSecretValue"} <= made
    assert audited["denied"] == [], json.dumps(audited["denied"][:5], default=str, indent=1)


def test_owing_emails_and_sending_them_later_is_allowed_by_the_policies(stack, api, audited):
    # Given SES refusing the sender (unverified), and a case derived and one praise
    import os

    from tests.integration.test_email_unavailable_on_stack import run_owed_emails_schedule
    from tests.integration.workflow_helpers import kinds

    sender = os.environ["SENDER_EMAIL"]
    stack.client("ses").delete_identity(Identity=sender)
    try:
        send_event(api, load_event(EVENTS / "telegram_message.json"))
        deadline = time.monotonic() + 20
        while not any("email_owed" in kinds(c) for c in stack.list_cases()):
            assert time.monotonic() < deadline, "no email owed"
            time.sleep(0.05)
    finally:
        stack.client("ses").verify_email_identity(EmailAddress=sender)
    # When the OwedEmails schedule sends them
    assert run_owed_emails_schedule(stack)["sent"] >= 1
    # Then triage, the workflow and the schedule's calls were each allowed
    made = {function for function, _ in audited["calls"]}
    assert made >= {"TriageFunction", "WorkflowFunction"}
    assert ("WorkflowFunction", "dynamodb:Query") in audited["calls"]
    assert audited["denied"] == [], json.dumps(audited["denied"][:5], default=str, indent=1)
