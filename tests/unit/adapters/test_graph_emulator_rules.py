"""The emulator's Graph API is strict where Meta is: appsecret_proof, lists paged with
cursors and `paging.next`, newest first when asked, Meta's error bodies, usage headers
keyed by the page, Instagram DMs only as the Page, replies to a reply under the top-level
comment, and a write that is done before a 500 (the outbound use case then sends once)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest

from socialcare.adapters.platform_api.http import HttpAnswer, HttpClient
from socialcare.adapters.platform_api.meta import GraphApi
from socialcare.app.outbound import Result, deliver
from socialcare.domain.messages import Author, Channel, InboundMessage, ReplyTarget
from socialcare.domain.outbound import OutboundKind, OutboundStatus, OutboundTarget
from socialcare_cli.local.platform_emulator import LOCAL_TOKENS, PlatformEmulator
from tests.outbound_fakes import a_conversation, an_action, outbound_dependencies
from tests.token_fakes import ContainerTokens, SharedSecret

PAGE, IG_ACCOUNT = "104857600000001", "17841400000000001"
TOKEN = LOCAL_TOKENS["facebook_page_tokens"]["*"]


@pytest.fixture
def emulator() -> Iterator[PlatformEmulator]:
    emulator = PlatformEmulator().start()
    yield emulator
    emulator.stop()


def wrote(emulator, channel: Channel, comment_id: str, account=PAGE, **target: Any) -> None:
    at = datetime.now(UTC) - timedelta(minutes=5)
    emulator.state.learn(
        [
            InboundMessage.on(
                channel,
                text="hola",
                author=Author(id="42"),
                dedup_key=comment_id,
                reply_to=ReplyTarget(account_id=account, message_id=comment_id, **target),
                sent_at=at,
                received_at=at,
            )
        ]
    )


def proof(token: str = TOKEN) -> str:
    secret = LOCAL_TOKENS["meta_app_secret"].encode()
    return hmac.new(secret, token.encode(), hashlib.sha256).hexdigest()


def call(emulator, method: str, path: str, query=None, body=None, token: str = TOKEN) -> HttpAnswer:
    query = {"appsecret_proof": proof(token), **(query or {})}
    url = f"{emulator.url}/v21.0/{path}?{urlencode(query)}"
    headers = {"Authorization": f"Bearer {token}"}
    return HttpClient(read_timeout=2).request(method, url, json_body=body, headers=headers)


def test_a_call_without_its_appsecret_proof_or_with_a_wrong_one_is_refused(emulator):
    # Given a comment on the page and an app that requires appsecret_proof
    wrote(emulator, Channel.FACEBOOK_COMMENT, "c_1")
    url = f"{emulator.url}/v21.0/c_1/comments"
    headers = {"Authorization": f"Bearer {TOKEN}"}
    http = HttpClient(read_timeout=2)
    # When calls come without a proof, and with a wrong one
    missing = http.request("POST", url, json_body={"message": "x"}, headers=headers)
    wrong = http.request(
        "POST", f"{url}?appsecret_proof={'0' * 64}", json_body={"message": "x"}, headers=headers
    )
    # Then Meta's refusals, and nothing was done
    assert missing.status == wrong.status == 400
    assert missing.body["error"]["code"] == wrong.body["error"]["code"] == 100
    assert wrong.body["error"] == {
        "message": "Invalid appsecret_proof provided in the API argument",
        "type": "GraphMethodException",
        "code": 100,
        "fbtrace_id": "local",
    }
    assert "appsecret_proof" in missing.body["error"]["message"]
    assert emulator.state.sent == []


def test_replies_are_paged_with_cursors_and_newest_first_when_asked(emulator):
    # Given a comment with 150 replies
    wrote(emulator, Channel.FACEBOOK_COMMENT, "c_1")
    for n in range(150):
        emulator.state.reply_to_comment("c_1", f"reply {n}", "facebook")
    # When its replies are read 100 at a time, newest first, and the next page after
    first = call(
        emulator, "GET", "c_1/comments", {"limit": "100", "order": "reverse_chronological"}
    ).body
    after = first["paging"]["cursors"]["after"]
    second = call(
        emulator,
        "GET",
        "c_1/comments",
        {"limit": "100", "order": "reverse_chronological", "after": after},
    ).body
    default = call(emulator, "GET", "c_1/comments").body
    # Then 100, then 50 with no `next`, newest first; without order: oldest first, 25
    assert [r["message"] for r in first["data"][:2]] == ["reply 149", "reply 148"]
    assert len(first["data"]) == 100 and "next" in first["paging"]
    assert len(second["data"]) == 50 and "next" not in second["paging"]
    assert second["data"][-1]["message"] == "reply 0"
    assert len(default["data"]) == 25 and default["data"][0]["message"] == "reply 0"


def test_an_order_graph_does_not_know_is_refused(emulator):
    wrote(emulator, Channel.FACEBOOK_COMMENT, "c_1")
    answer = call(emulator, "GET", "c_1/comments", {"order": "newest"})
    assert answer.status == 400 and answer.body["error"]["code"] == 100


def test_a_reply_to_an_instagram_reply_lands_under_the_top_level_comment(emulator):
    # Given an Instagram comment c_top and a customer's reply c_2 under it
    wrote(emulator, Channel.INSTAGRAM_COMMENT, "c_top", account=IG_ACCOUNT)
    wrote(emulator, Channel.INSTAGRAM_COMMENT, "c_2", account=IG_ACCOUNT, parent_id="c_top")
    token = LOCAL_TOKENS["instagram_tokens"]["*"]
    # When the brand replies to c_2
    made = call(emulator, "POST", "c_2/replies", body={"message": "Hola"}, token=token)
    # Then the reply is listed under c_top, not c_2
    assert made.status == 200
    under_top = call(emulator, "GET", "c_top/replies", token=token).body["data"]
    under_reply = call(emulator, "GET", "c_2/replies", token=token).body["data"]
    assert [r["id"] for r in under_top] == [made.body["id"]] and under_reply == []


def test_an_instagram_dm_to_the_instagram_account_id_is_refused_on_graph_facebook(emulator):
    # Given a customer's Instagram DM to the brand's Instagram account
    wrote(emulator, Channel.INSTAGRAM_DM, "m_1", account=IG_ACCOUNT, conversation_id="5123")
    token = LOCAL_TOKENS["instagram_tokens"]["*"]
    body = {"recipient": {"id": "5123"}, "message": {"text": "Hola"}, "messaging_type": "RESPONSE"}
    # When the brand answers at the Instagram account id, and as the Page (`me`)
    wrong = call(emulator, "POST", f"{IG_ACCOUNT}/messages", body=body, token=token)
    right = call(emulator, "POST", "me/messages", body=body, token=token)
    # Then only the Page's endpoint is taken (Facebook Login)
    assert wrong.status == 400 and wrong.body["error"]["code"] == 100
    assert right.status == 200


def test_a_rate_limit_names_the_page_that_must_wait(emulator):
    wrote(emulator, Channel.FACEBOOK_COMMENT, "c_1")
    emulator.set_faults({"rate": 1, "kinds": ["429"]})
    answer = call(emulator, "POST", "c_1/comments", body={"message": "x"})
    assert answer.status == 429 and answer.body["error"]["code"] == 80001
    assert PAGE in answer.header("x-business-use-case-usage")


def test_acted_then_5xx_does_the_write_and_answers_a_server_error(emulator):
    # Given Graph set to act, then fail, on writes
    wrote(emulator, Channel.FACEBOOK_COMMENT, "c_1")
    emulator.set_faults({"rate": 1, "kinds": ["acted_then_5xx"]})
    # When a reply is posted, and the replies read
    answer = call(emulator, "POST", "c_1/comments", body={"message": "Hola"})
    listed = call(emulator, "GET", "c_1/comments")
    # Then the reply exists, the write got Graph's 500, the read was answered
    assert answer.status == 500 and answer.body["error"]["code"] == 2
    assert [s["kind"] for s in emulator.state.sent] == ["comment_reply"]
    assert listed.status == 200 and len(listed.body["data"]) == 1


def test_a_comment_reply_done_then_answered_500_is_sent_once(emulator):
    # Given a customer's comment and Graph acting on writes, then answering 500
    wrote(emulator, Channel.FACEBOOK_COMMENT, "c_1")
    tokens = ContainerTokens(SharedSecret(LOCAL_TOKENS))
    graph = GraphApi(HttpClient(read_timeout=2), f"{emulator.url}/v21.0", tokens)
    deps = outbound_dependencies(platform=graph)  # type: ignore[arg-type]
    target = OutboundTarget(account_id=PAGE, message_id="c_1", author_id="42")
    action = an_action(OutboundKind.PUBLIC_REPLY, Channel.FACEBOOK_COMMENT, target=target)
    emulator.set_faults({"rate": 1, "kinds": ["acted_then_5xx"]})
    # When the brand's public reply is delivered
    outcome = deliver(action, a_conversation(), deps)
    # Then it is on the comment once, and recorded sent (found after the 500)
    assert [s["kind"] for s in emulator.state.sent] == ["comment_reply"]
    assert outcome.result is Result.SENT
    assert deps.store.records[action.id].status is OutboundStatus.SENT


def test_a_customer_who_blocked_the_page_is_refused_once_with_the_reason(emulator):
    # Given a Messenger customer who wrote, then blocked the page
    wrote(emulator, Channel.MESSENGER, "m_1", conversation_id="5123")
    emulator.state.unavailable.add(("facebook", "5123"))
    tokens = ContainerTokens(SharedSecret(LOCAL_TOKENS))
    graph = GraphApi(HttpClient(read_timeout=2), f"{emulator.url}/v21.0", tokens)
    deps = outbound_dependencies(platform=graph)  # type: ignore[arg-type]
    target = OutboundTarget(account_id=PAGE, message_id="m_1", conversation_id="5123")
    action = an_action(OutboundKind.MESSAGE, Channel.MESSENGER, target=target)
    # When the brand writes to them
    outcome = deliver(action, a_conversation(), deps)
    # Then one call, refused for good, saying why (never retried)
    assert outcome.result is Result.REFUSED and "not available" in (outcome.reason or "")
    assert [c["status"] for c in emulator.calls_made()] == [400]
