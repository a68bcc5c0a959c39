"""In-memory fakes of the outbound ports: the store keeps the DynamoDB adapter's promises
(claimed once, a retake only from what was read, a fate recorded only by its claim), and
a scripted platform answers each call as told and counts what it really did."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from socialcare.app.outbound import OutboundDependencies
from socialcare.domain.delivery_reports import RANK, ReceiptState, ReportRecorded
from socialcare.domain.messages import Channel
from socialcare.domain.outbound import (
    Delivery,
    Origin,
    OutboundAction,
    OutboundKind,
    OutboundRecord,
    OutboundStatus,
    OutboundTarget,
)
from socialcare.domain.outbound_config import OutboundConfig
from socialcare.domain.outbound_rules import Conversation
from socialcare.domain.platform_errors import CannotTell, FateUnknown, TokenProblem

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def an_action(
    kind: OutboundKind = OutboundKind.PUBLIC_REPLY,
    channel: Channel = Channel.FACEBOOK_COMMENT,
    text: str | None = "Hola Ana, te escribimos por privado.",
    **fields: Any,
) -> OutboundAction:
    values: dict[str, Any] = {
        "case_id": "20261124-0123456789abcdef",
        "kind": kind,
        "channel": channel,
        "target": OutboundTarget(
            account_id="104857600000001",
            message_id="998877665544_1",
            conversation_id=None if channel.is_public else "5123",
            author_id="42",
        ),
        "text": text,
        "origin": Origin.SOCIAL_TEAM,
        "actor": "social team",
        "purpose": "publish",
    }
    values.update(fields)
    return OutboundAction(**values)


def a_conversation(*, hours_ago: float = 1, category: str | None = "complaint") -> Conversation:
    at = NOW - timedelta(hours=hours_ago)
    return Conversation(category=category, first_message_at=at, last_message_at=at)


@dataclass
class InMemoryOutboundStore:
    records: dict[str, OutboundRecord] = field(default_factory=dict)
    events: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    case_fields: dict[str, dict[str, str]] = field(default_factory=dict)
    uncertain: list[OutboundRecord] = field(default_factory=list)

    def claim_outbound(self, action, summary, now, lease_seconds):
        if action.id in self.records:
            return self.records[action.id]
        self.records[action.id] = OutboundRecord(
            action.id,
            action.case_id,
            OutboundStatus.SENDING,
            attempts=1,
            lease_until=now.timestamp() + lease_seconds,
            kind=action.kind.value,
            channel=action.channel.value,
            purpose=action.purpose,
            text=summary.get("text"),
            template=summary.get("template"),
            at=now.isoformat(),  # the store's updated_at
        )
        return None

    def retake_outbound(self, record, now, lease_seconds):
        current = self.records.get(record.id)
        if current != record:
            return False
        self.records[record.id] = replace(
            current,
            status=OutboundStatus.SENDING,
            attempts=current.attempts + 1,
            lease_until=now.timestamp() + lease_seconds,
        )
        return True

    def finish_outbound(
        self,
        action,
        status,
        now,
        *,
        attempts,
        message_id=None,
        reason=None,
        summary=None,
        retry_at=0.0,
    ):
        current = self.records[action.id]
        if current.status is not OutboundStatus.SENDING or current.attempts != attempts:
            return  # another claim took it over
        if status is OutboundStatus.RETRY:
            current = replace(current, retry_at=float(math.ceil(retry_at)))
        self.records[action.id] = replace(
            current, status=status, message_id=message_id, reason=reason
        )
        if status not in (OutboundStatus.RETRY, OutboundStatus.UNKNOWN):
            said = (summary or {}).get("text", action.text)
            self.events.append((action.case_id, f"outbound_{status.value}", {"text": said}))
        if status is OutboundStatus.SENT and action.kind is OutboundKind.PUBLIC_REPLY:
            fields = self.case_fields.setdefault(action.case_id, {})
            fields.setdefault("first_public_response_at", now.isoformat())
        if status is OutboundStatus.UNCERTAIN:
            self.uncertain.append(self.records[action.id])

    def record_dry_run(self, action, summary, now):
        if action.id in self.records:
            return False
        self.records[action.id] = OutboundRecord(
            action.id, action.case_id, OutboundStatus.DRY_RUN, purpose=action.purpose
        )
        self.events.append((action.case_id, "outbound_dry_run", dict(summary)))
        return True

    def record_blocked(self, action, reason, now):
        self.events.append((action.case_id, "outbound_blocked", {"reason": reason}))

    def unreported_uncertain(self, limit=50):
        return list(self.uncertain[:limit])

    def mark_uncertain_reported(self, records):
        self.uncertain = [r for r in self.uncertain if r not in records]

    def record_delivery_report(self, report, now):
        """As the store: found by the platform's id of the send; a failure once, only over
        a send; delivered/read never backwards."""
        record = next(
            (
                r
                for r in self.records.values()
                if r.message_id == report.message_id and r.channel == report.channel.value
            ),
            None,
        )
        if record is None:
            return ReportRecorded.UNKNOWN
        if report.state is ReceiptState.FAILED:
            if record.status is not OutboundStatus.SENT:
                return ReportRecorded.UNCHANGED
            failed = replace(
                record,
                status=OutboundStatus.FAILED,
                error_code=report.error_code,
                reason=report.reason(),
            )
            self.records[record.id] = failed
            data = {"error_code": report.error_code, "error_title": report.error_title}
            self.events.append((record.case_id, "outbound_failed", data))
            self.uncertain.append(failed)
            return ReportRecorded.RECORDED
        known = RANK.get(ReceiptState(record.receipt), 0) if record.receipt else 0
        if record.status not in (OutboundStatus.SENT, OutboundStatus.FAILED):
            return ReportRecorded.UNCHANGED
        if RANK[report.state] <= known:
            return ReportRecorded.UNCHANGED
        self.records[record.id] = replace(record, receipt=report.state.value)
        return ReportRecorded.RECORDED

    def kinds(self) -> list[str]:
        return [kind for _, kind, _ in self.events]


@dataclass
class ScriptedPlatform:
    """Each call answered by the next step of `script` (an exception to raise, a callable
    run as the platform, or a message id); every call that acted is in `done`."""

    script: list[Any] = field(default_factory=list)
    found: list[Any] = field(default_factory=list)  # answers of find_sent, in order
    done: list[Delivery] = field(default_factory=list)
    calls: int = 0

    def send(self, delivery: Delivery) -> str:
        self.calls += 1
        step = self.script.pop(0) if self.script else "sent-1"
        if isinstance(step, FateUnknown):  # the request left and was acted on
            self.done.append(delivery)
            raise step
        if isinstance(step, Exception):
            raise step
        self.done.append(delivery)
        return step() if callable(step) else step

    def find_sent(self, delivery: Delivery) -> str | None:
        answer = self.found.pop(0) if self.found else CannotTell("scripted")
        if isinstance(answer, Exception):
            raise answer
        return answer


@dataclass
class RecordedAlarms:
    """The PlatformTokenInvalid alarm: each (platform, problem) raised, in order."""

    raised: list[tuple[str, str]] = field(default_factory=list)

    def token_invalid(self, platform: str, problem: TokenProblem) -> None:
        self.raised.append((platform, problem.value))


def outbound_dependencies(
    store: InMemoryOutboundStore | None = None,
    platform: ScriptedPlatform | None = None,
    *,
    mode: str = "live",
    config: OutboundConfig | None = None,
    clock: Callable[[], datetime] = lambda: NOW,
) -> OutboundDependencies:
    sleeps: list[float] = []
    deps = OutboundDependencies(
        store=store or InMemoryOutboundStore(),
        platforms=platform or ScriptedPlatform(),
        config=config or OutboundConfig(),
        clock=clock,
        mode=mode,  # type: ignore[arg-type]
        alarm=RecordedAlarms(),
        sleep=sleeps.append,
    )
    deps.sleeps = sleeps  # type: ignore[attr-defined]
    return deps
