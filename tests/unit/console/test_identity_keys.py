"""The pool's keys (read once, again on an unknown kid, at most once a minute), CSRF
tokens and PKCE's S256."""

from __future__ import annotations

from typing import Any

import pytest

from socialcare.adapters.cognito_tokens import JwksAccessTokens
from socialcare.domain.console_csrf import csrf_token, csrf_valid
from socialcare.domain.console_tokens import TokenRejected, pkce_challenge
from tests.unit.console.identity_tokens import access_token, jwks, pool_key


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_keys_are_read_once_and_again_when_cognito_rotates() -> None:
    # Given a pool whose JWKS gains a second key after the first read
    documents: list[dict[str, Any]] = [jwks(pool_key()), jwks(pool_key(), pool_key("key-2"))]
    reads: list[str] = []

    def fetch(url: str) -> dict[str, Any]:
        reads.append(url)
        return documents[min(len(reads) - 1, 1)]

    clock = Clock()
    tokens = JwksAccessTokens("https://pool/jwks", fetch=fetch, clock=clock)

    # When tokens of the first key are checked twice, then one of the new key a minute on
    tokens.claims(access_token())
    tokens.claims(access_token())
    clock.now = 61
    claims = tokens.claims(access_token(pool_key("key-2")))

    # Then the JWKS was read once, then once more for the unknown kid
    assert len(reads) == 2
    assert claims["username"] == "ana"


def test_unknown_kids_cannot_make_every_request_read_the_keys() -> None:
    # Given keys read just now
    reads: list[str] = []
    tokens = JwksAccessTokens(
        "https://pool/jwks", fetch=lambda url: reads.append(url) or jwks(), clock=Clock()
    )
    tokens.claims(access_token())

    # When tokens with kids the pool never had keep coming within the minute
    for n in range(5):
        with pytest.raises(TokenRejected, match="unknown kid"):
            tokens.claims(access_token(pool_key(f"forged-{n}")))

    # Then the keys were not read again
    assert len(reads) == 1


def test_keys_that_cannot_be_read_refuse_the_token_without_a_trace() -> None:
    # Given a JWKS endpoint that does not answer
    def fetch(_url: str) -> dict[str, Any]:
        raise TimeoutError("timed out")

    tokens = JwksAccessTokens("https://pool/jwks", fetch=fetch, clock=Clock())

    # When a token is checked
    # Then it is refused, saying the keys are unavailable
    with pytest.raises(TokenRejected, match="unavailable"):
        tokens.claims(access_token())


def test_csrf_tokens_are_bound_to_the_session_and_the_key() -> None:
    # Given a session's token
    token = csrf_token("session-1", b"a" * 32)

    # Then it is valid for that session and key only, and never when empty
    assert csrf_valid("session-1", token, b"a" * 32)
    assert not csrf_valid("session-2", token, b"a" * 32)
    assert not csrf_valid("session-1", token, b"b" * 32)
    assert not csrf_valid("", csrf_token("", b"a" * 32), b"a" * 32)
    assert not csrf_valid("session-1", "", b"a" * 32)


def test_pkce_s256_is_rfc_7636s_example() -> None:
    # Given RFC 7636 appendix B's verifier, Then its challenge is the RFC's
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert pkce_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
