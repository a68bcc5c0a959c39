"""The real webhook handler against the local stack (moto server, real state machine)."""

from __future__ import annotations

import base64
import json
import threading
from datetime import timedelta
from urllib.parse import urlencode

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config

from socialcare.adapters.dynamodb.cases import DynamoDBCaseStore
from socialcare.adapters.secrets import PlatformSecretsSource, StackKey
from socialcare.adapters.sqs_parking import SqsDeliveryParking
from socialcare.adapters.step_functions import StepFunctionsWorkflowStarter
from socialcare.app.webhook import WebhookDependencies
from socialcare.domain.accounts import BrandAccounts
from socialcare.domain.clock import system_clock
from socialcare_cli.local.stack import LocalStack
from tests.conftest import NOW, sample, sample_payload, signed_event

ALL_CHANNEL_SAMPLES = {
    "meta_facebook_comment": ["facebook_comment"],
    "meta_messenger_message": ["messenger"],
    "meta_instagram_comment": ["instagram_comment"],
    "meta_instagram_mention": ["instagram_mention"],
    "meta_instagram_dm": ["instagram_dm"],
    "meta_whatsapp_text": ["whatsapp"],
    "meta_whatsapp_media": ["whatsapp", "whatsapp"],
    "x_mention": ["x_mention"],
    "x_dm": ["x_dm"],
    "telegram_message": ["telegram"],
}
IGNORED_SAMPLES = [
    "meta_ignored_messenger",
    "meta_ignored_whatsapp_statuses",
    "meta_ignored_own_comments",
    "x_ignored",
    "x_ignored_own_dm",
    "telegram_ignored",
]


def client(stack: LocalStack, service: str, *, fail: set[str] | None = None, times: int = 0):
    """A client of the local stack whose calls named in `fail` answer a throttling error
    (the first `times` of them; all when 0), through botocore's own event hooks."""
    made = boto3.client(
        service,
        endpoint_url=stack.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(retries={"total_max_attempts": 1}),
    )
    failures = {"left": times or 10**9}

    def throttle(model, **_):
        if model.name in (fail or set()) and failures["left"] > 0:
            failures["left"] -= 1
            error = {"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}}
            return AWSResponse(stack.endpoint_url, 400, {}, None), error
        return None

    made.meta.events.register(f"before-call.{made.meta.service_model.service_name}", throttle)
    return made


def dependencies(stack: LocalStack, *, dynamodb=None, sfn=None, clock=None) -> WebhookDependencies:
    return WebhookDependencies(
        store=DynamoDBCaseStore(dynamodb or client(stack, "dynamodb"), stack.cases_table),
        workflows=StepFunctionsWorkflowStarter(
            sfn or client(stack, "stepfunctions"), stack.case_workflow_arn
        ),
        secrets=PlatformSecretsSource(
            stack.refs["PlatformSecrets"], client=client(stack, "secretsmanager")
        ),
        clock=clock or system_clock,
        telegram_bot_id="socialcare_bot",
        seal_key=StackKey(stack.refs["DeliverySealSecret"], client=client(stack, "secretsmanager")),
    )


def deliver(stack: LocalStack, event, deps=None):
    response = stack.function("WebhookFunction").invoke(
        event, dependencies=deps or dependencies(stack)
    )
    return response["statusCode"], json.loads(response["body"]) if response.get(
        "body", ""
    ).startswith(("{", "[")) else response.get("body")


def executions_by_case(stack: LocalStack) -> dict[str, int]:
    """Once every case is past triage (most then wait days for a department)."""
    stack.wait_until_triaged()
    counts: dict[str, int] = {}
    for execution in stack.executions():
        counts[execution["name"]] = counts.get(execution["name"], 0) + 1
    return counts


def test_every_channel_becomes_a_case_with_its_workflow(stack):
    # Given one sample delivery per channel
    for name in ALL_CHANNEL_SAMPLES:
        status, body = deliver(stack, sample(name))
        assert status == 200, (name, body)
    # Then one case per message, on the right channel, each opened by its workflow
    cases = stack.list_cases()
    expected = sorted(c for channels in ALL_CHANNEL_SAMPLES.values() for c in channels)
    assert sorted(c["channel"] for c in cases) == expected
    executions = executions_by_case(stack)
    assert executions == {f"case-{c['id']}": 1 for c in cases}
    for case in stack.list_cases():
        kinds = [e["kind"] for e in case["timeline"]]
        expected = {"derived": ["derived"], "autonomous": ["closed"]}[case["status"]]
        assert kinds == ["case_created", "triaged", *expected]
        assert case["workflow_execution_arn"].endswith(f"case-{case['id']}")


@pytest.mark.parametrize("name", IGNORED_SAMPLES)
def test_ignored_kinds_are_acknowledged_and_store_nothing(stack, name):
    status, body = deliver(stack, sample(name))
    assert status == 200
    assert body["received"] == 0 and body["ignored"] >= 1
    assert stack.list_cases() == []


def test_a_redelivery_three_times_in_sequence_creates_one_case_and_one_execution(stack):
    # Given the same batched delivery (3 messages) sent three times, a day apart
    event = sample("meta_batched_page")
    answers = [
        deliver(stack, event, dependencies(stack, clock=lambda d=day: NOW + timedelta(days=d)))
        for day in range(3)
    ]
    # Then the first created, the others were recognised
    assert [a[1].get("created", 0) for a in answers] == [3, 0, 0]
    assert [a[1].get("duplicate", 0) for a in answers] == [0, 3, 3]
    cases = stack.list_cases()
    assert len(cases) == 3
    assert all(c["message_count"] == 1 for c in cases)
    assert sorted(executions_by_case(stack).values()) == [1, 1, 1]


def test_eight_concurrent_redeliveries_create_one_case_and_one_execution(stack):
    # Given eight senders delivering the same message at the same moment
    event = sample("meta_whatsapp_text")
    start = threading.Barrier(8)
    answers: list[int] = []

    def send():
        start.wait()
        answers.append(deliver(stack, event)[0])

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Then all are acknowledged, one case exists, one workflow ran
    assert answers == [200] * 8
    [case] = stack.list_cases()
    assert case["message_count"] == 1
    assert executions_by_case(stack) == {f"case-{case['id']}": 1}


def test_a_returning_author_is_threaded_into_the_open_case(stack):
    # Given a Messenger customer with an open case
    deliver(stack, sample("meta_messenger_message"))
    # When the same customer writes again
    status, body = deliver(stack, sample("meta_returning_customer"))
    # Then the message joins the case, which records the return; no new workflow
    assert (status, body["appended"]) == (200, 1)
    [case] = stack.list_cases()
    assert case["message_count"] == 2
    assert case["customer_returns"] == 1
    assert [m["text"][:10] for m in case["messages"]] == ["Hola, ¿me ", "Sigo esper"]
    assert "customer_returned" in [e["kind"] for e in case["timeline"]]
    assert len(executions_by_case(stack)) == 1


def test_concurrent_new_messages_from_one_author_share_one_case(stack):
    # Given eight different messages from one WhatsApp author arriving at once
    base = json.loads(sample("meta_whatsapp_text")["body"])
    start = threading.Barrier(8)
    statuses: list[int] = []

    def send(number: int):
        payload = json.loads(json.dumps(base))
        message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
        message["id"] = f"wamid.CONCURRENT{number}"
        message["text"]["body"] = f"mensaje {number}"
        start.wait()
        statuses.append(deliver(stack, signed_event("meta", payload))[0])

    threads = [threading.Thread(target=send, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Then one case holds all eight, with one workflow
    assert statuses == [200] * 8
    [case] = stack.list_cases()
    assert case["message_count"] == 8
    assert case["customer_returns"] == 7
    assert len(executions_by_case(stack)) == 1


def test_an_author_whose_case_closed_gets_a_new_case(stack):
    # Given a case that has since been closed (its pointer left behind on purpose)
    deliver(stack, sample("meta_messenger_message"))
    [first] = stack.wait_until_triaged()
    stack.client("dynamodb").update_item(
        TableName=stack.cases_table,
        Key={"PK": {"S": f"CASE#{first['id']}"}, "SK": {"S": "CASE"}},
        UpdateExpression="SET #s = :resolved, closed_at = :now",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={
            ":resolved": {"S": "resolved"},
            ":now": {"S": "2026-11-24T10:00:00.000Z"},
        },
    )
    # When the author writes again
    status, body = deliver(stack, sample("meta_returning_customer"))
    # Then a new case is opened for them
    assert (status, body["created"]) == (200, 1)
    cases = stack.wait_until_triaged()
    assert sorted(c["status"] for c in cases) == ["derived", "resolved"]


def test_the_brands_public_reply_is_the_cases_first_public_response(stack):
    # Given a customer's comment on the page that became a case
    deliver(stack, sample("meta_facebook_comment"))
    # When the page replies in public, and Meta delivers the reply twice
    first = deliver(stack, sample("meta_page_reply"))
    again = deliver(stack, sample("meta_page_reply"))
    # Then the reply is noted once on that case, with its time, and opens no case
    assert first == again == (200, {"received": 0, "ignored": 0, "responses": 1})
    [case] = stack.list_cases()
    assert case["first_public_response_at"] == "2026-11-24T09:45:00.000Z"
    responses = [e for e in case["timeline"] if e["kind"] == "public_response"]
    assert [(e["at"], e["data"]["actor"]) for e in responses] == [
        ("2026-11-24T09:45:00.000Z", "brand")
    ]


def test_a_customers_edit_and_deletion_are_noted_on_the_case_of_the_message(stack):
    # Given a customer's Telegram message that became a case
    deliver(stack, sample("telegram_message"))
    # When they edit it (Telegram delivers the edit twice) and no other case exists
    first = deliver(stack, sample("telegram_edited"))
    again = deliver(stack, sample("telegram_edited"))
    # Then the edit is noted once on that case, with its new text, and opens no case
    assert first == again == (200, {"received": 0, "ignored": 0, "changes": 1})
    [case] = stack.list_cases()
    [edited] = [e for e in case["timeline"] if e["kind"] == "message_edited"]
    assert edited["data"]["actor"] == "customer" and "412,30" in edited["data"]["text"]
    # And the message as first received stays as the department saw it
    assert "412,30" not in case["messages"][0]["text"]


def test_an_edit_of_a_message_never_received_is_acknowledged_and_stores_nothing(stack):
    status, body = deliver(stack, sample("telegram_edited"))
    assert (status, body) == (200, {"received": 0, "ignored": 1})
    assert stack.list_cases() == []


def test_an_id_no_platform_can_send_is_acknowledged_never_parked(stack):
    # Given a Telegram update whose update_id has 3,000 digits (a key DynamoDB refuses)
    message = json.dumps(sample_payload("telegram_message")["message"])
    event = signed_event(
        "telegram", f'{{"update_id": {"7" * 3000}, "message": {message}}}'.encode()
    )
    deps = dependencies(stack)
    deps.parking = SqsDeliveryParking(client(stack, "sqs"), stack.refs["FailedDeliveriesQueue"])
    # When it is delivered
    status, body = deliver(stack, event, deps)
    # Then it is acknowledged as a malformed item: no case, nothing parked to fail again
    assert (status, body) == (200, {"received": 0, "ignored": 1})
    assert stack.list_cases() == [] and stack.parked_deliveries() == 0


def test_deliveries_for_accounts_that_are_not_the_brands_are_ignored_and_counted(stack, capsys):
    # Given the brand's Page listed, and a delivery for another Page of the same Meta app
    deps = dependencies(stack)
    deps.accounts = BrandAccounts(facebook_pages=frozenset({"999999999"}))
    # When it arrives
    status, body = deliver(stack, sample("meta_facebook_comment"), deps)
    # Then it is acknowledged, no case is opened, and the metric counts it
    assert (status, body) == (200, {"received": 0, "ignored": 1})
    assert stack.list_cases() == []
    assert "DeliveriesForOtherAccounts" in capsys.readouterr().out


def test_a_brand_reply_to_a_message_never_received_is_acknowledged_and_stores_nothing(stack):
    status, body = deliver(stack, sample("x_reply_from_brand"))
    assert (status, body) == (200, {"received": 0, "ignored": 1})
    assert stack.list_cases() == []


def test_storage_failure_answers_503_and_the_retry_loses_and_duplicates_nothing(stack):
    # Given DynamoDB refusing the second transaction of a three-message batch
    event = sample("meta_batched_page")
    flaky = client(stack, "dynamodb", fail={"TransactWriteItems"}, times=1)
    first = dependencies(stack)
    calls = {"n": 0}
    real_record = first.store.record

    def record_then_fail(message, now):
        calls["n"] += 1
        if calls["n"] == 2:
            return DynamoDBCaseStore(flaky, stack.cases_table).record(message, now)
        return real_record(message, now)

    first.store.record = record_then_fail
    # When it is delivered: the platform gets a 5xx, so it will retry
    status, body = deliver(stack, event, first)
    assert status == 503 and body["error"] == "unavailable"
    assert len(stack.list_cases()) == 1
    # And when the platform retries
    status, body = deliver(stack, event)
    # Then every message has exactly one case and one workflow
    assert (status, body.get("created"), body.get("duplicate")) == (200, 2, 1)
    cases = stack.list_cases()
    assert len(cases) == 3
    assert sorted(executions_by_case(stack).values()) == [1, 1, 1]


def test_a_failed_workflow_start_is_started_by_the_retry(stack):
    # Given Step Functions refusing StartExecution once
    event = sample("telegram_message")
    flaky_sfn = client(stack, "stepfunctions", fail={"StartExecution"}, times=1)
    status, _ = deliver(stack, event, dependencies(stack, sfn=flaky_sfn))
    # Then the platform is told to retry; the case is stored, waiting for its workflow
    assert status == 503
    [case] = stack.list_cases()
    assert case["status"] == "new" and "workflow_started_at" not in case
    # When the platform retries
    status, body = deliver(stack, event)
    # Then the same case gets its one workflow
    assert (status, body["duplicate"]) == (200, 1)
    assert executions_by_case(stack) == {f"case-{case['id']}": 1}
    assert stack.get_case(case["id"])["status"] == "derived"


def test_a_redelivery_does_not_steal_a_fresh_start_claim(stack):
    # Given a case whose creator is (still) starting its workflow: claim fresh, not started
    store = DynamoDBCaseStore(client(stack, "dynamodb"), stack.cases_table)
    deliver(stack, sample("x_dm"))
    [case] = stack.list_cases()
    # Then nobody else may claim it now, but may once the claim is abandoned (stale)
    assert store.claim_workflow_start(case["id"], NOW) is False  # already started
    stack.client("dynamodb").update_item(
        TableName=stack.cases_table,
        Key={"PK": {"S": f"CASE#{case['id']}"}, "SK": {"S": "CASE"}},
        UpdateExpression="REMOVE workflow_started_at SET workflow_claimed_at = :at",
        ExpressionAttributeValues={":at": {"S": "2026-11-24T10:00:00.000Z"}},
    )
    assert store.claim_workflow_start(case["id"], NOW + timedelta(seconds=30)) is False
    assert store.claim_workflow_start(case["id"], NOW + timedelta(seconds=61)) is True


class TestBadInput:
    def test_missing_signature_is_401_stores_nothing_and_emits_a_metric(self, stack, capsys):
        # Given a real delivery stripped of its signature
        event = sample("meta_facebook_comment")
        del event["headers"]["x-hub-signature-256"]
        # When
        status, body = deliver(stack, event)
        # Then
        assert status == 401
        assert body == {"error": "invalid_signature", "message": "missing or malformed signature"}
        assert stack.list_cases() == []
        metrics = [
            json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line
        ]
        assert any("WebhookSignatureRejected" in m for m in metrics)

    @pytest.mark.parametrize("platform", ["meta", "x", "telegram"])
    def test_forged_deliveries_are_401(self, stack, platform):
        name = {"meta": "meta_whatsapp_text", "x": "x_dm", "telegram": "telegram_message"}[platform]
        event = sample(name)
        event["body"] = (
            event["body"].replace("a", "A", 1) if platform != "telegram" else event["body"]
        )
        if platform == "telegram":
            event["headers"]["x-telegram-bot-api-secret-token"] = "guess"
        status, body = deliver(stack, event)
        assert status == 401
        assert "local-" not in json.dumps(body)  # no secret echoed
        assert stack.list_cases() == []

    def test_header_names_are_case_insensitive_and_base64_bodies_are_decoded(self, stack):
        # Given a signed unicode body that API Gateway base64-encoded, with a capitalised header
        event = signed_event(
            "meta", json.loads(sample("meta_instagram_comment")["body"]), base64_body=True
        )
        signature = event["headers"].pop("x-hub-signature-256")
        event["headers"]["X-Hub-Signature-256"] = signature
        # Then it is accepted and the text survives intact
        status, body = deliver(stack, event)
        assert (status, body["created"]) == (200, 1)
        assert "🇯🇵" in stack.list_cases()[0]["messages"][0]["text"]

    def test_malformed_json_is_400(self, stack):
        status, body = deliver(stack, signed_event("meta", b'{"object": "page", "entry": ['))
        assert (status, body["error"]) == (400, "invalid_payload")

    @pytest.mark.parametrize("raw", [b"[]", b'"text"', b"1", b"[" * 100_000 + b"]" * 100_000])
    def test_json_that_is_not_an_object_is_400(self, stack, raw):
        status, _ = deliver(stack, signed_event("x", raw))
        assert status == 400

    def test_invalid_base64_is_400(self, stack):
        event = signed_event("telegram", {"update_id": 1})
        event["isBase64Encoded"], event["body"] = True, "***not base64***"
        assert deliver(stack, event)[0] == 400

    def test_unknown_platform_is_404(self, stack):
        event = signed_event("meta", {"object": "page", "entry": []})
        event["rawPath"] = event["requestContext"]["http"]["path"] = "/webhooks/myspace"
        event["pathParameters"] = {"platform": "myspace"}
        status, body = deliver(stack, event)
        assert (status, body["error"]) == (404, "unknown_platform")

    def test_a_body_over_one_mebibyte_is_413_before_any_parsing(self, stack):
        raw = json.dumps({"object": "page", "pad": "x" * (1024 * 1024)}).encode()
        status, body = deliver(stack, signed_event("meta", raw))
        assert (status, body["error"]) == (413, "payload_too_large")
        big_base64 = signed_event("meta", raw, base64_body=True)
        assert deliver(stack, big_base64)[0] == 413

    def test_storage_down_is_503_not_a_stack_trace(self, stack):
        broken = client(stack, "dynamodb", fail={"GetItem", "TransactWriteItems"})
        status, body = deliver(stack, sample("x_dm"), dependencies(stack, dynamodb=broken))
        assert status == 503
        assert set(body) == {"error", "message"}
        assert stack.list_cases() == []

    @pytest.mark.parametrize(
        "secret_value", ['"just a string"', '{"meta_app_secret": 7}', "not json", None]
    )
    def test_unreadable_secrets_are_503_and_never_echoed(self, stack, secret_value, caplog):
        # Given the platform secret missing, or not shaped as expected
        secretsmanager = client(stack, "secretsmanager")
        name = f"broken-{abs(hash(secret_value))}"
        if secret_value is not None:
            secretsmanager.create_secret(Name=name, SecretString=secret_value)
        deps = dependencies(stack)
        deps.secrets = PlatformSecretsSource(name, client=secretsmanager)
        # When a delivery arrives
        status, body = deliver(stack, sample("meta_facebook_comment"), deps)
        # Then the platform is told to retry, and nothing of the secret shows anywhere
        assert (status, body["error"]) == (503, "unavailable")
        assert "just a string" not in json.dumps(body) + caplog.text
        if secret_value is not None:
            secretsmanager.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)

    def test_an_unexpected_error_is_a_plain_500(self, stack):
        deps = dependencies(stack)

        def explode():
            raise RuntimeError("secret detail /var/task/app.py line 3")

        deps.clock = explode
        status, body = deliver(stack, sample("x_dm"), deps)
        assert status == 500
        assert body == {"error": "internal_error", "message": "unexpected error, retry later"}

    def test_handshakes(self, stack):
        assert deliver(stack, sample("meta_handshake")) == (200, "1158201444")
        status, body = deliver(stack, sample("x_crc"))
        assert status == 200 and body["response_token"].startswith("sha256=")
        refused = sample("meta_handshake")
        refused["queryStringParameters"]["hub.verify_token"] = "wrong"
        assert deliver(stack, refused)[0] == 403
        telegram_get = signed_event("telegram", b"", method="GET")
        assert deliver(stack, telegram_get)[0] == 405

    def test_the_x_handshake_signs_no_delivery(self, stack):
        # Given a stranger who sends the delivery it wants signed as a CRC token
        body = json.dumps(
            {
                "for_user_id": "2244994945",
                "tweet_create_events": [
                    {"id_str": "1", "user": {"id_str": "9"}, "text": "Os denuncio a la OCU"}
                ],
            }
        )
        crc = signed_event("x", b"", method="GET", query=urlencode({"crc_token": body}))
        # When it asks the handshake, then posts the body with whatever came back
        status, answer = deliver(stack, crc)
        forged = signed_event("x", body.encode())
        forged["headers"]["x-twitter-webhooks-signature"] = str(answer)
        # Then the handshake refused to sign, the delivery is refused, and nothing is stored
        assert (status, answer["error"]) == (400, "invalid_payload")
        assert deliver(stack, forged)[0] == 401
        assert stack.list_cases() == []

    def test_every_answer_tells_browsers_not_to_sniff(self, stack):
        # Given a handshake, a delivery, a refusal and an unknown platform
        unknown = signed_event("meta", b"{}")
        unknown["pathParameters"]["platform"] = "myspace"
        events = [sample("meta_handshake"), sample("x_dm"), signed_event("x", b"[]"), unknown]
        for event in events:
            # When each is answered
            response = stack.function("WebhookFunction").invoke(
                event, dependencies=dependencies(stack)
            )
            # Then the content type is the only one a browser will use
            assert response["headers"]["X-Content-Type-Options"] == "nosniff"


def test_the_default_dependencies_read_the_stack_from_the_environment(stack):
    # Given the handler with no adapters passed: it builds them from its settings
    response = stack.function("WebhookFunction").invoke(sample("telegram_photo"))
    # Then it reached the same table, secret and state machine
    assert response["statusCode"] == 200
    assert [c["channel"] for c in stack.list_cases()] == ["telegram"]
    assert base64 is not None
