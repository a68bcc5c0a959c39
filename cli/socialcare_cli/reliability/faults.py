"""Faults: AWS calls failing at a rate; platforms' retries must end in one case each, none lost."""

from __future__ import annotations

from collections import Counter

from socialcare_cli.local.stack import LocalStack, local_secrets, project_root
from socialcare_cli.reliability.common import failing_client, wait_for_workflows
from socialcare_cli.synthetic import deliveries


def faults(stack: LocalStack, distinct: int, rate: float = 0.2, retries: int = 3) -> dict:
    """Every DynamoDB call and StartExecution failing on `rate` of calls (botocore hooks on
    the webhook's own clients): every delivery ends stored
    or answered 5xx and parked; after the platform's retries and a replay, nothing is
    missing and nothing duplicated."""
    from socialcare_cli.local.dependencies import webhook_dependencies

    dynamodb, dynamodb_faults = failing_client(stack, "dynamodb", None, rate, 2)
    sfn, sfn_faults = failing_client(stack, "stepfunctions", {"StartExecution"}, rate, 3)
    deps = webhook_dependencies(stack, dynamodb=dynamodb, stepfunctions=sfn)
    sample = list(deliveries(distinct, local_secrets({}), project_root()))
    answers: Counter[int] = Counter()
    exhausted = acknowledged_messages = 0
    webhook = stack.function("WebhookFunction")
    for delivery in sample:
        for _ in range(retries):
            status = webhook.invoke(delivery.event, dependencies=deps)["statusCode"]
            answers[status] += 1
            if status < 500:
                acknowledged_messages += delivery.messages
                break
        else:
            exhausted += 1
    stored_before_replay = len(stack.list_cases())
    parked = stack.parked_deliveries()
    replay = stack.replay_failed_deliveries()
    expected = sum(d.messages for d in sample)
    executions = wait_for_workflows(stack, expected, timeout=max(120, distinct))
    cases = stack.list_cases()
    per_case = Counter(e["name"] for e in executions)
    return {
        "sent": {
            "deliveries": len(sample),
            "messages": expected,
            "failure_rate": rate,
            "platform_attempts_max": retries,
        },
        "injected": {
            **{f"DynamoDB {name}": count for name, count in sorted(dynamodb_faults.items())},
            "StartExecution": sfn_faults["StartExecution"],
        },
        "found": {
            "answers": dict(answers),
            "exhausted_retries": exhausted,
            "messages_acknowledged": acknowledged_messages,
            "cases_stored_before_replay": stored_before_replay,
            "parked": parked,
            "replay": replay,
            "cases": len(cases),
            "executions": len(executions),
            "max_executions_per_case": max(per_case.values(), default=0),
        },
        "ok": stored_before_replay >= acknowledged_messages
        and parked >= exhausted
        and len(cases) == expected
        and len(executions) == expected
        and max(per_case.values(), default=0) == 1
        and stack.parked_deliveries() == 0,
    }
