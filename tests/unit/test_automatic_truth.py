"""What config sends by itself says nothing false either: a hidden comment's private
follow-up goes before the public notice that says "we are writing to you privately", and
when it cannot go the notice says how to reach the brand instead."""

from __future__ import annotations

from datetime import time, timedelta

from socialcare.app.answers import automatic_answers
from socialcare.config.loaders import outbound_config
from socialcare.domain.calendar import BusinessCalendar, WorkingInterval
from socialcare.domain.cases import TriageRecord
from socialcare.domain.outbound import OutboundKind
from tests.outbound_fakes import ScriptedPlatform, outbound_dependencies
from tests.unit.test_publish_truth import a_comment

NOTICE = "Hola Lucía, hemos ocultado tu comentario. Te escribimos por privado para seguir allí."
FOLLOWUP = "Hola Lucía, te escribimos por aquí porque tu comentario contenía datos personales."
ALWAYS = BusinessCalendar(
    "UTC", {day: (WorkingInterval(time(0), time(23, 59)),) for day in range(7)}
)


def a_comment_exposing_data(written_ago: timedelta):
    triage = TriageRecord(
        category="complaint",
        flags=("personal_data_exposed",),
        hidden_notice=NOTICE,
        followup=FOLLOWUP,
    )
    return a_comment(written_ago=written_ago, triage=triage)


def test_the_private_follow_up_goes_before_the_notice_that_says_so():
    # Given a comment exposing a phone, written a minute ago
    platform = ScriptedPlatform()
    deps = outbound_dependencies(platform=platform, config=outbound_config())
    # When config answers it by itself
    automatic_answers(a_comment_exposing_data(timedelta(minutes=1)), deps, ALWAYS)
    # Then: hidden, followed up privately, and only then the public notice
    kinds = [d.action.kind for d in platform.done]
    assert kinds == [OutboundKind.HIDE, OutboundKind.PRIVATE_REPLY, OutboundKind.PUBLIC_REPLY]
    assert platform.done[-1].action.text == NOTICE


def test_a_notice_whose_private_follow_up_cannot_go_says_how_to_reach_the_brand():
    # Given a comment exposing a phone that reaches triage 8 days after it was written
    platform = ScriptedPlatform()
    deps = outbound_dependencies(platform=platform, config=outbound_config())
    # When config answers it by itself
    automatic_answers(a_comment_exposing_data(timedelta(days=8)), deps, ALWAYS)
    # Then the comment is hidden and the notice promises no private message
    [notice] = [d.action.text for d in platform.done if d.action.kind is OutboundKind.PUBLIC_REPLY]
    assert "Te escribimos por privado" not in notice, notice
    assert "900 000 000" in notice
