"""A case erased while its workflow runs (privacy erase stops the execution it knows of;
one started just before the erasure is not known yet): every step ends cleanly, and none
of them writes a piece of the case back into the table."""

from __future__ import annotations

import pytest

from socialcare.adapters.dynamodb.action_links import DynamoDBActionLinks
from socialcare.adapters.dynamodb.table import CasesTable
from socialcare.config.loaders import routing_config
from socialcare.domain.derivation import plan_wait
from tests.conftest import NOW

GONE = "20261124-ffffffffffffffff"


def a_plan():
    return plan_wait(
        routing_config(),
        department="claims",
        priority="P2",
        level=0,
        now=NOW,
        time_scale=1,
        reason="derived",
    )


def items(stack) -> list[dict]:
    return stack.client("dynamodb").scan(TableName=stack.cases_table)["Items"]


def test_opening_a_derivation_never_writes_a_case_back(stack):
    # Given no case (erased)
    store = DynamoDBActionLinks(CasesTable(stack.client("dynamodb"), stack.cases_table))
    # When a derivation is opened on it
    with pytest.raises(LookupError):
        store.open_derivation(
            GONE,
            "A" * 32,
            task_token="token",
            csrf_token="c" * 32,
            plan=a_plan(),
            milestones={},
            recipients=["claims@example.com"],
            now=NOW,
            status="derived",
        )
    # Then nothing was written: no half case, no link, no event
    assert items(stack) == []


@pytest.mark.parametrize("step", ["derive", "escalate"])
def test_each_step_of_a_workflow_whose_case_is_gone_ends_cleanly(stack, step):
    # Given no case (erased), and its workflow's step
    event = {"step": step, "case_id": GONE, "plan": a_plan().as_dict(), "task_token": "token"}
    # When the workflow function runs it
    result = stack.function("WorkflowFunction").invoke(event)
    # Then it returns (an escalation ends the workflow), writes nothing and emails no one
    assert result["case_id"] == GONE
    if step == "escalate":
        assert result["closed"] is True and result["plan"] is None
    assert items(stack) == [] and stack.outbox() == []
