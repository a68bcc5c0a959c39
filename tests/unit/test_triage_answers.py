"""What triage sends on the platforms by itself (config/outbound.yaml), against in-memory
ports: in order, once per action whatever the redeliveries, and what the social team is
told when a send's fate is unknown."""

from __future__ import annotations

from datetime import timedelta

from socialcare.app.case_triage import TriageOutcome, triage_case
from socialcare.config.loaders import outbound_config
from socialcare.domain.cases import CaseAuthor
from socialcare.domain.outbound import OutboundRecord, OutboundStatus, OutboundTarget
from socialcare.domain.platform_errors import PlatformBusy
from tests.conftest import NOW
from tests.outbound_fakes import ScriptedPlatform, outbound_dependencies
from tests.service_fakes import Outbox
from tests.unit.test_case_triage import CASE_ID, PRAISE, a_store, deps

PHONE = "Mi teléfono es 612 345 678, llamadme ya por el siniestro, nadie me atiende"


def a_comment_store(text: str = PHONE):
    return a_store(
        text,
        platform="facebook",
        channel="facebook_comment",
        author=CaseAuthor(id="61", display_name="Lucía Fernández"),
        reply_to=OutboundTarget(
            account_id="104857600000001", message_id="998877665544_1", author_id="61"
        ),
        first_message_at="2026-11-24T09:55:00Z",
        last_message_at="2026-11-24T09:55:00Z",
    )


def test_a_comment_exposing_personal_data_is_hidden_then_followed_up_then_answered():
    # Given a comment with a phone number on the brand's page, and the example config
    store, platform = a_comment_store(), ScriptedPlatform(["c", "r", "m"])
    outbound = outbound_dependencies(platform=platform, config=outbound_config(), clock=lambda: NOW)
    # When it is triaged
    triaged = triage_case(CASE_ID, deps(store, outbound=outbound))
    # Then the comment is hidden first, the private reply follows, and then the notice
    # that says both
    assert [d.action.kind.value for d in platform.done] == ["hide", "private_reply", "public_reply"]
    notice = platform.done[2].action.text
    assert "ocultado" in notice and "612" not in notice
    assert triaged.outcome is TriageOutcome.DERIVED and not triaged.outbound_deferred


def test_an_answer_the_platform_cannot_take_now_comes_back_with_the_record_and_goes_once():
    # Given a platform that rate-limits the private follow-up for ten minutes
    store = a_comment_store()
    platform = ScriptedPlatform(["c", PlatformBusy(600), "r", "m"])
    now = [NOW]
    outbound = outbound_dependencies(
        platform=platform, config=outbound_config(), clock=lambda: now[0]
    )
    # When triaged, and the stream brings the record back twice once the ten minutes passed
    first = triage_case(CASE_ID, deps(store, outbound=outbound))
    now[0] = NOW + timedelta(minutes=10)
    second = triage_case(CASE_ID, deps(store, outbound=outbound))
    third = triage_case(CASE_ID, deps(store, outbound=outbound))
    # Then the case is derived at once, the record is failed until the rest is out,
    # and every action went out exactly once, in order
    assert first.outcome is TriageOutcome.DERIVED and first.outbound_deferred
    assert second.outcome is TriageOutcome.ALREADY_DONE and not second.outbound_deferred
    assert not third.outbound_deferred
    assert [d.action.kind.value for d in platform.done] == ["hide", "private_reply", "public_reply"]


def test_praise_is_not_answered_by_itself_but_gets_a_publish_link():
    # Given praise in a comment
    store, platform = a_comment_store(PRAISE), ScriptedPlatform()
    outbound = outbound_dependencies(platform=platform, config=outbound_config(), clock=lambda: NOW)
    outbox = Outbox()
    # When triaged
    triage_case(CASE_ID, deps(store, outbox, outbound=outbound))
    # Then nothing is sent; the social team's email links to publishing the reply
    assert platform.calls == 0
    case = store.cases[CASE_ID]
    assert case.publish is not None
    [email] = outbox.sent
    assert f"/publish/{CASE_ID}.{case.publish.key}" in email["text"]


def test_sends_of_unknown_fate_are_in_the_social_teams_next_digest_once():
    # Given a send whose fate is unknown, waiting to be reported
    store = a_comment_store(PRAISE)
    store.uncertain.append(
        OutboundRecord(
            "a" * 32,
            "20261124-aaaaaaaaaaaaaaaa",
            OutboundStatus.UNCERTAIN,
            kind="message",
            channel="telegram",
            at="2026-11-24T09:00:00.000Z",
            reason="no answer",
        )
    )
    outbox = Outbox()
    outbound = outbound_dependencies(config=outbound_config(), clock=lambda: NOW)
    # When the next autonomous case's email goes out
    triage_case(CASE_ID, deps(store, outbox, outbound=outbound))
    # Then it lists it, and it is not listed again
    [email] = outbox.sent
    assert "20261124-aaaaaaaaaaaaaaaa" in email["text"] and "Envíos sin confirmar" in email["text"]
    assert store.uncertain == []
