"""Who a console request is from: the 401 matrix of identify (forged, edited, expired,
ID and other-client tokens; the API's header and the pages' cookie) and its roles."""

from __future__ import annotations

import base64
import json
import time

import pytest

from socialcare.app.console_access import (
    SESSION_COOKIE,
    AccessRefused,
    form_allowed,
    identify,
)
from socialcare.domain.console_csrf import csrf_token
from socialcare.domain.console_users import ConsoleAction, ConsoleUser, Role
from socialcare.presentation.console.requests import ConsoleRequest
from tests.unit.console.identity_tokens import (
    CSRF_SECRET,
    FakeRevokedSessions,
    access_dependencies,
    access_token,
    pool_key,
)


def api_request(token: str, scheme: str = "Bearer") -> ConsoleRequest:
    return ConsoleRequest(
        "GET", "/console/api/cases", headers={"authorization": f"{scheme} {token}"}, api=True
    )


def page_request(token: str, form: dict[str, str] | None = None) -> ConsoleRequest:
    return ConsoleRequest(
        "POST" if form else "GET",
        "/console/",
        cookies={SESSION_COOKIE: token},
        form=form or {},
    )


def test_a_pool_access_token_names_the_person_their_roles_and_session() -> None:
    # Given an access token the pool signed for a community manager who is also an approver
    token = access_token(**{"cognito:groups": ["community_managers", "approvers", "other"]})

    # When the API request carrying it is identified
    user = identify(api_request(token), access_dependencies())

    # Then the person is known, with the console's roles only, and may approve
    assert user == ConsoleUser(
        "ana", frozenset({Role.COMMUNITY_MANAGER, Role.APPROVER}), session="session-1"
    )
    assert isinstance(user, ConsoleUser) and user.may(ConsoleAction.APPROVE)


def _edited(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["cognito:groups"] = ["admins"]
    edited = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{edited}.{signature}"


def _hs256_with_the_public_key(token: str) -> str:
    """The classic confusion: HMAC keyed with the pool's public key, which anyone has."""
    import hashlib
    import hmac

    from tests.unit.console.identity_tokens import jwks

    header = base64.urlsafe_b64encode(b'{"alg":"HS256","kid":"pool-key-1"}').decode().rstrip("=")
    signing_input = f"{header}.{token.split('.')[1]}"
    key = json.dumps(jwks()["keys"][0]).encode()
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).decode().rstrip('=')}"


def _unsigned(token: str) -> str:
    header = base64.urlsafe_b64encode(b'{"alg":"none","kid":"pool-key-1"}').decode().rstrip("=")
    return f"{header}.{token.split('.')[1]}."


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("", "no token"),
        ("not-a-jwt", "token rejected"),
        (access_token(pool_key("other-key")), "token rejected: unknown kid"),
        (_edited(access_token()), "token rejected: BadSignatureError"),
        (_unsigned(access_token()), "token rejected: not RS256"),
        (_hs256_with_the_public_key(access_token()), "token rejected: not RS256"),
        (access_token(exp=int(time.time()) - 120), "expired"),
        (access_token(token_use="id", client_id=None, aud="console-client"), "not an access"),
        (access_token(client_id="another-app"), "another app client"),
        (access_token(iss="https://cognito-idp.eu-west-1.amazonaws.com/other"), "another issuer"),
        (access_token(exp=None), "no expiry"),
        (access_token(username=None), "no user"),
    ],
    ids=[
        "none",
        "garbage",
        "forged-other-key",
        "edited-payload",
        "alg-none",
        "hs256-public-key",
        "expired",
        "id-token",
        "other-client",
        "other-issuer",
        "no-exp",
        "no-username",
    ],
)
def test_tokens_the_pool_did_not_issue_for_the_console_are_refused(token: str, reason: str) -> None:
    # Given a token that is not a valid console access token
    # When the API request carrying it is identified
    refused = identify(api_request(token), access_dependencies())

    # Then it is refused (401), saying why in the log
    assert isinstance(refused, AccessRefused)
    assert refused.reason.startswith(reason)


def test_a_forged_key_with_the_pools_kid_is_refused() -> None:
    # Given a token signed by another key that claims the pool key's kid
    from joserfc.jwk import RSAKey

    impostor = RSAKey.generate_key(2048, parameters={"kid": "pool-key-1"}, private=True)

    # When it is identified against the pool's JWKS
    refused = identify(api_request(access_token(impostor)), access_dependencies())

    # Then the signature does not verify
    assert refused == AccessRefused("token rejected: BadSignatureError")


def test_the_api_reads_only_the_bearer_header_and_pages_only_the_cookie() -> None:
    # Given a valid token
    token = access_token()
    deps = access_dependencies()
    api_with_cookie = ConsoleRequest(
        "GET", "/console/api/cases", cookies={SESSION_COOKIE: token}, api=True
    )
    page_with_header = ConsoleRequest(
        "GET", "/console/", headers={"authorization": f"Bearer {token}"}
    )

    # When it comes in the other place, or with another scheme
    # Then the request carries no identity
    assert identify(api_with_cookie, deps) == AccessRefused("no token")
    assert identify(page_with_header, deps) == AccessRefused("no token")
    assert identify(api_request(token, scheme="Basic"), deps) == AccessRefused("no token")
    assert isinstance(identify(page_request(token), deps), ConsoleUser)


def test_a_signed_out_session_is_refused_at_once() -> None:
    # Given a valid token whose session was signed out
    revoked = FakeRevokedSessions({"session-1": int(time.time()) + 900})

    # When it is identified
    refused = identify(api_request(access_token()), access_dependencies(revoked))

    # Then it is refused, though its signature and expiry are fine
    assert refused == AccessRefused("signed out")


def test_an_expired_page_token_may_be_refreshed() -> None:
    # Given an expired page session
    token = access_token(exp=int(time.time()) - 60)

    # When identified
    refused = identify(page_request(token), access_dependencies())

    # Then the refusal says the refresh token may renew it
    assert refused == AccessRefused("expired", expired=True)


def test_a_form_needs_its_sessions_csrf_token() -> None:
    # Given a signed-in person and their session's CSRF token
    deps = access_dependencies()
    user = identify(page_request(access_token()), deps)
    assert isinstance(user, ConsoleUser)
    good = csrf_token(user.session, CSRF_SECRET)

    # When forms are posted with it, another session's, or none
    # Then only the session's own token is accepted
    assert form_allowed(page_request("", {"csrf": good}), user, deps)
    assert not form_allowed(
        page_request("", {"csrf": csrf_token("other", CSRF_SECRET)}), user, deps
    )
    assert not form_allowed(page_request("", {"x": "1"}), user, deps)
