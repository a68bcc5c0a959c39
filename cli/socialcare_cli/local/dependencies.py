"""The local stack built as production builds: the composition root over the stack's AWS
clients, with the clients (or adapters) a scenario wants to fail put in their place."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from socialcare.bootstrap import Root, use_cases
from socialcare_cli.local.stack import LocalStack

if TYPE_CHECKING:
    from collections.abc import Callable

    from socialcare.app.case_triage import TriageDependencies
    from socialcare.app.outbound import OutboundDependencies
    from socialcare.app.webhook import WebhookDependencies


def stack_root(stack: LocalStack, **failing: Any) -> Root:
    """A root of its own (a container's: its own caches and connections) whose clients are
    the stack's, but for the `failing` ones, by service ("dynamodb": a client...)."""
    return Root(client=lambda service: failing.get(service) or stack.client(service))


def webhook_dependencies(stack: LocalStack, *, dynamodb: Any = None) -> WebhookDependencies:
    return use_cases.webhook(stack_root(stack, dynamodb=dynamodb))


def triage_dependencies(
    stack: LocalStack, *, dynamodb: Any = None, stepfunctions: Any = None
) -> TriageDependencies:
    return use_cases.triage(stack_root(stack, dynamodb=dynamodb, stepfunctions=stepfunctions))


def outbound_container(
    stack: LocalStack,
    alarm: Any,
    *,
    secretsmanager: Any = None,
    sleep: Callable[[float], None] | None = None,
) -> OutboundDependencies:
    """One Lambda container's outbound dependencies: its own cache of PlatformTokensSecret
    and its own connections, the stack's one X refresh lock; `alarm` counts token
    problems, `sleep` waits for another container's refresh (a scenario's, faster)."""
    root = stack_root(stack, secretsmanager=secretsmanager)
    root.provide("token_alarm", alarm)
    if sleep is not None:
        root.provide("sleep", sleep)
    return use_cases.outbound(root)
