"""The webhook handler refusing what no platform sends: a short JSON error, never a
stack trace, nothing stored."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from socialcare.adapters.secrets import PlatformSecretsSource
from tests.conftest import sample, signed_event
from tests.integration.webhook_helpers import client, deliver, dependencies


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
