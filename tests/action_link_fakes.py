"""An action link, its case and the action-link use case's dependencies over in-memory
ports, shared by the action links' tests (pages, refusals, answers)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from socialcare.app.action_links import (
    ActionDependencies,
)
from socialcare.config.loaders import routing_config
from socialcare.domain.action_links import ActionLink, LinkStatus
from socialcare.domain.derivation import plan_wait
from tests.conftest import NOW
from tests.fakes import InMemoryWorkflowStore, a_case
from tests.service_fakes import RecordingTaskTokens

ACTION_ID = "A" * 32
CSRF = "c" * 32
ROUTING = routing_config()


def a_link(**changes) -> ActionLink:
    plan = plan_wait(
        ROUTING,
        department="claims",
        priority="P2",
        level=0,
        now=NOW,
        time_scale=1,
        reason="derived",
    )
    link = ActionLink(
        id=ACTION_ID,
        case_id=a_case().id,
        plan=plan,
        csrf_token=CSRF,
        task_token="token",
        status=LinkStatus.PENDING,
        expires_at=int((NOW + timedelta(days=90)).timestamp()),
    )
    return replace(link, **changes)


def a_store(link: ActionLink | None = None, **case_fields) -> InMemoryWorkflowStore:
    store = InMemoryWorkflowStore()
    store.add(a_case(**case_fields))
    link = link or a_link()
    store.actions[link.id] = link
    return store


def deps(store: InMemoryWorkflowStore, tokens=None) -> ActionDependencies:
    return ActionDependencies(
        cases=store,
        actions=store,
        closing=store,
        tokens=tokens or RecordingTaskTokens(),
        routing=ROUTING,
        clock=lambda: NOW,
        time_scale=1,
    )


def answer(action: str, **form) -> dict[str, str]:
    return {"csrf_token": CSRF, "action": action, **form}
