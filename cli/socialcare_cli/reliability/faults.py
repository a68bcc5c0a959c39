"""Faults: AWS calls failing at a rate, in the webhook and in triage; platforms' retries,
the stream's retries and a replay must end in one case each, each triaged once, one
workflow per derived case, none lost."""

from __future__ import annotations

from collections import Counter

from socialcare_cli.local.stack import LocalStack, local_secrets, project_root
from socialcare_cli.reliability.common import failing_client, triage_found
from socialcare_cli.synthetic import COMPLAINTS, TEXTS, deliveries


def faults(stack: LocalStack, distinct: int, rate: float = 0.2, retries: int = 3) -> dict:
    """Every DynamoDB call of the webhook, and every DynamoDB call and StartExecution of
    triage, failing on `rate` of calls (botocore hooks on the functions' own clients):
    every delivery ends stored or answered 5xx and parked; every new case triaged by the
    stream's retries or, past them, by the replay; nothing missing, nothing twice."""
    from socialcare_cli.local.dependencies import triage_dependencies, webhook_dependencies

    dynamodb, dynamodb_faults = failing_client(stack, "dynamodb", None, rate, 2)
    triage_dynamodb, triage_dynamodb_faults = failing_client(stack, "dynamodb", None, rate, 4)
    sfn, sfn_faults = failing_client(stack, "stepfunctions", {"StartExecution"}, rate, 3)
    deps = webhook_dependencies(stack, dynamodb=dynamodb)
    # Production's triage, its automatic answers in dry run: they are the outbound
    # scenarios'; here a storage fault after an answer's claim would hold it for its lease
    # (120 s), past the replay that must finish every case.
    stack.stream_adapters["TriageFunction"] = {
        "dependencies": triage_dependencies(
            stack, dynamodb=triage_dynamodb, stepfunctions=sfn, outbound_mode="dry_run"
        )
    }
    # Half praise or spam (closed at triage), half complaints (a workflow each).
    texts = tuple(t for pair in zip(TEXTS, COMPLAINTS * 2, strict=False) for t in pair)
    sample = list(deliveries(distinct, local_secrets({}), project_root(), texts))
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
    stack.wait_for_streams(timeout=max(60, distinct))
    stored_before_replay = len(stack.list_cases())
    parked = stack.parked_deliveries()
    triage_failed = stack.triage_failures()
    stack.stream_adapters.clear()  # AWS answers again: what failed is replayed
    replay = stack.replay_failed_deliveries()
    expected = sum(d.messages for d in sample)
    found, triaged_once = triage_found(stack, expected, timeout=max(120, distinct))
    return {
        "sent": {
            "deliveries": len(sample),
            "messages": expected,
            "failure_rate": rate,
            "platform_attempts_max": retries,
        },
        "injected": {
            **{f"webhook DynamoDB {name}": n for name, n in sorted(dynamodb_faults.items())},
            **{f"triage DynamoDB {name}": n for name, n in sorted(triage_dynamodb_faults.items())},
            "triage StartExecution": sfn_faults["StartExecution"],
        },
        "found": {
            "answers": dict(answers),
            "exhausted_retries": exhausted,
            "messages_acknowledged": acknowledged_messages,
            "cases_stored_before_replay": stored_before_replay,
            "parked": parked,
            "triage_batches_given_up": triage_failed,
            "replay": replay,
            **found,
        },
        "ok": stored_before_replay >= acknowledged_messages
        and parked >= exhausted
        and triaged_once
        and stack.parked_deliveries() == 0,
    }
