"""The satisfaction survey, with in-memory fakes: asked once when a case closes, in the
customer's channel and language; answered once (the first answer stands); a low score
opens a follow-up and alerts the social team once."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from socialcare.app.low_scores import alert_low_score
from socialcare.app.outbound import Result
from socialcare.app.surveys import (
    SurveyDependencies,
    SurveyPageState,
    ask_for_satisfaction,
    show_survey,
    submit_survey,
)
from socialcare.config.loaders import survey_config
from socialcare.domain.cases import SurveyState, TriageRecord
from socialcare.domain.messages import Channel
from socialcare.domain.outbound import DeliveryMode, OutboundTarget
from socialcare.domain.survey_answers import SurveyAnswer, SurveyRecorded, TapOrigin
from tests.fakes import InMemoryWorkflowStore, a_case
from tests.outbound_fakes import NOW, ScriptedPlatform, outbound_dependencies
from tests.unit.test_case_triage import deps as triage_deps

CASE_ID = "20261124-0123456789abcdef"


def a_closed_case(channel: Channel = Channel.TELEGRAM, *, category: str = "complaint", **fields):
    public = channel.is_public
    values = {
        "platform": channel.platform.value,
        "channel": channel.value,
        "public": public,
        "triage": TriageRecord(category=category, priority="P2"),
        "reply_to": OutboundTarget(
            account_id="104857600000001",
            message_id="4411" if channel is Channel.TELEGRAM else "998877665544_1",
            conversation_id=None if public else "555000111",
            author_id="42",
        ),
        "first_message_at": (NOW - timedelta(hours=2)).isoformat(),
        "last_message_at": (NOW - timedelta(hours=2)).isoformat(),
    }
    values.update(fields)
    return a_case(CASE_ID, **values)


def survey_dependencies(store, platform=None, *, mode="live"):
    return SurveyDependencies(
        cases=store,
        surveys=store,
        outbound=outbound_dependencies(platform=platform, mode=mode),
        config=survey_config(),
        clock=lambda: NOW,
        default_language="es",
        page_url=lambda link_id: f"https://api.example/survey/{link_id}",
        token=iter(f"{n:032d}" for n in range(100)).__next__,
    )


def test_a_resolved_telegram_case_asks_with_five_buttons_in_the_customer_language():
    # Given a complaint on Telegram, from a customer who writes in English, now resolved
    store = InMemoryWorkflowStore()
    store.add(a_closed_case(language="en"))
    platform = ScriptedPlatform(["tg_1"])
    deps = survey_dependencies(store, platform)
    # When the closing asks for satisfaction
    outcome = ask_for_satisfaction(store.case(CASE_ID), "resolved", deps)
    # Then one message with the five choices went to the chat, and the case knows it
    assert outcome.result is Result.SENT
    [delivery] = platform.done
    assert delivery.mode is DeliveryMode.CHAT_MESSAGE
    assert delivery.action.text.startswith("We have closed your request")
    assert [c.payload for c in delivery.action.choices] == [
        f"csat:{CASE_ID}:{n}" for n in range(1, 6)
    ]
    assert store.case(CASE_ID).survey.sent_at is not None
    # And asking again (a retried closing) sends nothing more
    assert ask_for_satisfaction(store.case(CASE_ID), "resolved", deps) is None
    assert platform.calls == 1


def test_a_public_commenter_is_asked_through_the_one_private_reply_with_a_link():
    # Given a resolved complaint made in a Facebook comment
    store = InMemoryWorkflowStore()
    store.add(a_closed_case(Channel.FACEBOOK_COMMENT))
    platform = ScriptedPlatform(["m_1"])
    deps = survey_dependencies(store, platform)
    # When the closing asks
    ask_for_satisfaction(store.case(CASE_ID), "contacted", deps)
    # Then the private reply carries the survey page's link, never a public reply
    [delivery] = platform.done
    assert delivery.mode is DeliveryMode.PRIVATE_REPLY
    survey = store.case(CASE_ID).survey
    assert f"https://api.example/survey/{CASE_ID}.{survey.link_key}" in delivery.action.text
    assert delivery.action.choices == ()


def test_a_comment_whose_private_reply_was_used_is_not_asked():
    # Given a comment that already got its one private reply (a follow-up)
    store = InMemoryWorkflowStore()
    store.add(a_closed_case(Channel.FACEBOOK_COMMENT))
    platform = ScriptedPlatform(["m_1", "m_2"])
    deps = survey_dependencies(store, platform)
    from socialcare.app.answers import action_on, send_on
    from socialcare.domain.outbound import Origin, OutboundKind

    case = store.case(CASE_ID)
    followup = action_on(
        case,
        OutboundKind.PRIVATE_REPLY,
        "Te escribimos",
        origin=Origin.SOCIAL_TEAM,
        actor="social team",
        purpose="publish",
    )
    send_on(case, followup, deps.outbound)
    # When the closing asks for satisfaction
    outcome = ask_for_satisfaction(store.case(CASE_ID), "resolved", deps)
    # Then it is blocked (one private reply per comment) and the survey is not marked sent
    assert outcome.result is Result.BLOCKED and outcome.code == "already_asked"
    assert platform.calls == 1
    assert store.case(CASE_ID).survey is None or store.case(CASE_ID).survey.sent_at is None


def test_praise_and_breached_closings_do_not_ask():
    # Given config/surveys.yaml (questions, complaints and incidents; resolved, contacted)
    store = InMemoryWorkflowStore()
    store.add(a_closed_case(category="praise"))
    platform = ScriptedPlatform()
    deps = survey_dependencies(store, platform)
    # When a praise is closed, and a complaint closes as breached
    praise = ask_for_satisfaction(store.case(CASE_ID), "resolved", deps)
    store.add(a_closed_case())
    breached = ask_for_satisfaction(store.case(CASE_ID), "breached", deps)
    # Then nobody is asked
    assert praise is None and breached is None and platform.calls == 0


def test_whatsapp_outside_its_window_gets_no_survey_and_no_template():
    # Given a WhatsApp case whose customer wrote 30 hours ago
    store = InMemoryWorkflowStore()
    old = (NOW - timedelta(hours=30)).isoformat()
    store.add(a_closed_case(Channel.WHATSAPP, first_message_at=old, last_message_at=old))
    platform = ScriptedPlatform()
    # When the closing asks
    outcome = ask_for_satisfaction(
        store.case(CASE_ID), "resolved", survey_dependencies(store, platform)
    )
    # Then nothing goes out (an approved template cannot carry the survey)
    assert outcome.result is Result.BLOCKED and platform.calls == 0


def test_a_dry_run_records_the_survey_but_does_not_count_it_as_sent():
    store = InMemoryWorkflowStore()
    store.add(a_closed_case())
    outcome = ask_for_satisfaction(
        store.case(CASE_ID), "resolved", survey_dependencies(store, mode="dry_run")
    )
    assert outcome.result is Result.DRY_RUN
    assert store.case(CASE_ID).survey is None


def an_answer(
    score: int,
    key: str = "telegram:bot:callback:1",
    author: str = "42",
    channel: Channel = Channel.TELEGRAM,
):
    # Tapped where a_closed_case's customer wrote: its account and (Telegram) its chat
    chat = "555000111" if channel is Channel.TELEGRAM else None
    return SurveyAnswer(
        case_id=CASE_ID,
        score=score,
        channel=channel,
        author_id=author,
        origin=TapOrigin(account_id="104857600000001", chat_id=chat),
        answered_at=NOW,
        answer_key=key,
    )


def test_the_first_answer_stands_a_redelivery_is_the_same_and_a_later_one_is_noted():
    # Given a case whose survey was sent
    store = InMemoryWorkflowStore()
    store.add(a_closed_case(survey=SurveyState(sent_at="2026-11-24T10:00:00Z", form="choices")))
    # When the customer taps 4, the platform redelivers it, then they tap 5
    first = store.record_survey_answer(an_answer(4), NOW)
    again = store.record_survey_answer(an_answer(4), NOW)
    later = store.record_survey_answer(an_answer(5, key="telegram:bot:callback:2"), NOW)
    # Then 4 stands; the second tap is on the timeline
    assert (first, again, later) == (
        SurveyRecorded.RECORDED,
        SurveyRecorded.RECORDED,
        SurveyRecorded.LATER_NOTED,
    )
    assert store.case(CASE_ID).survey.score == 4
    assert [e["score"] for e in store.events(CASE_ID, "survey_answer_later")] == [5]


def test_one_later_answer_is_noted_and_the_rest_are_dropped():
    # Given a case whose survey was answered 4
    store = InMemoryWorkflowStore()
    store.add(a_closed_case(survey=SurveyState(sent_at="2026-11-24T10:00:00Z", form="choices")))
    store.record_survey_answer(an_answer(4), NOW)
    # When thirty more taps arrive, each a new answer
    later = [
        store.record_survey_answer(an_answer(1 + n % 5, key=f"telegram:bot:callback:{n + 2}"), NOW)
        for n in range(30)
    ]
    # Then the first is noted, the others acknowledged and dropped; 4 stands
    assert later[0] is SurveyRecorded.LATER_NOTED
    assert set(later[1:]) == {SurveyRecorded.LATER_DROPPED}
    assert len(store.events(CASE_ID, "survey_answer_later")) == 1
    assert store.case(CASE_ID).survey.score == 4


def test_a_tap_counts_only_on_the_channel_the_choices_were_sent_in():
    # Given an Instagram commenter asked through the page's link, and a Telegram customer
    # "42" asked with buttons
    store = InMemoryWorkflowStore()
    sent = "2026-11-24T10:00:00Z"
    link = SurveyState(sent_at=sent, form="link")
    store.add(a_closed_case(Channel.INSTAGRAM_COMMENT, survey=link))
    tap = an_answer(1, author="42", channel=Channel.INSTAGRAM_DM)
    assert store.record_survey_answer(tap, NOW) is SurveyRecorded.NOT_ASKED
    store.add(a_closed_case(survey=SurveyState(sent_at=sent, form="choices")))
    # When user "42" of another platform, or of another channel, taps
    for channel in (Channel.X_DM, Channel.MESSENGER, Channel.WHATSAPP):
        tap = an_answer(1, author="42", channel=channel)
        assert store.record_survey_answer(tap, NOW) is SurveyRecorded.NOT_ASKED
    # Then nothing counted; the case's own customer on Telegram does
    assert store.case(CASE_ID).survey.score is None
    assert store.record_survey_answer(an_answer(5), NOW) is SurveyRecorded.RECORDED


def test_only_the_asked_customer_answers_and_only_when_asked():
    store = InMemoryWorkflowStore()
    store.add(a_closed_case())
    # No survey sent yet: a forged or stale tap is ignored
    assert store.record_survey_answer(an_answer(1), NOW) is SurveyRecorded.NOT_ASKED
    sent = SurveyState(sent_at="2026-11-24T10:00:00Z", form="choices")
    store.add(replace(store.case(CASE_ID), survey=sent))
    # Someone else's tap is ignored
    assert store.record_survey_answer(an_answer(1, author="99"), NOW) is SurveyRecorded.NOT_ASKED
    assert store.case(CASE_ID).survey.score is None


def test_a_low_score_opens_a_follow_up_and_alerts_the_social_team_once():
    # Given a survey answered 2 out of 5
    store = InMemoryWorkflowStore()
    store.add(a_closed_case(survey=SurveyState(sent_at="2026-11-24T10:00:00Z", form="choices")))
    store.record_survey_answer(an_answer(2), NOW)
    deps = triage_deps(store)
    # When the LOW_SCORE record arrives twice (a stream redelivery)
    first = alert_low_score(CASE_ID, deps)
    second = alert_low_score(CASE_ID, deps)
    # Then the follow-up is open on the case and the team got one email naming the score
    assert store.events(CASE_ID, "follow_up_opened")
    assert (first, second) == (True, False)
    [subject] = deps.email.subjects()
    assert "2/5" in subject and CASE_ID in subject


def test_the_low_score_of_a_case_no_longer_there_alerts_nobody_and_raises_nothing():
    # Given the LOW_SCORE record of a case erased before the stream brought it
    deps = triage_deps(InMemoryWorkflowStore())
    # When it is handled, then nothing is sent and nothing is left to retry
    assert alert_low_score(CASE_ID, deps) is False
    assert deps.email.subjects() == []


def test_the_survey_page_asks_without_recording_then_records_one_answer():
    # Given a case asked through a link
    store = InMemoryWorkflowStore()
    store.add(a_closed_case(Channel.FACEBOOK_COMMENT))
    deps = survey_dependencies(store, ScriptedPlatform(["m_1"]))
    ask_for_satisfaction(store.case(CASE_ID), "resolved", deps)
    link_id = f"{CASE_ID}.{store.case(CASE_ID).survey.link_key}"
    # When the page is opened (a scanner would), then answered with a comment
    shown = show_survey(link_id, deps)
    assert shown.state is SurveyPageState.ASK and store.case(CASE_ID).survey.score is None
    form = {"csrf_token": shown.csrf_token, "score": "3", "comment": "Tardasteis un poco"}
    thanks = submit_survey(link_id, form, deps)
    again = submit_survey(link_id, {**form, "score": "5"}, deps)
    # Then 3 stands with its comment; the second post is told it was answered already
    assert thanks.state is SurveyPageState.THANKS
    assert (again.state, again.score) == (SurveyPageState.ALREADY, 3)
    assert store.fields[CASE_ID]["survey_comment"] == "Tardasteis un poco"


def test_the_survey_page_refuses_forged_links_tokens_and_scores():
    store = InMemoryWorkflowStore()
    store.add(a_closed_case(Channel.FACEBOOK_COMMENT))
    deps = survey_dependencies(store, ScriptedPlatform(["m_1"]))
    ask_for_satisfaction(store.case(CASE_ID), "resolved", deps)
    key = store.case(CASE_ID).survey.link_key
    link_id = f"{CASE_ID}.{key}"
    csrf = show_survey(link_id, deps).csrf_token
    assert show_survey(f"{CASE_ID}.{'x' * 32}", deps).state is SurveyPageState.NOT_FOUND
    assert show_survey("../../etc/passwd", deps).state is SurveyPageState.NOT_FOUND
    forged = submit_survey(link_id, {"csrf_token": "nope", "score": "5"}, deps)
    assert forged.state is SurveyPageState.FORBIDDEN
    for score in ("0", "6", "4.5", "", "five"):
        page = submit_survey(link_id, {"csrf_token": csrf, "score": score}, deps)
        assert page.state is SurveyPageState.INVALID
    assert store.case(CASE_ID).survey.score is None
