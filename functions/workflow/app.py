"""Lambda tasks of the case workflow state machine, dispatched by `step`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

if TYPE_CHECKING:  # annotations only: the handler imports its use case when called
    from socialcare.app.workflow_steps import WorkflowDependencies

logger = Logger(service="workflow")
# The dashboard's and alarms' figures: cases through each step of the protocol.
metrics = Metrics(namespace="socialcare", service="workflow")


def _count(name: str) -> None:
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)


def _default_dependencies() -> WorkflowDependencies:
    from socialcare.adapters import wiring
    from socialcare.app.triage import Triager
    from socialcare.app.workflow_steps import WorkflowDependencies
    from socialcare.domain.clock import system_clock
    from socialcare.settings import get_settings

    settings = get_settings()
    return WorkflowDependencies(
        store=wiring.workflow_store(),
        customers=wiring.customer_directory(),
        email=wiring.email_sender(),
        triager=Triager(),
        clock=system_clock,
        time_scale=settings.time_scale,
        actions_base_url=settings.actions_base_url,
        text_signals=wiring.text_signals(),
    )


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(
    event: dict[str, Any], context: Any, dependencies: WorkflowDependencies | None = None
) -> dict[str, Any]:
    from socialcare.app import workflow_steps

    deps = dependencies or _default_dependencies()
    step = event.get("step")
    case_id = event["case_id"]
    logger.append_keys(case_id=case_id, step=step)
    if step == "triage":
        result = workflow_steps.triage_step(case_id, deps)
        logger.info("triaged", extra={"autonomous": result["autonomous"]})
        _count("CasesTriaged")
        if result["autonomous"]:
            _count("CasesAutonomous")
        return result
    if step == "derive":
        from socialcare.domain.derivation import WaitPlan

        plan = WaitPlan.from_dict(event["plan"])
        workflow_steps.derive_step(case_id, event["plan"], event["task_token"], deps)
        logger.info("derived", extra={"level": plan.level, "reason": plan.reason})
        kinds = {"escalated": "Escalations", "extended": "Extensions"}
        _count(kinds.get(plan.reason, "Derivations"))
        if plan.breached:
            _count("SlaBreaches")
        return {"case_id": case_id}
    if step == "answer":
        workflow_steps.answer_step(case_id, event["answer"], deps)
        logger.info("answered", extra={"action": event["answer"]["action"]})
        _count("DepartmentActions")
        return {"case_id": case_id}
    if step == "escalate":
        result = workflow_steps.escalate_step(case_id, event["plan"], deps)
        logger.info("escalated", extra={"closed": result["closed"]})
        if result["closed"]:
            _count("CasesClosedBreached")
        return result
    raise ValueError(f"unknown workflow step: {step!r}")
