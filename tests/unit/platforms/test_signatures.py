"""Signature checks and handshakes, over exact bytes, in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from socialcare.domain.credentials import PlatformSecrets
from socialcare.platforms import meta, telegram, x
from socialcare.platforms.base import (
    HandshakeRefused,
    PayloadInvalid,
    SignatureInvalid,
)
from tests.conftest import secrets

UNICODE_BODY = '{"text": "¿Dónde está mi pedido? 😡 ñandú — 漢字"}'.encode()


def meta_signature(body: bytes, secret: str = "local-meta-app-secret") -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def x_signature(body: bytes, secret: str = "local-x-consumer-secret") -> str:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return "sha256=" + base64.b64encode(digest).decode()


class TestMeta:
    def test_accepts_a_signature_over_the_raw_unicode_bytes(self):
        # Given a body with accents, emoji and CJK signed as Meta signs it
        headers = {"x-hub-signature-256": meta_signature(UNICODE_BODY)}
        # When / Then: no exception
        meta.verify(headers, UNICODE_BODY, secrets())

    def test_accepts_uppercase_hex(self):
        headers = {
            "x-hub-signature-256": meta_signature(UNICODE_BODY).upper().replace("SHA", "sha")
        }
        meta.verify(headers, UNICODE_BODY, secrets())

    @pytest.mark.parametrize(
        "header",
        [
            None,
            "",
            "sha256=",
            "sha1=" + "0" * 40,
            meta_signature(UNICODE_BODY)[:-2],  # truncated
            meta_signature(UNICODE_BODY, "another-secret"),  # wrong secret
            meta_signature(UNICODE_BODY + b" "),  # signed a different body
            "sha256=ñ" + "0" * 63,  # non-ASCII must not crash compare_digest
        ],
    )
    def test_rejects_missing_wrong_or_malformed_signatures(self, header):
        # Given a header that is not the signature of this body with this secret
        headers = {} if header is None else {"x-hub-signature-256": header}
        # When / Then
        with pytest.raises(SignatureInvalid):
            meta.verify(headers, UNICODE_BODY, secrets())

    def test_an_unconfigured_secret_rejects_everything(self):
        # Given no app secret set (an empty HMAC key would be forgeable)
        empty = PlatformSecrets(meta_app_secret="")
        headers = {"x-hub-signature-256": meta_signature(UNICODE_BODY, "")}
        # When / Then
        with pytest.raises(SignatureInvalid):
            meta.verify(headers, UNICODE_BODY, empty)

    def test_handshake_returns_the_bare_challenge(self):
        query = {
            "hub.mode": "subscribe",
            "hub.verify_token": "local-meta-verify-token",
            "hub.challenge": "1158201444",
        }
        reply = meta.handshake(query, secrets())
        assert (reply.status, reply.body, reply.content_type) == (200, "1158201444", "text/plain")

    @pytest.mark.parametrize(
        "query",
        [
            {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
            {"hub.mode": "unsubscribe", "hub.verify_token": "local-meta-verify-token"},
            {"hub.challenge": "1"},
            {"hub.mode": "subscribe", "hub.verify_token": "local-meta-verify-token"},
            # only the number Meta sends is echoed
            *(
                {
                    "hub.mode": "subscribe",
                    "hub.verify_token": "local-meta-verify-token",
                    "hub.challenge": challenge,
                }
                for challenge in (
                    "<script>alert(1)</script>",
                    "abc",
                    "\uff11\uff12\uff13",
                    "1" * 65,
                )
            ),
        ],
    )
    def test_handshake_refuses_anything_else(self, query):
        with pytest.raises(HandshakeRefused):
            meta.handshake(query, secrets())


class TestX:
    def test_accepts_base64_signature_over_raw_bytes(self):
        x.verify(
            {"x-twitter-webhooks-signature": x_signature(UNICODE_BODY)}, UNICODE_BODY, secrets()
        )

    @pytest.mark.parametrize(
        "header",
        [
            None,
            "sha256=",
            x_signature(UNICODE_BODY)[:-4],
            x_signature(UNICODE_BODY, "wrong"),
            x_signature(b"{}"),
            x_signature(UNICODE_BODY).replace("sha256=", ""),
        ],
    )
    def test_rejects_bad_signatures(self, header):
        headers = {} if header is None else {"x-twitter-webhooks-signature": header}
        with pytest.raises(SignatureInvalid):
            x.verify(headers, UNICODE_BODY, secrets())

    def test_crc_response_token_is_the_hmac_of_the_token(self):
        # Given the CRC token X sends on GET
        token = "c2lnbmVkLWNyYy10b2tlbi1mcm9tLXg"
        # When
        reply = x.handshake({"crc_token": token}, secrets())
        # Then: base64(HMAC-SHA256(consumer secret, token)) with the sha256= prefix
        assert reply.status == 200
        assert json.loads(reply.body) == {"response_token": x_signature(token.encode())}

    def test_crc_without_token_is_a_bad_request(self):
        with pytest.raises(PayloadInvalid):
            x.handshake({}, secrets())

    @pytest.mark.parametrize(
        "token",
        [
            '{"for_user_id": "1", "tweet_create_events": []}',
            " {}",
            "[]",
            "token with spaces",
            "tökén",
            "a" * 257,
        ],
    )
    def test_crc_signs_only_tokens_shaped_as_x_sends_them(self, token):
        # Given a token that is not base64 (a JSON body among them): signing it would
        # hand out a valid delivery signature for that body
        # When / Then
        with pytest.raises(PayloadInvalid):
            x.handshake({"crc_token": token}, secrets())


class TestTelegram:
    def test_accepts_the_configured_secret_token(self):
        headers = {"x-telegram-bot-api-secret-token": "local-telegram-secret-token"}
        telegram.verify(headers, b"{}", secrets())

    @pytest.mark.parametrize(
        "token", [None, "", "local-telegram-secret", "local-telegram-secret-token ", "tökén"]
    )
    def test_rejects_any_other_token(self, token):
        headers = {} if token is None else {"x-telegram-bot-api-secret-token": token}
        with pytest.raises(SignatureInvalid):
            telegram.verify(headers, b"{}", secrets())

    def test_an_unconfigured_secret_rejects_even_an_empty_header(self):
        with pytest.raises(SignatureInvalid):
            telegram.verify({"x-telegram-bot-api-secret-token": ""}, b"{}", PlatformSecrets())
