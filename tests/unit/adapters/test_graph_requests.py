"""The Graph adapter's requests and its reading of Meta's answers, against scripted answers
(the shapes of Meta's documentation): where it looks for a reply after a timeout, what a
5xx to a write means, the error codes, appsecret_proof, the Instagram DM endpoint, and
usage headers kept per business object."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest

from socialcare.adapters.platform_api.http import HttpAnswer
from socialcare.adapters.platform_api.meta import FIND_PAGES, GraphApi
from socialcare.domain.messages import Channel
from socialcare.domain.outbound import Delivery, DeliveryMode, OutboundKind, OutboundTarget
from socialcare.domain.platform_errors import (
    CannotTell,
    FateUnknown,
    PlatformBusy,
    PlatformFailed,
    PlatformRefused,
    PlatformTokenInvalid,
    TokenProblem,
)
from tests.http_fakes import ScriptedHttp
from tests.outbound_fakes import an_action
from tests.token_fakes import ContainerTokens, SharedSecret

PAGE, OTHER_PAGE, IG_ACCOUNT = "104857600000001", "104857600000002", "17841400000000001"
REPLY_TEXT = "Hola Ana, te escribimos por privado."
TOKENS = {
    "facebook_page_tokens": {"*": "page-token"},
    "instagram_tokens": {"*": "linked-page-token"},
    "whatsapp_token": "wa-token",
    "whatsapp_phone_number_id": "106540352242922",
}


def ok(body: dict[str, Any], headers: dict[str, str] | None = None) -> HttpAnswer:
    return HttpAnswer(200, headers or {}, body)


def error(
    status: int, code: int, subcode: int | None = None, headers: dict[str, str] | None = None
) -> HttpAnswer:
    body: dict[str, Any] = {"message": f"(#{code})", "type": "OAuthException", "code": code}
    if subcode:
        body["error_subcode"] = subcode
    body["fbtrace_id"] = "AbC"
    return HttpAnswer(status, headers or {}, {"error": body})


def graph(http: ScriptedHttp, **tokens: Any) -> GraphApi:
    secret = ContainerTokens(SharedSecret({**TOKENS, **tokens}))
    return GraphApi(http, "https://graph.facebook.com/v21.0", secret, clock=lambda: 1000.0)  # type: ignore[arg-type]


def comment_reply(channel: Channel = Channel.FACEBOOK_COMMENT, **target: Any) -> Delivery:
    account = IG_ACCOUNT if channel is Channel.INSTAGRAM_COMMENT else PAGE
    where = OutboundTarget(account_id=account, message_id="c_1", author_id="42", **target)
    action = an_action(OutboundKind.PUBLIC_REPLY, channel, text=REPLY_TEXT, target=where)
    return Delivery(action, DeliveryMode.COMMENT_REPLY)


def message(channel: Channel = Channel.MESSENGER, account: str = PAGE) -> Delivery:
    where = OutboundTarget(account_id=account, message_id="m_1", conversation_id="5123")
    return Delivery(an_action(OutboundKind.MESSAGE, channel, target=where), DeliveryMode.RESPONSE)


def replies(
    items: list[tuple[str, str]], *, after: str | None = None, text_key: str = "message"
) -> HttpAnswer:
    """A page of a comment's replies, as https://developers.facebook.com/docs/graph-api/results
    shows them: `next` only when more follow."""
    data = [{"id": f"r_{i}", "from": {"id": a}, text_key: t} for i, (a, t) in enumerate(items)]
    body: dict[str, Any] = {"data": data}
    if after:
        body["paging"] = {
            "cursors": {"before": "QkVG", "after": after},
            "next": f"https://graph.facebook.com/v21.0/c_1/comments?limit=100&after={after}",
        }
    return ok(body)


CROWD = [("9", f"¡Yo también! {i}") for i in range(100)]


def test_after_a_timeout_facebook_replies_are_read_newest_first_and_page_by_page():
    # Given a busy comment: the brand's reply is not on the first page of 100
    http = ScriptedHttp([replies(CROWD, after="QUZU"), replies([*CROWD[:20], (PAGE, REPLY_TEXT)])])
    # When the adapter asks whether its reply went through
    found = graph(http).find_sent(comment_reply())
    # Then it asked newest first, followed the next page with its cursor, and found it
    assert found == "r_20"
    assert http.query(0)["order"] == "reverse_chronological"
    assert http.query(1)["after"] == "QUZU" and http.path(1) == "/v21.0/c_1/comments"


def test_after_a_timeout_instagram_replies_are_followed_to_the_end_without_an_order():
    # Given an Instagram comment whose replies span two pages (no order documented)
    http = ScriptedHttp(
        [
            replies(CROWD, after="QUZU", text_key="text"),
            replies([(IG_ACCOUNT, REPLY_TEXT)], text_key="text"),
        ]
    )
    # When the adapter looks for its reply
    found = graph(http).find_sent(comment_reply(Channel.INSTAGRAM_COMMENT))
    # Then it read both pages of /replies, asking no order the edge does not document
    assert found == "r_0"
    assert "order" not in http.query(0) and http.path(0) == "/v21.0/c_1/replies"


def test_past_its_pages_the_adapter_cannot_tell_rather_than_answer_not_sent():
    # Given more pages of other people's replies than the adapter reads
    http = ScriptedHttp([replies(CROWD, after=f"P{i}") for i in range(FIND_PAGES)])
    # When it looks for its reply, Then it says it cannot tell (never "not sent")
    with pytest.raises(CannotTell):
        graph(http).find_sent(comment_reply())
    assert len(http.requests) == FIND_PAGES


def test_a_reply_to_an_instagram_reply_is_looked_for_under_the_top_level_comment():
    # Given the customer's comment c_1 is itself a reply to comment c_top
    http = ScriptedHttp([replies([(IG_ACCOUNT, REPLY_TEXT)], text_key="text")])
    # When the adapter looks for the brand's reply
    graph(http).find_sent(comment_reply(Channel.INSTAGRAM_COMMENT, parent_id="c_top"))
    # Then it reads c_top's replies, where Meta put it
    assert http.path(0) == "/v21.0/c_top/replies"


@pytest.mark.parametrize("status", [500, 503])
def test_a_5xx_to_a_write_may_have_been_done(status):
    # Given Graph answers a reply's POST with a server error
    http = ScriptedHttp([error(status, 2)])
    # When the reply is sent, Then its fate is unknown (the use case asks before resending)
    with pytest.raises(FateUnknown):
        graph(http).send(comment_reply())


def test_a_5xx_to_a_read_did_nothing():
    http = ScriptedHttp([error(500, 1)])
    with pytest.raises(PlatformFailed):
        graph(http).find_sent(comment_reply())


def test_code_2_to_a_message_may_be_a_customer_who_blocked_the_page():
    # Given Messenger's code 2 ("unexpected error ... or a customer has blocked your
    # business") with a 400
    http = ScriptedHttp([error(400, 2)])
    # When a message is sent, Then it is not retried as "surely not sent"
    with pytest.raises(FateUnknown):
        graph(http).send(message())


def test_a_customer_who_is_not_available_is_a_refusal_that_says_so():
    http = ScriptedHttp([error(400, 551)])
    with pytest.raises(PlatformRefused) as refused:
        graph(http).send(message())
    assert refused.value.code == "551" and "not available" in refused.value.reason


@pytest.mark.parametrize("code", [10, 200, 230, 299])
def test_a_permission_error_waits_for_a_person_like_a_token_problem(code):
    # Given a permission Meta says was "not granted or removed"
    http = ScriptedHttp([error(400, code), error(400, code)])  # the renewed read: same token
    # When a message is sent, Then it is a token problem (deferred, alarmed), never final
    with pytest.raises(PlatformTokenInvalid) as invalid:
        graph(http).send(message())
    assert invalid.value.problem is TokenProblem.PERMISSION


def test_outside_the_messaging_window_is_still_a_refusal():
    http = ScriptedHttp([error(400, 10, 2018278)])
    with pytest.raises(PlatformRefused) as refused:
        graph(http).send(message())
    assert refused.value.code == "10/2018278"


@pytest.mark.parametrize("code", [341, 368])
def test_wait_and_retry_codes_are_busy(code):
    with pytest.raises(PlatformBusy):
        graph(ScriptedHttp([error(400, code)])).send(comment_reply())


def test_an_instagram_dm_is_sent_as_the_linked_page():
    # Given an Instagram DM to the brand's Instagram account (Facebook Login)
    http = ScriptedHttp([ok({"recipient_id": "5123", "message_id": "m_9"})])
    # When the brand answers
    graph(http).send(message(Channel.INSTAGRAM_DM, account=IG_ACCOUNT))
    # Then the call is POST /me/messages with the linked Page's token
    assert http.path(0) == "/v21.0/me/messages"
    assert http.requests[0]["headers"]["Authorization"] == "Bearer linked-page-token"
    assert http.requests[0]["body"]["recipient"] == {"id": "5123"}


def test_every_graph_call_carries_its_appsecret_proof_when_the_app_secret_is_set():
    # Given the Meta app's secret among the tokens
    http = ScriptedHttp([error(500, 2), replies([(PAGE, REPLY_TEXT)])])
    api = graph(http, meta_app_secret="s3cret")
    # When a reply is sent, and then looked for
    with pytest.raises(FateUnknown):
        api.send(comment_reply())
    api.find_sent(comment_reply())
    # Then both calls carry hex(HMAC-SHA256(app secret, token))
    proof = hmac.new(b"s3cret", b"page-token", hashlib.sha256).hexdigest()
    assert [http.query(i).get("appsecret_proof") for i in (0, 1)] == [proof, proof]


def test_without_an_app_secret_no_proof_is_sent():
    http = ScriptedHttp([ok({"id": "r_1"})])
    graph(http).send(comment_reply())
    assert "appsecret_proof" not in http.query(0)


def usage(object_id: str, minutes: float) -> dict[str, str]:
    entry = {"type": "pages", "call_count": 100, "estimated_time_to_regain_access": minutes}
    return {"x-business-use-case-usage": json.dumps({object_id: [entry]})}


def test_one_page_told_to_wait_does_not_stop_the_other_pages():
    # Given Page A told to wait 30 minutes
    http = ScriptedHttp([error(400, 80001, headers=usage(PAGE, 30)), ok({"id": "r"})])
    api = graph(http)
    with pytest.raises(PlatformBusy):
        api.send(comment_reply())
    # When a reply goes out on Page B, Then it is sent
    other = OutboundTarget(account_id=OTHER_PAGE, message_id="c_2", author_id="7")
    api.send(Delivery(an_action(target=other), DeliveryMode.COMMENT_REPLY))
    assert http.path(1) == "/v21.0/c_2/comments"
    # ... and Page A still waits, without a call
    with pytest.raises(PlatformBusy) as busy:
        api.send(comment_reply())
    assert busy.value.retry_after == 30 * 60 and len(http.requests) == 2


def test_a_business_account_named_by_the_usage_header_holds_back_its_phone_number():
    # Given a WhatsApp send whose answer says the business account (WABA) must wait
    http = ScriptedHttp([ok({"messages": [{"id": "wamid.1"}]}, usage("WABA_1", 5))])
    api = graph(http)
    whatsapp = message(Channel.WHATSAPP, account="106540352242922")
    api.send(Delivery(whatsapp.action, DeliveryMode.TEXT))
    # When the next message goes from that number, Then it waits, without a call
    with pytest.raises(PlatformBusy):
        api.send(Delivery(whatsapp.action, DeliveryMode.TEXT))
    assert len(http.requests) == 1
