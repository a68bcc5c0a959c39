"""Every email and page a person gets, and a week's report, built from the presentation
layer for the browser tests (the stack's own runs are in test_pages.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from socialcare.adapters.dynamodb.report_days import reported_case
from socialcare.app.action_links import (
    Answered,
    Confirmation,
    LateAnswer,
    LinkGone,
    NotFound,
    Refusal,
    Refused,
    ReplyNotSent,
)
from socialcare.app.follow_ups import FollowUpForm, FollowUpSent
from socialcare.app.outbound import Outcome, Result
from socialcare.app.publish_links import (
    Published,
    PublishForm,
    PublishGone,
    PublishNotFound,
    PublishRefusal,
    PublishRefused,
)
from socialcare.app.surveys import SurveyPage, SurveyPageState
from socialcare.config.loaders import routing_config, survey_config
from socialcare.domain.action_links import ActionChoice, ActionLink, Answer, GoneReason, LinkStatus
from socialcare.domain.cases import CaseAuthor, RouteStop, SurveyState, TriageRecord
from socialcare.domain.crisis import CrisisFacts
from socialcare.domain.derivation import plan_wait
from socialcare.domain.email_delivery import EmailHold, OwedEmail
from socialcare.domain.outbound import OutboundKind, OutboundRecord, OutboundStatus, OutboundTarget
from socialcare.domain.report_kpis import Kpis, PeriodInfo, TopicCount
from socialcare.domain.reporting import KpiAggregator, with_previous
from socialcare.domain.routing import RoutingConfig
from socialcare.presentation.action_pages import page_for
from socialcare.presentation.case_emails import CaseEmailComposer
from socialcare.presentation.follow_up_pages import follow_up_page_for
from socialcare.presentation.notices import report_link_refused
from socialcare.presentation.publish_pages import publish_page_for
from socialcare.presentation.report_files import report_email, report_html
from socialcare.presentation.survey_pages import survey_page_for
from tests.fakes import a_case

ROUTING = routing_config()
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def a_rich_case(**fields):
    values = {
        "platform": "facebook",
        "channel": "facebook_comment",
        "public": True,
        "author": CaseAuthor(id="42", display_name="Lucía Fernández", followers=12840),
        "texts": ("Mi teléfono es 612 345 678, llamadme ya por el siniestro, nadie me atiende",),
        "triage": TriageRecord(
            category="complaint",
            relation="customer",
            priority="P2",
            flags=("personal_data_exposed", "authority_mentioned"),
            public_reply="Hola Lucía, te escribimos por privado.",
            private_reply="Hola Lucía, ¿nos dejas un teléfono para llamarte?",
        ),
        "reply_to": OutboundTarget(
            account_id="104857600000001",
            message_id="104857600000001_998877_1",
            thread_id="104857600000001_998877",
        ),
        "customer_reference": "HOG-2022-009912",
        "deadline": "2026-11-25T17:00:00Z",
        "route": (
            RouteStop("claims", 0, "2026-11-24T09:00:00Z"),
            RouteStop("claims", 1, "2026-11-25T09:00:00Z"),
        ),
    }
    values.update(fields)
    return a_case(**values)


def a_plan(reason="derived", level=0):
    return plan_wait(
        ROUTING,
        department="claims",
        priority="P2",
        level=level,
        now=NOW,
        time_scale=1,
        reason=reason,
    )


def a_link(**changes):
    link = ActionLink(
        id="A" * 32,
        case_id=a_rich_case().id,
        plan=a_plan(),
        csrf_token="C" * 32,
        task_token="token",
        status=LinkStatus.PENDING,
        expires_at=int((NOW + timedelta(days=90)).timestamp()),
    )
    return replace(link, **changes)


def emails(language: str) -> dict[str, str]:
    composer = CaseEmailComposer(ROUTING, "https://api.example")
    case = a_rich_case()
    troll = a_rich_case(
        triage=TriageRecord(category="troll", relation="unknown", priority="P4"), route=()
    )
    uncertain = OutboundRecord(
        id="x",
        case_id=case.id,
        status=OutboundStatus.UNCERTAIN,
        kind="private_reply",
        channel="facebook_comment",
        reason="timeout",
    )
    found = {
        "derivation": composer.derivation(case, a_plan(), "A" * 32, language),
        "escalation": composer.derivation(case, a_plan("escalated", 1), "A" * 32, language),
        "extended": composer.derivation(case, a_plan("extended"), "A" * 32, language),
    }
    if language == ROUTING.social_team_language:  # the social team reads its own language
        found["social_copy"] = composer.social_team_copy(case, a_plan(), "A" * 32)
        found["low_score"] = composer.low_score(case, 2)
        found["urgent"] = composer.urgent(case)
        facts = CrisisFacts(
            "billing", 6, 2, 60, (case, troll), {"es": "Lo sentimos.", "en": "Sorry."}
        )
        found["crisis"] = composer.crisis(facts)
        found["crisis_digest"] = composer.crisis_digest(facts, 4)
        found["autonomous_troll"] = composer.autonomous(troll)
        found["digest"] = composer.autonomous_digest([case, troll], [uncertain])
        held = composer.derivation(case, a_plan("escalated", 1), "A" * 32, language)
        found["team_digest"] = composer.team_digest(
            [
                OwedEmail(
                    case.id,
                    f"copy:{n}",
                    ("social@example.com",),
                    held.subject,
                    held.text,
                    held.html,
                    EmailHold.DIGEST,
                    NOW,
                    "A" * 32,
                )
                for n in (1, 2)
            ]
        )
    return {name: email.html for name, email in found.items()}


def page_outcomes(language: str) -> dict[str, object]:
    """Every outcome the links' use cases return, as its page shows it (a new outcome
    type or state must be added here: tests/browser/test_accessibility.py checks)."""
    case = a_rich_case()
    link = a_link()
    answer = Answer(
        ActionChoice.RESOLVED, "", "claims", "Siniestros (level 0)", "2026-11-24T11:00:00Z"
    )
    sent = Outcome("o1", Result.SENT, "m_1")
    refused = Outcome("o2", Result.BLOCKED, reason="x", code="private_reply_7d")
    texts = survey_config().texts[language]
    used = replace(link, status=LinkStatus.USED, choice="resolved", used_at="2026-11-24T11:00:00Z")
    return {
        "confirm": Confirmation(link, case, language, ActionChoice.RESOLVED),
        "done": Answered(answer, case.id, language, None),
        "gone_used": LinkGone(used, GoneReason.USED, language, offers_late_answer=True),
        "gone_on_file": LinkGone(used, GoneReason.EXPIRED, language, late=LateAnswer.ON_FILE),
        "resolved_late": LinkGone(
            link, GoneReason.BREACHED, language, late=LateAnswer.RESOLVED_LATE
        ),
        "refused": Refused(Refusal.UNAVAILABLE, language, case.id),
        "no_department": Refused(Refusal.NO_DEPARTMENT, language, case.id),
        "reply_not_sent": ReplyNotSent(refused, OutboundKind.PRIVATE_REPLY, case.id, language),
        "not_found": NotFound(language),
        "publish_form": PublishForm(
            case,
            f"{case.id}.{'k' * 32}",
            "C" * 32,
            "Hola Lucía",
            "Te escribimos",
            OutboundKind.PRIVATE_REPLY,
            language,
        ),
        "published": Published(
            case.id,
            ((OutboundKind.PUBLIC_REPLY, replace(sent, text="Hola Lucía")),),
            language,
            case.channel,
        ),
        "publish_gone": PublishGone(case.id, "2026-11-24T11:00:00Z", language),
        "publish_refused": PublishRefused(PublishRefusal.EMPTY, case.id, language),
        "publish_not_found": PublishNotFound(language),
        **{
            f"survey_{state.value}": SurveyPage(state, language, texts, "l" * 40, "C" * 32, 4)
            for state in SurveyPageState
        },
        "follow_up_form": FollowUpForm(
            replace(
                case,
                status="resolved",
                closed_at="2026-11-24T11:00:00Z",
                survey=SurveyState(score=1, comment="Nadie me llamó"),
            ),
            f"{case.id}.{'k' * 32}",
            "C" * 32,
            OutboundKind.PRIVATE_REPLY,
            language,
        ),
        "follow_up_sent": FollowUpSent(case.id, OutboundKind.MESSAGE, sent, language),
    }


def pages(language: str) -> dict[str, str]:
    """Every page a person opens: the links' outcomes, and the report links' refusals."""
    shown = {name: _page_of(outcome).html for name, outcome in page_outcomes(language).items()}
    for why in ("not_found", "forged", "expired"):
        shown[f"report_link_{why}"] = report_link_refused(why, language)
    return shown


def _page_of(outcome: object):
    if isinstance(outcome, SurveyPage):
        return survey_page_for(outcome)
    if type(outcome) in publish_pages_registry():
        return publish_page_for(outcome, ROUTING)
    if isinstance(outcome, FollowUpForm | FollowUpSent):
        return follow_up_page_for(outcome, ROUTING)
    return page_for(outcome, ROUTING)


def publish_pages_registry() -> set[type]:
    from socialcare.presentation import publish_pages

    return {kind for kind in publish_pages._page.registry if kind is not object}


def a_report(language: str) -> dict[str, str]:
    """A week's report with every category and channel, and a previous period."""
    calendar = ROUTING.report_calendar()
    current, previous = (KpiAggregator(calendar, NOW, 3) for _ in range(2))
    categories = ["question", "complaint", "incident", "sales_lead", "supplier", "partnership"]
    categories += ["praise", "troll", "spam"]
    channels = ["facebook_comment", "messenger", "instagram_comment", "instagram_mention"]
    channels += ["instagram_dm", "whatsapp", "x_mention", "x_dm", "telegram"]
    for number in range(90):
        day = 23 + number % 7
        item = {
            "id": f"202611{day:02d}-{number:016x}",
            "channel": channels[number % len(channels)],
            "status": ["resolved", "contacted", "autonomous", "breached"][number % 4],
            "created_at": f"2026-11-{day:02d}T09:00:00Z",
            "first_message_at": f"2026-11-{day:02d}T09:00:00Z",
            "first_public_response_at": f"2026-11-{day:02d}T10:15:00Z",
            "closed_at": f"2026-11-{day:02d}T15:30:00Z",
            "derived_at": f"2026-11-{day:02d}T09:05:00Z",
            "department_action_at": f"2026-11-{day:02d}T11:00:00Z",
            "sla_breached": number % 4 == 3,
            "triage": {
                "category": categories[number % len(categories)],
                "relation": ["customer", "lead", "unknown"][number % 3],
                "topics": [["claims_and_repairs", "delays", "billing"][number % 3]],
            },
            "priority": f"P{1 + number % 4}",
            "department": list(ROUTING.departments)[number % len(ROUTING.departments)],
            "survey_sent_at": "2026-11-24T16:00:00Z" if number % 2 else None,
            "survey_score": 1 + number % 5 if number % 3 == 1 else None,
            "route": [{"department": "claims", "level": 0, "at": "2026-11-24T09:05:00Z"}],
        }
        current.add(reported_case(item), "Europe/Madrid")
        if number % 2:
            previous.add(
                reported_case({**item, "created_at": "2026-11-18T09:00:00Z"}), "Europe/Madrid"
            )
    this, before = current.result(5), previous.result(5)
    compared = with_previous(this, before)
    kpis = Kpis(
        company=ROUTING.company,
        period=PeriodInfo("weekly", "2026-11-23", "2026-11-29", "Europe/Madrid", "", ""),
        previous_period=PeriodInfo("weekly", "2026-11-16", "2026-11-22", "Europe/Madrid", "", ""),
        generated_at="2026-11-30T06:00:03.125Z",
        business_hours_calendar="Europe/Madrid",
        first_response_target_hours=3,
        overall=compared["overall"],
        by=compared["by"],
        volume_by_day=this["volume_by_day"],
        previous_volume_by_day=before["volume_by_day"],
        statuses=this["statuses"],
        breached_cases=current.listed(),
        time_scale=1.0,
        top_complaint_topics=tuple(TopicCount(**t) for t in this["top_complaint_topics"]),
        previous_top_complaint_topics=tuple(
            TopicCount(**t) for t in before["top_complaint_topics"]
        ),
    )
    links = {name: f"https://api.example/reports/{name}" for name in ("kpis.json", "report.html")}
    return {
        "report": report_html(kpis, language, ROUTING),
        "report_email": report_email(kpis, links, language, ROUTING).html,
    }


def a_rehearsal_page(language: str, routing: RoutingConfig = ROUTING) -> str:
    """A protocol rehearsal's page with a case that changes in every way."""
    from datetime import date

    from socialcare.app.protocol_rehearsal import Rehearsal
    from socialcare.domain.rehearsal import CaseChange, Course
    from socialcare.presentation.rehearsal_files import RehearsalFrame, rehearsal_html

    before = Course("web_it", "P2", False, False, False, ("survey",), (), 0, 0)
    after = Course(
        "customer_service", "P1", True, True, True, ("hide",), ("authority_mentioned",), 1, 1
    )
    kinds = (
        *("department", "priority", "urgent", "authority", "needs_review"),
        *("automatic_actions", "deadline", "approvals"),
    )
    change = CaseChange(
        "20261201-00000000000000a1", "2026-12-01T09:00:00.000Z", kinds, before, after
    )
    rehearsal = Rehearsal(changes=[change], emails={"web_it": [1, 0], "customer_service": [0, 2]})
    rehearsal.tally.cases_read = 3
    rehearsal.tally.add(change)
    frame = RehearsalFrame(date(2026, 12, 1), date(2026, 12, 1), "proposed")
    return rehearsal_html(rehearsal, frame, language, routing)
