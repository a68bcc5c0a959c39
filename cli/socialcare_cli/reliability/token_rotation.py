"""Token rotation: two containers' gateways (each its own cache of PlatformTokensSecret
and its own connections, the stack's one refresh lock) send X messages at once while
the token pair rotates around them: the secret says the access token is about to expire,
X ends it early every few messages, and the secret refuses its first three writes (X has
answered the first refresh; that pair cannot be saved yet). What was deferred is sent
again in later rounds, as the stream's retries and the people's second clicks do.

Every message must go out exactly once, none be refused for good or left uncertain, no
container refresh with a spent refresh token, and the secret end holding X's pair."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from socialcare_cli.local.stack import LocalStack

_ROUNDS = 8
_TOKEN_PATH = "/2/oauth2/token"


class CountingAlarm:
    """The PlatformTokenInvalid alarm, counted by platform and problem."""

    def __init__(self) -> None:
        self.raised: Counter[str] = Counter()
        self._guard = threading.Lock()

    def token_invalid(self, platform: str, problem: Any) -> None:
        with self._guard:
            self.raised[f"{platform} {problem.value}"] += 1


def token_rotation(stack: LocalStack, actions: int, *, failed_saves: int = 3) -> dict[str, Any]:
    from socialcare.app.outbound import Result, deliver
    from socialcare.domain.outbound_rules import Conversation
    from socialcare_cli.local.dependencies import outbound_container

    emulator = stack.platforms
    _about_to_expire(stack)
    alarm = CountingAlarm()
    refusing = _RefusedSaves(stack, failed_saves)  # whichever container refreshes first
    scaled = lambda seconds: time.sleep(seconds / 10)  # noqa: E731 (waits, 10 times faster)
    containers = [
        outbound_container(stack, alarm, secretsmanager=refusing.client(), sleep=scaled)
        for _ in range(2)
    ]
    every = max(5, actions // 8)  # X ends the access token's life every `every` messages
    ended = _ExpiringX(emulator, every)
    wanted = {n: _dm(n) for n in range(actions)}
    outcomes: dict[int, list[Result]] = {n: [] for n in wanted}
    now = datetime.now(UTC)
    conversation = Conversation(category="complaint", first_message_at=now, last_message_at=now)

    def work(deps: Any, numbers: list[int]) -> None:
        for number in numbers:
            outcomes[number].append(deliver(wanted[number], conversation, deps).result)
            ended.after_send()

    pending, rounds = list(wanted), 0
    while pending and rounds < _ROUNDS:
        rounds += 1
        threads = [
            threading.Thread(target=work, args=(deps, pending[i :: len(containers)]))
            for i, deps in enumerate(containers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        pending = [n for n in wanted if outcomes[n][-1] is Result.DEFERRED]
    return _result(stack, wanted, outcomes, alarm, rounds, every, refusing.refused)


def _result(
    stack: LocalStack,
    wanted: dict[int, Any],
    outcomes: dict[int, list[Any]],
    alarm: CountingAlarm,
    rounds: int,
    every: int,
    refused_saves: int,
) -> dict[str, Any]:
    emulator = stack.platforms
    texts = Counter(s["text"] for s in emulator.state.sent if s["platform"] == "x")
    finals = Counter(r[-1].value for r in outcomes.values())
    refreshes = Counter(str(c["status"]) for c in emulator.calls_made() if c["path"] == _TOKEN_PATH)
    secret = json.loads(
        stack.client("secretsmanager").get_secret_value(
            SecretId=stack.refs["PlatformTokensSecret"]
        )["SecretString"]
    )
    found = {
        "final_outcomes": dict(finals),
        "lost": sum(1 for a in wanted.values() if texts[a.text] == 0),
        "sent_twice": sum(1 for n in texts.values() if n > 1),
        "refused_for_good": sum(
            1 for r in outcomes.values() if any(o.value == "refused" for o in r)
        ),
        "deferred_then_sent": sum(
            1 for r in outcomes.values() if len(r) > 1 and r[-1].value == "sent"
        ),
        "rounds": rounds,
        "token_endpoint_answers": dict(refreshes),
        "alarms": dict(alarm.raised),
        "secret_holds_x_pair": secret["x_refresh_token"] == emulator.tokens["x_refresh_token"],
    }
    ok = (
        found["lost"] == 0
        and found["sent_twice"] == 0
        and found["refused_for_good"] == 0
        and set(finals) == {"sent"}
        and "400" not in refreshes
        and found["secret_holds_x_pair"]
    )
    sent = {
        "containers": 2,
        "x_messages": len(wanted),
        "x_ends_the_access_token_every": every,
        "put_secret_value_refused": refused_saves,
    }
    return {"sent": sent, "found": found, "ok": ok}


def _about_to_expire(stack: LocalStack) -> None:
    """The secret holds X's current pair, due to expire within the refresh margin."""
    client, secret_id = stack.client("secretsmanager"), stack.refs["PlatformTokensSecret"]
    value = json.loads(client.get_secret_value(SecretId=secret_id)["SecretString"])
    for key in ("x_access_token", "x_refresh_token", "x_client_id", "x_client_secret"):
        value[key] = stack.platforms.tokens[key]
    value["x_token_expires_at"] = time.time() + 30
    client.put_secret_value(SecretId=secret_id, SecretString=json.dumps(value))


class _RefusedSaves:
    """Secrets Manager clients whose PutSecretValue calls fail, `count` in all."""

    def __init__(self, stack: LocalStack, count: int) -> None:
        self._stack, self._count = stack, count
        self.refused = 0
        self._guard = threading.Lock()

    def client(self) -> Any:
        from botocore.awsrequest import AWSResponse
        from botocore.compat import HTTPHeaders

        client = self._stack.client("secretsmanager")

        def refuse(model: Any, **_: Any) -> Any:
            with self._guard:
                if self.refused >= self._count:
                    return None
                self.refused += 1
            error = {"Error": {"Code": "InternalServiceError", "Message": "injected"}}
            return AWSResponse(self._stack.endpoint_url, 500, HTTPHeaders(), None), error

        client.meta.events.register("before-call.secrets-manager.PutSecretValue", refuse)
        return client


class _ExpiringX:
    """X ends the current access token's two hours early, every `every` messages sent."""

    def __init__(self, emulator: Any, every: int) -> None:
        self._emulator, self._every = emulator, every
        self._sends = 0
        self._guard = threading.Lock()

    def after_send(self) -> None:
        with self._guard:
            self._sends += 1
            if self._sends % self._every == 0:
                self._emulator.x_tokens.expire_access_token()


def _dm(number: int) -> Any:
    from socialcare.domain.messages import Channel
    from socialcare.domain.outbound import Origin, OutboundAction, OutboundKind, OutboundTarget

    participant = str(1_700_000_000_000_000_000 + number)
    return OutboundAction(
        case_id=f"20261124-{number:016x}",
        kind=OutboundKind.MESSAGE,
        channel=Channel.X_DM,
        target=OutboundTarget(
            account_id="1500000000000000001",
            message_id=str(1_600_000_000_000_000_000 + number),
            conversation_id=participant,
            author_id=participant,
        ),
        text=f"Hola, seguimos con tu caso {number}: te escribimos en cuanto lo tengamos.",
        origin=Origin.DEPARTMENT,
        actor="token rotation",
        purpose=f"reply:rotation-{number}",
    )
