"""Derive a case to a department from the console, or re-route it to another: through the
workflow's own path, so the department still answers by its email link. A case waiting
on a department is re-routed as that department's "not ours" would (its link is used,
the workflow re-derives with the next plan); a case never derived starts its workflow at
its first wait, as triage starts one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from socialcare.app.console_actions import ActionDone, ActionOutcome, ActionRefusal
from socialcare.app.console_actions import ActionRefused as Refused
from socialcare.domain.action_links import ActionChoice, Answer, LinkStatus
from socialcare.domain.clock import Clock, utc_iso
from socialcare.domain.console_actions import MAX_NOTE
from socialcare.domain.console_audit import AuditEntry
from socialcare.domain.derivation import after_not_ours, plan_wait
from socialcare.domain.failures import TaskGone, Unavailable
from socialcare.domain.routing import PRIORITIES, Priority, RoutingConfig

if TYPE_CHECKING:
    from socialcare.domain.cases import Case
    from socialcare.domain.derivation import WaitPlan
    from socialcare.ports.cases import CaseReader
    from socialcare.ports.console_actions import ConsoleCases
    from socialcare.ports.console_audit import ConsoleAudit
    from socialcare.ports.triage import TriageRecords
    from socialcare.ports.workflow import ActionLinkRecords, TaskTokens, WorkflowStarter


@dataclass
class RoutingDependencies:
    cases: CaseReader
    console: ConsoleCases
    links: ActionLinkRecords
    tokens: TaskTokens
    workflows: WorkflowStarter
    started: TriageRecords  # mark_workflow_started, as triage does
    audit: ConsoleAudit
    routing: RoutingConfig
    clock: Clock
    time_scale: float


# Why a derivation is refused beyond ActionRefusal's: the department is the one waited
# on already, or the case's workflow has ended or is moving on right now (another answer
# or an escalation came first; reopened cases: reply or close them).
SAME_DEPARTMENT = "same_department"
WORKFLOW_ENDED = "workflow_ended"


def derive(
    case_id: str, department: str, note: str, by: str, deps: RoutingDependencies
) -> ActionOutcome | str:
    """ActionDone, an ActionRefused, or SAME_DEPARTMENT / WORKFLOW_ENDED."""
    if department not in deps.routing.departments or len(note) > MAX_NOTE:
        return Refused(ActionRefusal.INVALID, case_id)
    case = deps.cases.case(case_id)
    if case is None:
        return Refused(ActionRefusal.NOT_FOUND, case_id)
    if case.closed:
        return Refused(ActionRefusal.CLOSED, case_id)
    link = deps.links.action(case.current_action) if case.current_action else None
    if link is not None and link.status is LinkStatus.PENDING:
        if link.plan.department == department:
            return SAME_DEPARTMENT
        return _reroute(case, link.id, link.plan, link.task_token, department, note, by, deps)
    if case.workflow_started or case.current_action:  # ended, or moving on right now
        return WORKFLOW_ENDED
    return _first_derivation(case, department, by, deps)


def _reroute(
    case: Case,
    link_id: str,
    plan: WaitPlan,
    task_token: str,
    department: str,
    note: str,
    by: str,
    deps: RoutingDependencies,
) -> ActionOutcome | str:
    now = deps.clock()
    following = after_not_ours(deps.routing, plan, department, now, deps.time_scale)
    answer = Answer(
        ActionChoice.NOT_OURS, note, plan.department, by, utc_iso(now), department, link_id
    )
    # The link is spent as a department's own "not ours" spends it: its email's buttons
    # then say it was answered, and the new department gets a link of its own.
    if not deps.links.use_action(link_id, ActionChoice.NOT_OURS.value, note, now, actor=by):
        return WORKFLOW_ENDED  # answered or escalated a moment ago: look at the case again
    output = {
        "case_id": case.id,
        "outcome": "wait",
        "plan": following.as_dict(),
        "answer": answer.as_state(),
    }
    try:
        deps.tokens.succeed(task_token, output)
    except TaskGone:
        deps.links.release_action(link_id, "escalated")
        return WORKFLOW_ENDED
    except Unavailable:
        deps.links.release_action(link_id, "pending")
        return Refused(ActionRefusal.UNAVAILABLE, case.id)
    deps.console.record(
        case.id, "rerouted", now, by, to=following.department, **{"from": plan.department}
    )
    return _done(deps, by, case.id, f"{plan.department} -> {following.department}")


def _first_derivation(
    case: Case, department: str, by: str, deps: RoutingDependencies
) -> ActionOutcome:
    now = deps.clock()
    triaged = case.triage.priority if case.triage else None
    priority: Priority = triaged if triaged in PRIORITIES else "P3"
    plan = plan_wait(
        deps.routing,
        department=department,
        priority=priority,
        level=0,
        now=now,
        time_scale=deps.time_scale,
        reason="derived",
    )
    try:
        arn = deps.workflows.start(case.id, plan)
    except Unavailable:
        return Refused(ActionRefusal.UNAVAILABLE, case.id)
    deps.started.mark_workflow_started(case.id, arn, now)
    deps.console.record(case.id, "rerouted", now, by, to=department, **{"from": ""})
    return _done(deps, by, case.id, f"-> {department}")


def _done(deps: RoutingDependencies, by: str, case_id: str, detail: str) -> ActionDone:
    deps.audit.record(AuditEntry(by, "derive", utc_iso(deps.clock()), case_id, detail))
    return ActionDone(case_id, "derive", detail)
