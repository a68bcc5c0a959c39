"""The derivation rules: deadlines, the escalation chain, one extension, re-derivation hops."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from socialcare.app.triage import Triager
from socialcare.domain.derivation import (
    MAX_HOPS,
    WaitPlan,
    after_more_time,
    after_not_ours,
    escalation_after,
    plan_wait,
    recipient_for,
    timeout_for,
)

# Tuesday 24 November 2026, 10:00 in Madrid (a working day, within hours)
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def routing():
    return Triager().routing


def derived(routing, department="customer_service", priority="P1", **kwargs) -> WaitPlan:
    return plan_wait(
        routing,
        department=department,
        priority=priority,
        level=0,
        now=NOW,
        time_scale=1,
        reason="derived",
        **kwargs,
    )


def test_the_wait_is_the_business_hours_deadline_in_seconds(routing):
    # Given 24 business hours from Tuesday 10:00 in Madrid (9-14 and 15-18, Friday 8-15)
    plan = derived(routing)
    # Then: Tuesday 7 h, Wednesday 8, Thursday 8, Friday 1 -> Friday 09:00 Madrid
    assert plan.deadline == "2026-11-27T08:00:00.000Z"
    assert plan.timeout_seconds == (datetime(2026, 11, 27, 8, 0, tzinfo=UTC) - NOW).total_seconds()


def test_p3_and_p4_wait_48_business_hours(routing):
    # 7 + 8 + 8 + 7 (Friday) + 8 (Monday) + 8 (Tuesday) + 2 -> Wednesday 11:00 Madrid
    assert derived(routing, priority="P3").deadline == "2026-12-02T10:00:00.000Z"


def test_the_time_scale_divides_the_wait_but_never_below_one_second(routing):
    deadline = NOW + timedelta(hours=72)
    assert timeout_for(deadline, NOW, 3600) == 72
    assert timeout_for(deadline, NOW, 1e9) == 1
    assert timeout_for(NOW - timedelta(hours=1), NOW, 1) == 1


def test_escalation_goes_to_the_supervisor_then_to_the_main_contact_then_ends(routing):
    # Given a case derived to claims
    plan = derived(routing, department="claims", priority="P2")
    assert recipient_for(routing, plan).emails == ("siniestros@segurosmarea.example",)
    # When its deadline passes: the claims supervisor, with a new deadline from now
    later = datetime.fromisoformat(plan.deadline.replace("Z", "+00:00"))
    first = escalation_after(routing, plan, later, 1)
    assert (first.level, first.department, first.reason) == (1, "claims", "escalated")
    assert recipient_for(routing, first).emails == ("jefe.siniestros@segurosmarea.example",)
    assert first.deadline > plan.deadline
    # And when that passes too: the main derivation contact, on its own SLA
    second = escalation_after(routing, first, later + timedelta(days=3), 1)
    assert second.level == 2
    assert recipient_for(routing, second).emails == ("atencion.cliente@segurosmarea.example",)
    # And a timeout at the last level ends the chain (the case closes as breached)
    assert escalation_after(routing, second, later + timedelta(days=9), 1) is None


def test_more_time_extends_once_from_the_current_deadline(routing):
    plan = derived(routing)
    extended = after_more_time(routing, plan, NOW + timedelta(hours=1), 1)
    # 24 more business hours from Friday 09:00 Madrid: 6 + 8 + 8 + 2 -> Wednesday 11:00
    assert extended.deadline == "2026-12-02T10:00:00.000Z"
    assert (extended.extended, extended.reason, extended.level) == (True, "extended", 0)
    assert after_more_time(routing, extended, NOW + timedelta(hours=2), 1) is None


def test_not_ours_rederives_and_past_three_hops_goes_to_the_main_contact(routing):
    plan = derived(routing, department="sales")
    for hop, department in enumerate(["claims", "legal", "web_it"], start=1):
        plan = after_not_ours(routing, plan, department, NOW, 1)
        assert (plan.department, plan.hops, plan.level) == (department, hop, 0)
    assert MAX_HOPS == 3
    last = after_not_ours(routing, plan, "purchasing", NOW, 1)
    assert (last.department, last.hops) == ("customer_service", 4)


def test_a_rederivation_restarts_the_escalation_chain_and_the_extension(routing):
    escalated = escalation_after(routing, derived(routing, extended=True), NOW, 1)
    moved = after_not_ours(routing, escalated, "claims", NOW, 1)
    assert (moved.level, moved.extended, moved.reason) == (0, False, "rederived")


def test_plans_survive_json_and_dynamodb_numbers(routing):
    from decimal import Decimal

    plan = derived(routing)
    stored = {
        k: Decimal(v) if isinstance(v, int) and not isinstance(v, bool) else v
        for k, v in plan.as_dict().items()
    }
    assert WaitPlan.from_dict(stored) == plan
    assert WaitPlan.from_dict(plan.as_dict()) == plan


@pytest.mark.parametrize(
    ("level", "reason", "marks"),
    [
        (0, "derived", {"derived_at": "T"}),
        (0, "rederived", {}),
        (0, "extended", {}),
        (1, "escalated", {"escalated_l1_at": "T"}),
        (2, "escalated", {"escalated_l2_at": "T", "sla_breached": True}),
    ],
)
def test_each_wait_sets_the_case_times_its_transition_starts(level, reason, marks):
    # Given a wait at a level, for a reason
    plan = WaitPlan(
        level=level,
        department="claims",
        priority="P2",
        deadline="2026-12-01T10:00:00Z",
        timeout_seconds=60,
        reason=reason,
    )
    # Then the case records exactly the times it starts, and the breach at the last level
    assert plan.milestones("T") == marks
    assert plan.breached is (level == 2)
