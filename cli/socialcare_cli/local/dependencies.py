"""The local stack built as production builds: the composition root over the stack's AWS
clients, with the clients (or adapters) a scenario wants to fail put in their place."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from socialcare.bootstrap import Root, use_cases
from socialcare.settings import Settings, get_settings
from socialcare_cli.local.stack import LocalStack

if TYPE_CHECKING:
    from collections.abc import Callable

    from socialcare.app.case_triage import TriageDependencies
    from socialcare.app.outbound import OutboundDependencies, OutboundMode
    from socialcare.app.webhook import WebhookDependencies


def stack_root(stack: LocalStack, settings: Settings | None = None, **failing: Any) -> Root:
    """A root of its own (a container's: its own caches and connections) whose clients are
    the stack's, but for the `failing` ones, by service ("dynamodb": a client...)."""
    return Root(settings, client=lambda service: failing.get(service) or stack.client(service))


def webhook_dependencies(stack: LocalStack, *, dynamodb: Any = None) -> WebhookDependencies:
    return use_cases.webhook(stack_root(stack, dynamodb=dynamodb))


def triage_dependencies(
    stack: LocalStack,
    *,
    dynamodb: Any = None,
    stepfunctions: Any = None,
    outbound_mode: OutboundMode | None = None,
) -> TriageDependencies:
    """`outbound_mode`: the stack's OutboundMode, or another one for this function."""
    settings = get_settings()
    if outbound_mode is not None:
        settings = replace(settings, outbound_mode=outbound_mode)
    failing = {"dynamodb": dynamodb, "stepfunctions": stepfunctions}
    return use_cases.triage(stack_root(stack, settings, **failing))


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
