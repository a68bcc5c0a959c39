"""WhatsApp reports later what became of a message it accepted (the `statuses` webhook):
a failure marks the send failed, on the case's timeline and for the social team's next
digest; delivered and read are kept, the latest only. Before, every status was only
logged: a reply WhatsApp could not deliver stayed `sent`.
https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status/
"""

from __future__ import annotations

import json
from dataclasses import asdict

from socialcare.app.outbound import deliver
from socialcare.app.webhook import WebhookDependencies, WebhookRequest, handle_webhook
from socialcare.domain.messages import Channel
from socialcare.domain.outbound import OutboundKind, OutboundStatus
from socialcare_cli.samples import SIGNATURE_HEADERS, signature_for
from tests.conftest import NOW, sample_payload, secrets
from tests.intake_fakes import StoredCases
from tests.outbound_fakes import (
    InMemoryOutboundStore,
    ScriptedPlatform,
    a_conversation,
    an_action,
    outbound_dependencies,
)

FAILED_WAMID = "wamid.HBgLMzQ2MDAxMTEyMjIVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"
READ_WAMID = "wamid.HBgLMzQ2MDAxMTEyMjIVAgARGBJBQkNERUYwMTIzNDU2Nzg5AA=="


def a_sent_whatsapp_reply(store: InMemoryOutboundStore, wamid: str, purpose: str = "publish"):
    """A reply the Cloud API accepted: 200 with this wamid."""
    action = an_action(OutboundKind.MESSAGE, Channel.WHATSAPP, purpose=purpose)
    deps = outbound_dependencies(store, ScriptedPlatform([wamid]))
    assert deliver(action, a_conversation(), deps).message_id == wamid
    return action


def webhook(payload, store: InMemoryOutboundStore):
    raw = json.dumps(payload).encode()
    headers = {SIGNATURE_HEADERS["meta"]: signature_for("meta", raw, asdict(secrets()))}
    cases = StoredCases()
    cases.outbound = store
    deps = WebhookDependencies(
        messages=cases,
        notes=cases,
        delivery_reports=cases,
        survey_answers=cases,
        secrets=secrets,
        clock=lambda: NOW,
        telegram_bot_id="socialcare_bot",
    )
    result = handle_webhook(WebhookRequest("meta", "POST", headers, {}, raw.decode()), deps)
    return result, cases


def test_a_failed_status_marks_the_send_failed_with_the_platforms_code():
    # Given a WhatsApp reply recorded sent with the wamid the Cloud API returned
    store = InMemoryOutboundStore()
    action = a_sent_whatsapp_reply(store, FAILED_WAMID)
    # When WhatsApp reports it failed with 131047 (the 24-hour window had closed)
    result, cases = webhook(sample_payload("meta_whatsapp_failed_status"), store)
    # Then the record is failed with the code and words that say what to do, on the case's
    # timeline and waiting for the social team's next digest; no case was made
    record = store.records[action.id]
    assert record.status is OutboundStatus.FAILED, record.status
    assert record.error_code == 131047
    assert record.reason.startswith("the platform reported it failed (131047)")
    assert "template" in record.reason
    [(case_id, _, data)] = [e for e in store.events if e[1] == "outbound_failed"]
    assert case_id == action.case_id and data["error_code"] == 131047
    assert data["error_title"] == "Re-engagement message"
    assert [r.id for r in store.uncertain] == [action.id]
    assert store.uncertain[0].status is OutboundStatus.FAILED
    assert result.reply.status == 200 and json.loads(result.reply.body)["statuses"] == 1
    assert cases.messages == []


def test_a_redelivered_failure_is_recorded_once():
    store = InMemoryOutboundStore()
    a_sent_whatsapp_reply(store, FAILED_WAMID)
    webhook(sample_payload("meta_whatsapp_failed_status"), store)
    # When Meta delivers the same status again (it retries until it gets a 200)
    result, _ = webhook(sample_payload("meta_whatsapp_failed_status"), store)
    # Then nothing more is written
    assert store.kinds().count("outbound_failed") == 1
    assert len(store.uncertain) == 1
    assert json.loads(result.reply.body)["statuses"] == 0


def test_read_is_kept_and_a_late_delivered_does_not_go_back():
    # Given a sent reply, then `read` and a late `delivered` in one delivery
    store = InMemoryOutboundStore()
    action = a_sent_whatsapp_reply(store, READ_WAMID)
    webhook(sample_payload("meta_whatsapp_read_then_delivered"), store)
    # Then the record keeps `read`, is still sent, and nothing goes on the timeline
    record = store.records[action.id]
    assert (record.status, record.receipt) == (OutboundStatus.SENT, "read")
    assert "outbound_failed" not in store.kinds()


def test_a_status_for_a_message_we_did_not_send_is_acknowledged_and_ignored():
    # Given no send with that wamid (another app on the number, or long expired)
    store = InMemoryOutboundStore()
    # When its failed status arrives
    result, cases = webhook(sample_payload("meta_whatsapp_failed_status"), store)
    # Then 200 (Meta stops retrying), nothing written, the status logged as unknown
    assert result.reply.status == 200
    assert store.events == [] and cases.messages == []
    assert [i.kind for i in result.ignored] == ["status_of_unknown_message"]
