"""The department's action link: GET shows a confirmation page and changes nothing;
POST (with the page's CSRF token) records the answer once and resumes the workflow."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any, Protocol

from socialcare.case_views import case_context, local_time
from socialcare.domain.clock import Clock, utc_iso
from socialcare.domain.workflow import (
    CLOSING_CHOICES,
    ActionChoice,
    WaitPlan,
    after_more_time,
    after_not_ours,
    recipient_for,
)
from socialcare.platforms.base import HttpReply
from socialcare.rendering import render, strings
from socialcare.triage_service import Triager

MAX_NOTE = 2000


class TaskGone(Exception):
    """The workflow no longer waits for this token (timed out and escalated)."""


class TaskTokens(Protocol):
    def succeed(self, token: str, output: dict[str, Any]) -> None: ...


@dataclass
class ActionDependencies:
    store: Any  # CaseWorkflowStore
    tokens: TaskTokens
    triager: Triager
    clock: Clock
    time_scale: float


def show(action_id: str, selected: str | None, deps: ActionDependencies) -> HttpReply:
    action = deps.store.get_action(action_id)
    if action is None:
        return _notice(404, "not_found_title", "not_found", deps.triager.routing.default_language)
    plan = WaitPlan.from_dict(action["plan"])
    language = recipient_for(deps.triager.routing, plan).language
    case = deps.store.get_case(action["case_id"]) or {}
    gone = _gone_reason(action, case)
    if gone:
        return _notice(410, "gone_title", gone, language, case_id=action["case_id"], action=action)
    routing = deps.triager.routing
    timezone = routing.calendars[routing.departments[plan.department].calendar].timezone
    t = strings(language)
    context = case_context(case, timezone=timezone, language=language)
    context["deadline_local"] = local_time(plan.deadline, timezone, language)
    page = render(
        "action.html",
        **context,
        t=t,
        language=language,
        title=t["page_title"].format(case_id=case.get("id", "")),
        form_action=f"./{action_id}",
        csrf_token=action["csrf_token"],
        choices=[c.value for c in ActionChoice],
        selected=selected if selected in {c.value for c in ActionChoice} else None,
        departments=[
            (key, d.name) for key, d in routing.departments.items() if key != plan.department
        ],
    )
    return HttpReply(200, page, "text/html; charset=utf-8")


def submit(action_id: str, form: dict[str, str], deps: ActionDependencies) -> HttpReply:
    routing = deps.triager.routing
    action = deps.store.get_action(action_id)
    if action is None:
        return _notice(404, "not_found_title", "not_found", routing.default_language)
    plan = WaitPlan.from_dict(action["plan"])
    recipient = recipient_for(routing, plan)
    language = recipient.language
    case_id = action["case_id"]
    if not hmac.compare_digest(
        form.get("csrf_token", "").encode(), str(action["csrf_token"]).encode()
    ):
        return _notice(403, "forbidden_title", "forbidden", language, case_id=case_id)
    try:
        choice = ActionChoice(form.get("action", ""))
    except ValueError:
        return _notice(400, "invalid_title", "forbidden", language, case_id=case_id)
    chosen = form.get("department", "")
    if choice is ActionChoice.NOT_OURS and (
        chosen not in routing.departments or chosen == plan.department
    ):
        return _notice(400, "invalid_title", "forbidden", language, case_id=case_id)
    note = form.get("note", "")[:MAX_NOTE]
    now = deps.clock()
    actor = f"{recipient.name} (level {plan.level})"
    answer = {"action": choice.value, "note": note, "department": plan.department}
    case = deps.store.get_case(case_id) or {}
    gone = _gone_reason(action, case)
    if gone:
        deps.store.record_event(case_id, now, "late_answer", actor=actor, link=gone, **answer)
        return _notice(410, "gone_title", gone, language, case_id=case_id, action=action)
    following = None
    if choice is ActionChoice.MORE_TIME:
        following = after_more_time(routing, plan, now, deps.time_scale)
        if following is None:
            return _notice(409, "invalid_title", "extension_used", language, case_id=case_id)
    elif choice is ActionChoice.NOT_OURS:
        following = after_not_ours(routing, plan, chosen, now, deps.time_scale)
    if not deps.store.use_action(action_id, choice.value, note, now):
        deps.store.record_event(
            case_id, now, "late_answer", actor=actor, link="gone_used", **answer
        )
        fresh = deps.store.get_action(action_id) or action
        return _notice(410, "gone_title", "gone_used", language, case_id=case_id, action=fresh)
    deps.store.record_action(case_id, now, "department_action", actor=actor, **answer)
    output: dict[str, Any] = {"case_id": case_id, "outcome": "closed", "plan": None}
    if following is not None:
        output = {"case_id": case_id, "outcome": "wait", "plan": following.as_dict()}
    try:
        deps.tokens.succeed(action["task_token"], output)
    except TaskGone:
        deps.store.record_event(case_id, now, "late_answer", actor=actor, link="gone_escalated")
        return _notice(410, "gone_title", "gone_escalated", language, case_id=case_id)
    t = strings(language)
    if choice in CLOSING_CHOICES:
        status = CLOSING_CHOICES[choice].value
        stamp = "resolved_at" if choice is ActionChoice.RESOLVED else "contacted_at"
        deps.store.close_case(case_id, status, now, actor=actor, **{stamp: utc_iso(now)})
        message = t["done_closed"].format(status=t[choice.value])
    elif choice is ActionChoice.MORE_TIME:
        message = t["done_extended"].format(deadline=following.deadline if following else "")
    else:
        name = routing.departments[following.department].name if following else chosen
        message = t["done_rederived"].format(department=name)
    page = render(
        "notice.html",
        t=t,
        language=language,
        title=t["done_title"],
        message=message,
        case_id=case_id,
    )
    return HttpReply(200, page, "text/html; charset=utf-8")


def _gone_reason(action: dict[str, Any], case: dict[str, Any]) -> str | None:
    if action.get("status") == "used":
        return "gone_used"
    if action.get("status") == "escalated":
        return "gone_escalated"
    if case.get("closed_at"):
        return "gone_closed"
    return None


def _notice(
    status: int,
    title_key: str,
    message_key: str,
    language: str,
    *,
    case_id: str | None = None,
    action: dict[str, Any] | None = None,
) -> HttpReply:
    t = strings(language)
    values = {
        "choice": t.get(str((action or {}).get("choice")), (action or {}).get("choice", "")),
        "used_at": (action or {}).get("used_at", ""),
    }
    page = render(
        "notice.html",
        t=t,
        language=language,
        title=t[title_key],
        message=t[message_key].format(**values),
        case_id=case_id,
    )
    return HttpReply(status, page, "text/html; charset=utf-8")
