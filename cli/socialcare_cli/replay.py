"""`socialcare replay`: re-drive the deliveries parked in the failed-deliveries queue
through the webhook function, then the stream batches triage gave up on
(triage_replay.py). Safe to run any time: a message already recorded is
recognised as a duplicate; one that fails again stays in the queue."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from socialcare_cli.replay_queue import Invoke, each_message
from socialcare_cli.triage_replay import drain_triage_failures


def drain(sqs: Any, queue_url: str, invoke: Invoke, *, max_rounds: int = 1000) -> Counter[str]:
    """Each parked delivery once per run: recorded and deleted, or kept for next time."""
    outcome: Counter[str] = Counter()
    for message in each_message(sqs, queue_url, max_rounds):
        parked = json.loads(message["Body"])
        # {"parked_delivery": ...} is the function's own replay event; queues from
        # before sealed records hold {"reason", "event"}: the whole API Gateway event.
        response = invoke(parked.get("event") or parked)
        status = int(response.get("statusCode", 500))
        if status < 500:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            for key, value in _counts(response).items():
                outcome[key] += value
            outcome["replayed"] += 1
        else:
            outcome["still_failing"] += 1
    return outcome


def _counts(response: dict[str, Any]) -> dict[str, int]:
    try:
        body = json.loads(response.get("body") or "{}")
    except ValueError:
        return {}
    keys = ("created", "appended", "duplicate", "responses")
    return {k: int(body[k]) for k in keys if isinstance(body, dict) and k in body}


def main(arguments: Any) -> int:
    if arguments.local:
        from socialcare_cli.samples import http_request

        answer = http_request("POST", f"{arguments.local}/_local/replay", {})
        print(answer.body.decode())
        return 0 if answer.status == 200 and not answer.json().get("still_failing") else 1
    import boto3

    from socialcare_cli.report_cli import stack_outputs

    outputs = stack_outputs(arguments.stack_name)
    function = outputs["WebhookFunctionName"]
    client = boto3.client("lambda")

    invoke = _invoker(client, function)
    outcome = drain(boto3.client("sqs"), outputs["FailedDeliveriesQueueUrl"], invoke)
    outcome.update(
        drain_triage_failures(
            boto3.client("sqs"),
            outputs["TriageFailuresQueueUrl"],
            boto3.client("dynamodbstreams"),
            _invoker(client, outputs["TriageFunctionName"]),
        )
    )
    print(json.dumps(dict(outcome)))
    return 1 if outcome["still_failing"] or outcome["triage_still_failing"] else 0


def _invoker(client: Any, function: str) -> Invoke:
    def invoke(event: dict[str, Any]) -> dict[str, Any]:
        response = client.invoke(FunctionName=function, Payload=json.dumps(event).encode())
        answer = json.loads(response["Payload"].read() or b"{}")
        if response.get("FunctionError"):
            return {"errorType": response["FunctionError"], **answer}
        return answer

    return invoke
