"""Lambda tasks of a derived case's workflow state machine, dispatched by `step` (triage
is the triage function's: it starts this workflow only for derived cases)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit

from socialcare.logs import service_logger
from socialcare.observability.emails import count_held

if TYPE_CHECKING:  # annotations only: the handler imports its use case when called
    from socialcare.app.workflow_steps import WorkflowDependencies

logger = service_logger("workflow")
# The dashboard's and alarms' figures: cases through each step of the protocol.
metrics = Metrics(namespace="socialcare", service="workflow")


def _count(*names: str) -> None:
    for name in names:
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(
    event: dict[str, Any], context: Any, dependencies: WorkflowDependencies | None = None
) -> dict[str, Any]:
    from socialcare import bootstrap
    from socialcare.app import workflow_steps as steps
    from socialcare.bootstrap import use_cases
    from socialcare.domain.derivation import WaitPlan

    deps = dependencies or use_cases.workflow(bootstrap.root())
    if event.get("step") == "owed_emails":  # the OwedEmails schedule: no case of its own
        run = steps.drain_owed_emails(deps)
        late = (deps.clock() - run.oldest_left).total_seconds() if run.oldest_left else 0
        logger.info("owed emails", extra={"sent": run.sent, "left": run.left, "late_s": late})
        count_held(metrics, run.held)
        metrics.add_metric(name="OwedEmailsSent", unit=MetricUnit.Count, value=run.sent)
        metrics.add_metric(name="OwedEmailsLateSeconds", unit=MetricUnit.Seconds, value=late)
        return {"sent": run.sent, "dropped": run.dropped, "still_owed": run.left}
    step, case_id = event.get("step"), event["case_id"]
    logger.append_keys(case_id=case_id, step=step)
    if step == "derive":
        plan = WaitPlan.from_dict(event["plan"])
        held = steps.derive_step(case_id, plan, event["task_token"], deps)
        logger.info("derived", extra={"level": plan.level, "reason": plan.reason})
        kind = {"escalated": "Escalations", "extended": "Extensions"}.get(plan.reason)
        _count(kind or "Derivations", *(["SlaBreaches"] if plan.breached else []))
        count_held(metrics, held)
        return {"case_id": case_id}
    if step == "answer":
        answer = steps.answer_step(case_id, event["answer"], deps)
        logger.info("answered", extra={"action": answer.choice.value})
        _count("DepartmentActions")
        return {"case_id": case_id}
    if step == "escalate":
        escalated = steps.escalate_step(case_id, WaitPlan.from_dict(event["plan"]), deps)
        logger.info("escalated", extra={"closed": escalated.closed})
        _count(*(["CasesClosedBreached"] if escalated.closed else []))
        state = escalated.plan.as_dict() if escalated.plan else None  # as the machine has it
        return {"case_id": case_id, "closed": escalated.closed, "plan": state}
    raise ValueError(f"unknown workflow step: {step!r}")
