"""The brand's platform tokens on the local stack (moto's Secrets Manager and DynamoDB,
the real handlers, the platform emulator): X's pair rotated by two containers at once, the
refresh lock's conditions, the secret's versions, and what people read when a token
cannot be used."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from socialcare.adapters.dynamodb.token_lock import DynamoDBRefreshLock
from socialcare.adapters.secrets import PlatformTokensSource
from socialcare_cli.reliability.token_rotation import token_rotation
from socialcare_cli.synthetic import dated
from tests.conftest import sample_payload, signed_event
from tests.integration.workflow_helpers import (
    CLAIMS,
    SOCIAL_TEAM,
    SUPPORT,
    act,
    csrf_of,
    deliver,
    email_to,
    kinds,
    link,
    request,
    text_of,
    wait_for,
)


@pytest.fixture
def tokens(stack) -> Iterator[dict[str, Any]]:
    """The emulated platforms' tokens and the secret, put back as they were afterwards
    (and the handlers' containers' cache of the secret with them)."""
    from socialcare import bootstrap
    from socialcare.bootstrap import adapters

    client, secret_id = stack.client("secretsmanager"), stack.refs["PlatformTokensSecret"]
    kept = (dict(stack.platforms.tokens), client.get_secret_value(SecretId=secret_id))
    yield stack.platforms.tokens
    stack.platforms.tokens.update(kept[0])
    client.put_secret_value(SecretId=secret_id, SecretString=kept[1]["SecretString"])
    adapters.platform_tokens(bootstrap.root()).fresh()


def _secret(stack) -> dict[str, Any]:
    client = stack.client("secretsmanager")
    answer = client.get_secret_value(SecretId=stack.refs["PlatformTokensSecret"])
    return json.loads(answer["SecretString"])


def _put_secret(stack, **values: Any) -> None:
    stack.client("secretsmanager").put_secret_value(
        SecretId=stack.refs["PlatformTokensSecret"],
        SecretString=json.dumps({**_secret(stack), **values}),
    )


def _metrics(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if '"_aws"' in line]


def test_two_containers_sending_at_once_around_an_expiry_lose_nothing(stack, tokens):
    # Given two containers' gateways, a pair about to expire, X ending access tokens early
    # and the secret refusing its first three writes
    # When they send forty X messages at once (what is deferred, again in later rounds)
    result = token_rotation(stack, 40)
    # Then each went out once, none refused for good, no refresh used a spent token,
    # and the secret holds X's current pair
    found = result["found"]
    assert result["ok"], found
    assert found["final_outcomes"] == {"sent": 40}
    assert found["lost"] == found["sent_twice"] == found["refused_for_good"] == 0
    assert set(found["token_endpoint_answers"]) == {"200"}
    # (a container that waited past its few seconds for the unsaved pair was deferred:
    # how often depends on the machine's speed, not on the outcome)
    assert found["alarms"]["x unsaved"] >= 1
    assert set(found["alarms"]) <= {"x unsaved", "x rotation_busy"}


def test_the_refresh_lock_is_held_by_one_container_until_its_lease_runs_out(stack):
    # Given two containers' locks on the cases table, and a clock the test moves
    now = [1_000_000.0]
    first, second = (
        DynamoDBRefreshLock(stack.client("dynamodb"), stack.cases_table, clock=lambda: now[0])
        for _ in range(2)
    )
    # When the first takes it, the second tries, and the first renews it
    assert first.acquire("first", 60)
    assert not second.acquire("second", 60)
    assert first.acquire("first", 60)
    second.release("second")  # not its holder: nothing happens
    assert not second.acquire("second", 60)
    # Then, its lease over (the first died holding it), the second takes it, and the
    # first can no longer release it
    now[0] += 61
    assert second.acquire("second", 60)
    first.release("first")
    assert not first.acquire("first", 60)
    second.release("second")
    assert first.acquire("first", 60)


def test_the_tokens_secret_is_read_past_the_cache_and_each_version_written_once(stack, tokens):
    # Given a container that read the secret, and ops who since changed it
    client = stack.client("secretsmanager")
    source = PlatformTokensSource(stack.refs["PlatformTokensSecret"], client=client)
    cached = source().telegram_bot_token
    _put_secret(stack, telegram_bot_token="123456:set-by-ops")
    # When it reads through its cache, and afresh
    # Then the cache still holds what it read, the fresh read what ops set
    assert source().telegram_bot_token == cached
    assert source.fresh().telegram_bot_token == "123456:set-by-ops"
    # And a pair saved twice under one version id (a retried write) is one version,
    # merged over what ops set
    versions = _versions(stack)
    pair = {"x_access_token": "a2", "x_refresh_token": "r2", "x_token_expires_at": 1.0}
    source.save(pair, "4a1f2c3e-0000-4000-8000-000000000001")
    source.save(pair, "4a1f2c3e-0000-4000-8000-000000000001")
    assert _versions(stack) == versions + 1
    assert _secret(stack) | pair == _secret(stack)
    assert _secret(stack)["telegram_bot_token"] == "123456:set-by-ops"


def _versions(stack) -> int:
    listed = stack.client("secretsmanager").list_secret_version_ids(
        SecretId=stack.refs["PlatformTokensSecret"], IncludeDeprecated=True
    )
    return len(listed["Versions"])


def test_a_reply_on_a_revoked_telegram_token_says_not_sent_yet_and_goes_once_renewed(
    stack, tokens, capsys
):
    # Given a derived Telegram case, its department's link, and the bot token revoked in
    # BotFather (the secret still holds it)
    body = dated(sample_payload("telegram_message"), datetime.now(UTC))
    case_id = deliver(stack, signed_event("telegram", body))
    wait_for(stack, case_id, lambda c: c["status"] == "derived")
    action_id = link(email_to(stack, SUPPORT, case_id), "contacted")
    _, page = request(stack, "GET", action_id, query="do=contacted")
    tokens["telegram_bot_token"] = "123456:renewed-in-botfather"
    capsys.readouterr()
    # When the department sends its reply
    form = {"csrf_token": csrf_of(page), "action": "contacted", "reply": "Hola Nuria, ya está."}
    status, answer = request(stack, "POST", action_id, **form)
    # Then the page says it is not sent yet and why, not that it was refused; the alarm's
    # metric went out with the actions function's name; the link still acts
    assert status == 503
    said = text_of(answer).lower()
    assert "aún no se ha enviado" in said and "renovar el acceso" in said
    assert "no lo ha aceptado" not in said
    emitted = [m for m in _metrics(capsys.readouterr().out) if "PlatformTokenInvalid" in m]
    assert emitted and emitted[0]["service"] == "actions"
    assert stack.platforms.state.sent == []
    # And once ops put the new token in the secret, sending again delivers it, once
    _put_secret(stack, telegram_bot_token="123456:renewed-in-botfather")
    status, _ = request(stack, "POST", action_id, **form)
    assert status == 200
    assert stack.platforms.state.sent[0]["text"] == form["reply"]
    wait_for(stack, case_id, lambda c: c["status"] == "contacted")


def test_a_publish_on_x_with_the_app_revoked_says_not_sent_yet_and_goes_once_reauthorised(
    stack, tokens, api
):
    # Given an X mention, the social team's publish link, and X's refresh token revoked
    from tests.integration.test_outbound_on_stack import browse

    case_id = deliver(stack, signed_event("x", sample_payload("x_mention")))
    email = email_to(stack, SOCIAL_TEAM, case_id)
    [url] = [u for u in email["links"] if "/publish/" in u]
    form = {"csrf_token": csrf_of(browse("GET", url).body.decode()), "public_text": "Hola Ana."}
    tokens["x_access_token"], tokens["x_refresh_token"] = "revoked", "revoked-too"
    # When the social team publishes
    published = browse("POST", url, form)
    # Then nothing went out and the page says so, with what will happen; the link acts
    assert published.status == 409
    said = text_of(published.body.decode()).lower()
    assert "aún no se ha enviado" in said and "el enlace sigue activo" in said
    assert stack.platforms.state.sent == []
    # And once ops re-authorise the app (a new pair in the secret), it goes, once
    tokens["x_access_token"], tokens["x_refresh_token"] = "a-new", "r-new"
    _put_secret(stack, x_access_token="a-new", x_refresh_token="r-new", x_token_expires_at=0)
    assert browse("POST", url, form).status == 200
    assert [s["text"] for s in stack.platforms.state.sent] == ["@ivanprieto_ Hola Ana."]


def test_an_automatic_answer_on_an_expired_page_token_waits_and_goes_after_replay(
    stack, tokens, capsys
):
    # Given a page token Meta no longer takes (ops renewed it at Meta, not yet in the
    # secret), and a comment exposing a phone number (hidden, answered, followed up)
    from tests.integration.test_outbound_on_stack import PHONE_COMMENT, fresh

    tokens["facebook_page_tokens"] = {"*": "renewed-page-token"}
    capsys.readouterr()
    case_id = deliver(stack, fresh("meta_facebook_comment", "meta", PHONE_COMMENT))
    # When triage runs, and the stream's retries are spent
    stack.wait_for_streams(timeout=60)
    # Then nothing went out, the record waits in TriageFailuresQueue, and the alarm's
    # metric names triage
    assert stack.platforms.state.sent == []
    assert stack.triage_failures() == 1
    emitted = [m for m in _metrics(capsys.readouterr().out) if "PlatformTokenInvalid" in m]
    assert emitted and {m["service"] for m in emitted} == {"triage"}
    # And once the renewed token is in the secret, `socialcare replay` sends each once
    _put_secret(stack, facebook_page_tokens={"*": "renewed-page-token"})
    stack.replay_failed_deliveries()
    case = wait_for(stack, case_id, lambda c: kinds(c).count("outbound_sent") == 3)
    assert [s["kind"] for s in stack.platforms.state.sent] == [
        "hide",
        "private_reply",
        "comment_reply",
    ]
    assert case["status"] == "derived"  # a complaint: its department has it meanwhile


def test_a_survey_the_bot_could_not_send_at_the_closing_goes_once_renewed(stack, tokens):
    # Given a derived Telegram case, and its bot token revoked in BotFather
    body = dated(sample_payload("telegram_message"), datetime.now(UTC))
    case_id = deliver(stack, signed_event("telegram", body))
    wait_for(stack, case_id, lambda c: c["status"] == "derived")
    action_id = link(email_to(stack, SUPPORT, case_id), "resolved")
    tokens["telegram_bot_token"] = "123456:renewed-in-botfather"
    # When the department resolves it (the closing asks for satisfaction), and the
    # stream's retries of the owed survey are spent
    status, _ = act(stack, action_id, "resolved")
    assert status == 200
    wait_for(stack, case_id, lambda c: c["status"] == "resolved")
    stack.wait_for_streams(timeout=60)
    # Then nothing went out yet, and the owed survey waits in TriageFailuresQueue
    assert stack.platforms.state.sent == []
    assert stack.triage_failures() == 1
    # And once the renewed token is in the secret, `socialcare replay` asks it, once
    _put_secret(stack, telegram_bot_token="123456:renewed-in-botfather")
    stack.replay_failed_deliveries()
    stack.wait_for_streams(timeout=30)
    [survey] = stack.platforms.state.sent
    assert survey["text"].startswith("Hemos cerrado tu consulta")
    assert stack.get_case(case_id)["survey_sent_at"]


def _x_complaint() -> dict:
    """X user 777000111 complains in a DM, written just now."""
    payload = dated(sample_payload("x_dm"), datetime.now(UTC))
    event = payload["direct_message_events"][0]
    event["message_create"]["message_data"]["text"] = (
        "Llevo tres semanas esperando al perito por el siniestro y nadie me llama"
    )
    return signed_event("x", payload)


@pytest.mark.parametrize("channel", ["facebook_comment", "x_dm"])
def test_a_survey_sent_as_a_link_that_could_not_go_at_the_closing_goes_once_renewed(
    stack, tokens, channel
):
    # Given a derived case whose survey is a link (a Facebook commenter's private reply,
    # an X DM), and the platform no longer taking the token the secret holds
    from tests.integration.test_outbound_on_stack import fresh

    if channel == "facebook_comment":
        case_id = deliver(stack, fresh("meta_facebook_comment", "meta"))
    else:
        case_id = deliver(stack, _x_complaint())
    wait_for(stack, case_id, lambda c: c["status"] == "derived")
    action_id = link(email_to(stack, CLAIMS, case_id), "resolved")  # a claim's delay
    if channel == "facebook_comment":
        tokens["facebook_page_tokens"] = {"*": "renewed-page-token"}
    else:
        tokens["x_access_token"], tokens["x_refresh_token"] = "revoked", "revoked-too"
    # When the department resolves it (the survey is owed), and the stream's retries of
    # the owed survey are spent
    assert act(stack, action_id, "resolved")[0] == 200
    wait_for(stack, case_id, lambda c: c["status"] == "resolved")
    stack.wait_for_streams(timeout=60)
    assert stack.platforms.state.sent == []
    assert stack.triage_failures() == 1
    # And ops put the renewed token in the secret, and `socialcare replay` runs
    if channel == "facebook_comment":
        _put_secret(stack, facebook_page_tokens={"*": "renewed-page-token"})
    else:
        tokens["x_access_token"], tokens["x_refresh_token"] = "a-new", "r-new"
        _put_secret(stack, x_access_token="a-new", x_refresh_token="r-new", x_token_expires_at=0)
    replayed = stack.replay_failed_deliveries()
    stack.wait_for_streams(timeout=30)
    # Then the survey's link went, once, and the queue is empty
    [survey] = stack.platforms.state.sent
    assert "/survey/" in survey["text"], replayed
    assert stack.get_case(case_id)["survey_sent_at"]
    assert stack.triage_failures() == 0
