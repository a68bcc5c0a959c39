"""The department's action link: GET shows a confirmation page and changes nothing;
POST (with the page's CSRF token) records the answer once and resumes the workflow."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from socialcare.domain.clock import Clock, utc_iso
from socialcare.domain.derivation import (
    CLOSING_CHOICES,
    ActionChoice,
    WaitPlan,
    after_more_time,
    after_not_ours,
    is_action_id,
    recipient_for,
)
from socialcare.domain.ports import TaskGone, TaskTokens, Unavailable
from socialcare.domain.routing import RoutingConfig
from socialcare.platforms.base import HttpReply
from socialcare.presentation.case_views import case_context, local_time
from socialcare.presentation.rendering import render, strings

MAX_NOTE = 2000


@dataclass
class ActionDependencies:
    store: Any  # CaseWorkflowStore
    tokens: TaskTokens
    routing: RoutingConfig
    clock: Clock
    time_scale: float


def show(action_id: str, selected: str | None, deps: ActionDependencies) -> HttpReply:
    """The confirmation page. Changes nothing: mail scanners open every link."""
    routing = deps.routing
    action = _action(action_id, deps)
    if action is None:
        return _notice(404, "not_found_title", ["not_found"], routing.default_language)
    plan = WaitPlan.from_dict(action["plan"])
    language = recipient_for(routing, plan).language
    case = deps.store.get_case(action["case_id"]) or {}
    gone = _gone_reason(action, case, deps.clock())
    if gone:
        if action.get("late_answer_at"):  # one late answer per link
            return _gone(action, gone, language, routing, late="late_on_file")
        late_form = {
            "action": f"./{action_id}",
            "csrf_token": action["csrf_token"],
            "choices": [ActionChoice.CONTACTED.value, ActionChoice.RESOLVED.value],
        }
        return _gone(action, gone, language, routing, late_form=late_form)
    timezone = routing.timezone_of(plan.department)
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
    """Record the answer once and resume the workflow, which records it on the case."""
    routing = deps.routing
    action = _action(action_id, deps)
    if action is None:
        return _notice(404, "not_found_title", ["not_found"], routing.default_language)
    plan = WaitPlan.from_dict(action["plan"])
    recipient = recipient_for(routing, plan)
    language = recipient.language
    case_id = action["case_id"]
    if not hmac.compare_digest(
        form.get("csrf_token", "").encode(), str(action["csrf_token"]).encode()
    ):
        return _notice(403, "forbidden_title", ["forbidden"], language, case_id=case_id)
    try:
        choice = ActionChoice(form.get("action", ""))
    except ValueError:
        return _notice(400, "invalid_title", ["forbidden"], language, case_id=case_id)
    chosen = form.get("department", "")
    note = form.get("note", "")[:MAX_NOTE]
    now = deps.clock()
    actor = f"{recipient.name} (level {plan.level})"
    answer = {"action": choice.value, "note": note, "department": plan.department}
    if choice is ActionChoice.NOT_OURS:
        answer["to"] = chosen
    case = deps.store.get_case(case_id) or {}
    gone = _gone_reason(action, case, now)
    if gone:
        noted = deps.store.record_late_answer(
            action_id, case_id, now, actor=actor, link=gone, **answer
        )
        return _gone(action, gone, language, routing, late=_late_line(noted))
    following = None
    if choice is ActionChoice.NOT_OURS:
        if chosen not in routing.departments or chosen == plan.department:
            return _notice(400, "invalid_title", ["forbidden"], language, case_id=case_id)
        following = after_not_ours(routing, plan, chosen, now, deps.time_scale)
    elif choice is ActionChoice.MORE_TIME:
        following = after_more_time(routing, plan, now, deps.time_scale)
        if following is None:
            return _notice(409, "invalid_title", ["extension_used"], language, case_id=case_id)
    if not deps.store.use_action(action_id, choice.value, note, now):  # lost a race
        fresh = deps.store.get_action(action_id) or action
        reason = _gone_reason(fresh, case, now) or "gone_used"
        noted = deps.store.record_late_answer(
            action_id, case_id, now, actor=actor, link=reason, **answer
        )
        return _gone(fresh, reason, language, routing, late=_late_line(noted))
    # The workflow records the answer (and closes the case) in its own retried step.
    output: dict[str, Any] = {
        "case_id": case_id,
        "outcome": "wait" if following else "closed",
        "plan": following.as_dict() if following else None,
        "answer": {**answer, "actor": actor, "at": utc_iso(now)},
    }
    try:
        deps.tokens.succeed(action["task_token"], output)
    except TaskGone:
        deps.store.release_action(action_id, "escalated")
        noted = deps.store.record_late_answer(
            action_id, case_id, now, actor=actor, link="gone_escalated", **answer
        )
        return _gone(action, "gone_escalated", language, routing, late=_late_line(noted))
    except Unavailable:
        deps.store.release_action(action_id, "pending")
        return _notice(503, "unavailable_title", ["unavailable"], language, case_id=case_id)
    t = strings(language)
    if choice in CLOSING_CHOICES:
        message = t["done_closed"].format(status=t[choice.value])
    elif following and choice is ActionChoice.MORE_TIME:
        deadline = local_time(following.deadline, routing.timezone_of(plan.department), language)
        message = t["done_extended"].format(deadline=deadline)
    else:
        name = routing.departments[following.department].name if following else chosen
        message = t["done_rederived"].format(department=name)
    return _notice(200, "done_title", [message], language, case_id=case_id, formatted=True)


def _late_line(noted: bool) -> str:
    return "late_noted" if noted else "late_already_noted"


def _action(action_id: str, deps: ActionDependencies) -> dict[str, Any] | None:
    """The link, if the id is one the stack could have made (else no lookup at all)."""
    return deps.store.get_action(action_id) if is_action_id(action_id) else None


def _gone_reason(action: dict[str, Any], case: dict[str, Any], now: datetime) -> str | None:
    if action.get("status") == "used":
        return "gone_used"
    if action.get("status") == "escalated":
        return "gone_escalated"
    if case.get("closed_at"):
        return "gone_closed"
    # DynamoDB deletes expired items within days, not at once: expiry is checked here.
    if int(action.get("expires_at", 0)) <= now.timestamp():
        return "gone_expired"
    return None


def _gone(
    action: dict[str, Any],
    reason: str,
    language: str,
    routing: Any,
    *,
    late: str | None = None,
    late_form: dict[str, Any] | None = None,
) -> HttpReply:
    """410: what happened to this link, and `late`, what became of a late answer (only
    the first one is noted); on GET a form offers to note one while none was."""
    t = strings(language)
    plan = WaitPlan.from_dict(action["plan"])
    used_at = local_time(action.get("used_at"), routing.timezone_of(plan.department), language)
    choice = action.get("choice")
    what = t[reason].format(choice=t.get(str(choice), choice or ""), used_at=used_at)
    return _notice(
        410,
        "gone_title",
        [what, t[late]] if late else [what],
        language,
        case_id=action["case_id"],
        late_form=late_form,
        formatted=True,
    )


def _notice(
    status: int,
    title_key: str,
    lines: list[str],
    language: str,
    *,
    case_id: str | None = None,
    late_form: dict[str, Any] | None = None,
    formatted: bool = False,
) -> HttpReply:
    t = strings(language)
    page = render(
        "notice.html",
        t=t,
        language=language,
        title=t[title_key],
        lines=lines if formatted else [t[key] for key in lines],
        case_id=case_id,
        late_form=late_form,
    )
    return HttpReply(status, page, "text/html; charset=utf-8")
