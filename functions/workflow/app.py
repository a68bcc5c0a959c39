"""Lambda tasks of the case workflow state machine, dispatched by `step`."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger

from socialcare.domain.clock import system_clock

logger = Logger(service="workflow")


def _default_store() -> Any:
    from socialcare.adapters import wiring

    return wiring.case_store()


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: Any, store: Any = None) -> dict[str, Any]:
    store = store or _default_store()
    step = event.get("step")
    case_id = event["case_id"]
    logger.append_keys(case_id=case_id, step=step)
    if step == "open":
        opened = store.open_case(case_id, event.get("execution_id", ""), system_clock())
        logger.info("case opened" if opened else "case was already open")
        return {"case_id": case_id, "status": "open"}
    raise ValueError(f"unknown workflow step: {step!r}")
