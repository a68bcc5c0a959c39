"""The typed case and action link the use cases read, from the items the table keeps
(the item names stay here: nothing above the adapters reads a raw item)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from socialcare.domain.action_links import ActionLink, LinkStatus
from socialcare.domain.case_details import CaseDetails, DetailsProblem, with_details
from socialcare.domain.cases import (
    Case,
    CaseAuthor,
    CaseStatus,
    FollowUpLink,
    MediaLink,
    PublishLink,
    RouteStop,
    SurveyState,
    TriageRecord,
)
from socialcare.domain.derivation import WaitPlan
from socialcare.domain.messages import Attachment
from socialcare.domain.outbound import OutboundTarget


def details_item(details: CaseDetails) -> dict[str, Any]:
    """What triage read from the platform, as the CASE item keeps it (`details`): beside
    what the webhook wrote, which stays as it came."""
    kept = {
        "text": details.text,
        "handle": details.handle,
        "display_name": details.display_name,
        "permalink": details.permalink,
        "problem": details.problem.value if details.problem else None,
    }
    return {k: v for k, v in kept.items() if v is not None}


def case_from_view(view: dict[str, Any]) -> Case:
    """From the assembled case (its CASE item with its messages, see `assemble_case`),
    with what triage read from the platform (`details`) over what the webhook gave."""
    case = _case_as_recorded(view)
    details = view.get("details") or {}
    if not details:
        return case
    problem = details.get("problem")
    read = CaseDetails(
        text=details.get("text"),
        handle=details.get("handle"),
        display_name=details.get("display_name"),
        permalink=details.get("permalink"),
        problem=DetailsProblem(str(problem))
        if problem in DetailsProblem.__members__.values()
        else None,
    )
    return with_details(case, read)


def _case_as_recorded(view: dict[str, Any]) -> Case:
    author = view.get("author") or {}
    followers = author.get("followers")
    return Case(
        id=str(view["id"]),
        platform=str(view["platform"]),
        channel=str(view["channel"]),
        created_at=str(view["created_at"]),
        author=CaseAuthor(
            id=str(author.get("id", "")),
            aliases=tuple(str(alias) for alias in author.get("aliases") or ()),
            handle=author.get("handle"),
            display_name=author.get("display_name"),
            followers=int(followers) if followers is not None else None,
        ),
        texts=tuple(str(m.get("text", "")) for m in view.get("messages", [])),
        attachments=tuple(
            Attachment.from_item(a)
            for m in view.get("messages", [])
            for a in m.get("attachments") or ()
        ),
        media_link=_media_link(view.get("media_link")),
        public=bool(view.get("public")),
        language=view.get("language"),
        triage=TriageRecord.from_dict(view.get("triage")),
        deadline=view.get("deadline"),
        current_action=view.get("current_action"),
        closed_at=view.get("closed_at"),
        status=str(view.get("status", CaseStatus.NEW.value)),
        wait_plan=WaitPlan.from_dict(view["wait_plan"]) if view.get("wait_plan") else None,
        workflow_started=bool(view.get("workflow_started_at")),
        reply_to=_target(view.get("reply_to"), str(author.get("id", ""))),
        first_message_at=view.get("first_message_at"),
        last_message_at=view.get("last_message_at"),
        publish=_publish_link(view.get("publish_link")),
        survey=_survey(view),
        follow_up_link=_follow_up_link(view.get("follow_up_link")),
        sla_breached=bool(view.get("sla_breached")),
        needs_review=bool(view.get("needs_review")),
        review_confirmed_at=view.get("review_confirmed_at"),
        customer_reference=view.get("customer_reference") or None,
        crisis_topic=view.get("crisis_topic") or None,
        route=tuple(
            RouteStop(str(stop.get("department")), int(stop.get("level") or 0), str(stop["at"]))
            for stop in view.get("route") or ()
            if stop.get("at")
        ),
    )


def _survey(view: dict[str, Any]) -> SurveyState | None:
    link = view.get("survey_link") or {}
    if not view.get("survey_sent_at") and not link:
        return None
    score = view.get("survey_score")
    return SurveyState(
        sent_at=view.get("survey_sent_at"),
        form=view.get("survey_form"),
        link_key=link.get("key"),
        csrf_token=link.get("csrf_token"),
        score=int(score) if score is not None else None,
        answered_at=view.get("survey_answered_at"),
        comment=view.get("survey_comment") or None,
        language=view.get("survey_language"),
        language_fallback=bool(view.get("survey_language_fallback")),
    )


def _target(reply_to: dict[str, Any] | None, author_id: str) -> OutboundTarget | None:
    if not reply_to or not reply_to.get("message_id"):
        return None
    return OutboundTarget(
        account_id=str(reply_to.get("account_id", "")),
        message_id=str(reply_to["message_id"]),
        conversation_id=reply_to.get("conversation_id"),
        thread_id=reply_to.get("thread_id"),
        author_id=author_id or None,
        business_connection_id=reply_to.get("business_connection_id"),
        parent_id=reply_to.get("parent_id"),
    )


def _media_link(item: dict[str, Any] | None) -> MediaLink | None:
    if not item or not item.get("key"):
        return None
    return MediaLink(key=str(item["key"]), expires_at=str(item["expires_at"]))


def _publish_link(item: dict[str, Any] | None) -> PublishLink | None:
    if not item or not item.get("key"):
        return None
    return PublishLink(
        key=str(item["key"]), csrf_token=str(item["csrf_token"]), used_at=item.get("used_at")
    )


def _follow_up_link(item: dict[str, Any] | None) -> FollowUpLink | None:
    if not item or not item.get("key"):
        return None
    return FollowUpLink(
        key=str(item["key"]), csrf_token=str(item["csrf_token"]), used_at=item.get("used_at")
    )


def action_from_item(action_id: str, item: dict[str, Any]) -> ActionLink:
    return ActionLink(
        id=action_id,
        case_id=str(item["case_id"]),
        plan=WaitPlan.from_dict(item["plan"]),
        csrf_token=str(item["csrf_token"]),
        task_token=str(item["task_token"]),
        status=LinkStatus(item.get("status", LinkStatus.PENDING)),
        expires_at=int(item.get("expires_at", 0)),
        choice=item.get("choice"),
        used_at=item.get("used_at"),
        late_answer_at=item.get("late_answer_at"),
        note=item.get("note"),
        actor=item.get("actor"),
    )


def assemble_case(items: list[dict[str, Any]]) -> dict[str, Any] | None:
    """One case with its messages and timeline, from the items of its partition."""
    case = next((i for i in items if i.get("SK") == "CASE"), None)
    if case is None:
        return None
    view = {k: plain_value(v) for k, v in case.items() if k not in ("PK", "SK", "GSI1PK", "GSI1SK")}
    view["messages"] = [
        {k: plain_value(v) for k, v in i.items() if k not in ("PK", "SK", "entity")}
        for i in sorted(items, key=lambda i: i["SK"])
        if i.get("entity") == "message"
    ]
    view["timeline"] = [
        {k: plain_value(v) for k, v in i.items() if k not in ("PK", "SK", "entity")}
        for i in sorted(items, key=lambda i: i["SK"])
        if i.get("entity") == "event"
    ]
    return view


def plain_value(value: Any) -> Any:
    """DynamoDB numbers come back as Decimal."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: plain_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_value(v) for v in value]
    return value
