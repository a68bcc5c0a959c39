"""The action-link use case against an in-memory store: what is looked up, what is noted."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from socialcare.app.action_links import ActionDependencies, show, submit
from socialcare.config.loaders import routing_config
from socialcare.domain.clock import utc_iso
from socialcare.domain.derivation import plan_wait
from tests.conftest import NOW

ACTION_ID = "A" * 32
CSRF = "c" * 32


@dataclass
class FakeStore:
    """The link and its case, as the workflow store keeps them; every call is recorded."""

    actions: dict[str, dict[str, Any]] = field(default_factory=dict)
    late_answers: list[dict[str, Any]] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)

    def get_action(self, action_id: str) -> dict[str, Any] | None:
        self.calls.append("get_action")
        return self.actions.get(action_id)

    def get_case(self, case_id: str) -> dict[str, Any]:
        self.calls.append("get_case")
        return {"id": case_id, "messages": [], "timeline": []}

    def record_late_answer(self, action_id: str, case_id: str, now, **data: Any) -> bool:
        self.calls.append("record_late_answer")
        action = self.actions[action_id]
        if action.get("late_answer_at"):
            return False
        action["late_answer_at"] = utc_iso(now)
        self.late_answers.append(data)
        return True


class NoTokens:
    def succeed(self, token: str, output: dict[str, Any]) -> None:
        raise AssertionError("a spent link must not resume the workflow")


def used_link() -> dict[str, Any]:
    routing = routing_config()
    plan = plan_wait(
        routing,
        department="claims",
        priority="P2",
        level=0,
        now=NOW,
        time_scale=1,
        reason="derived",
    )
    return {
        "case_id": "20261124-0123456789abcdef",
        "plan": plan.as_dict(),
        "csrf_token": CSRF,
        "task_token": "token",
        "status": "used",
        "choice": "resolved",
        "used_at": utc_iso(NOW),
        "expires_at": int(NOW.timestamp()) + 86400,
    }


def dependencies(store: FakeStore) -> ActionDependencies:
    return ActionDependencies(
        store=store, tokens=NoTokens(), routing=routing_config(), clock=lambda: NOW, time_scale=1
    )


@pytest.mark.parametrize(
    "action_id", ["a" * 3000, "A" * 31, "A" * 33, "ñ" * 32, "../" + "A" * 29, "A" * 31 + "="]
)
def test_ids_the_stack_never_makes_are_404_without_a_lookup(action_id):
    # Given a link id of a shape the stack never generates (secrets.token_urlsafe(24))
    store = FakeStore()
    # When it is opened or posted
    page = show(action_id, None, dependencies(store))
    posted = submit(action_id, {"csrf_token": CSRF, "action": "resolved"}, dependencies(store))
    # Then both are 404, and the store was never asked
    assert page.status == posted.status == 404
    assert store.calls == []


def test_only_the_first_late_answer_on_a_spent_link_is_noted():
    # Given a link already used
    store = FakeStore(actions={ACTION_ID: used_link()})
    form = {"csrf_token": CSRF, "action": "resolved", "note": "x" * 2000}
    # When the form is posted again and again
    first = submit(ACTION_ID, form, dependencies(store))
    replies = [submit(ACTION_ID, form, dependencies(store)) for _ in range(20)]
    # Then each answer is 410; the first is noted, the others are told it was not
    assert first.status == 410 and "anotado en el historial" in first.body
    assert all(r.status == 410 and "no se ha guardado" in r.body for r in replies)
    assert len(store.late_answers) == 1


def test_a_spent_link_offers_the_late_answer_form_only_until_one_is_noted():
    store = FakeStore(actions={ACTION_ID: used_link()})
    before = show(ACTION_ID, None, dependencies(store))
    submit(ACTION_ID, {"csrf_token": CSRF, "action": "resolved"}, dependencies(store))
    after = show(ACTION_ID, None, dependencies(store))
    assert before.status == after.status == 410
    assert 'name="csrf_token"' in before.body and 'name="csrf_token"' not in after.body
