"""What a platform or a store said is for the timeline; staff read it in words of their
own language (finding 3 of the fixups of issue 30): a refusal without a code we know, a
deferral, a send whose fate is unknown."""

from __future__ import annotations

from dataclasses import replace

import pytest

from socialcare.app.outbound import Outcome, Result
from socialcare.domain.outbound import OutboundKind, OutboundRecord, OutboundStatus
from socialcare.presentation.case_emails import CaseEmailComposer
from socialcare.presentation.pages import outcome_line
from socialcare.presentation.rendering import strings
from tests.fakes import a_case
from tests.unit.test_workflow_steps import ROUTING

RAW = "(#100) Invalid parameter: recipient.comment_id timeout"


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize(
    "outcome",
    [
        Outcome("a", Result.REFUSED, reason=RAW),
        Outcome("a", Result.BLOCKED, reason=RAW, code="some_new_rule"),
        Outcome("a", Result.DEFERRED, reason=RAW),
    ],
    ids=["refused", "blocked-unmapped", "deferred"],
)
def test_an_outcome_line_never_prints_the_raw_reason(outcome, language):
    # Given an outcome whose reason is the platform's or the code's own words
    t = strings(language)
    # When the reader's page says it
    line = outcome_line(t, OutboundKind.PRIVATE_REPLY, outcome)
    # Then it says it in words, without the raw reason
    assert RAW not in line and "(#100)" not in line, line


def test_a_refusal_with_a_code_we_know_says_what_it_means():
    outcome = Outcome("a", Result.REFUSED, reason="10900: already replied")
    line = outcome_line(strings("es"), OutboundKind.PRIVATE_REPLY, outcome)
    assert strings("es")["refused_10900"] in line and "already replied" not in line


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_digest_says_an_unconfirmed_send_in_words(language):
    # Given a send whose fate the platform never told (the record's reason: "timeout")
    uncertain = OutboundRecord(
        id="u",
        case_id=a_case().id,
        status=OutboundStatus.UNCERTAIN,
        kind="private_reply",
        channel="facebook_comment",
        reason="timeout",
    )
    team = replace(ROUTING.social_team, **{"language": language})
    routing = replace(ROUTING, **{"social_team": team})
    # When the social team's digest lists it
    email = CaseEmailComposer(routing, "https://api.example").autonomous_digest(
        [a_case()], [uncertain]
    )
    # Then in words of its language, never the raw reason
    assert "timeout" not in email.text and "timeout" not in email.html
    assert strings(language)["uncertain_why"] in email.text


def test_the_digest_says_a_failure_without_a_known_code_in_words():
    # Given a send the platform reported failed, with a code we have no words for
    failed = OutboundRecord(
        id="f",
        case_id=a_case().id,
        status=OutboundStatus.FAILED,
        kind="message",
        channel="whatsapp",
        reason="(#131000) Something went wrong",
    )
    # When the social team's digest lists it
    email = CaseEmailComposer(ROUTING, "https://api.example").autonomous_digest(
        [a_case()], [failed]
    )
    # Then in words of its language, never the platform's
    assert "Something went wrong" not in email.text + email.html
    assert strings("es")["reason_on_timeline"] in email.text
