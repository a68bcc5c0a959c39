"""Lambda tasks of the case workflow state machine, dispatched by `step`."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger

logger = Logger(service="workflow")


def _default_dependencies() -> Any:
    from socialcare.adapters import wiring
    from socialcare.domain.clock import system_clock
    from socialcare.settings import get_settings
    from socialcare.triage_service import Triager
    from socialcare.workflow_steps import WorkflowDependencies

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
def lambda_handler(event: dict[str, Any], context: Any, dependencies: Any = None) -> dict[str, Any]:
    from socialcare import workflow_steps

    deps = dependencies or _default_dependencies()
    step = event.get("step")
    case_id = event["case_id"]
    logger.append_keys(case_id=case_id, step=step)
    if step == "triage":
        result = workflow_steps.triage_step(case_id, deps)
        logger.info("triaged", extra={"autonomous": result["autonomous"]})
        return result
    if step == "derive":
        workflow_steps.derive_step(case_id, event["plan"], event["task_token"], deps)
        logger.info("derived", extra={"level": event["plan"]["level"]})
        return {"case_id": case_id}
    if step == "answer":
        workflow_steps.answer_step(case_id, event["answer"], deps)
        logger.info("answered", extra={"action": event["answer"]["action"]})
        return {"case_id": case_id}
    if step == "escalate":
        result = workflow_steps.escalate_step(case_id, event["plan"], deps)
        logger.info("escalated", extra={"closed": result["closed"]})
        return result
    raise ValueError(f"unknown workflow step: {step!r}")
