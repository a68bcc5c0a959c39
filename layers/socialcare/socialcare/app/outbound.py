"""Send one outbound action at most once: claim its item, call the platform, record what
happened. A call whose fate is unknown (a timeout after the request left) is never simply
repeated: the platform is asked first where it can tell, and where it cannot the action
becomes `uncertain` for the social team to check. A token the platform no longer takes
never refuses an action for good: it waits for a later attempt, and an alarm says the
token needs a person."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from socialcare.domain.clock import Clock
from socialcare.domain.outbound import (
    Delivery,
    OutboundAction,
    OutboundRecord,
    OutboundStatus,
)
from socialcare.domain.outbound_config import OutboundConfig
from socialcare.domain.outbound_rules import Blocked, Conversation, plan_delivery
from socialcare.domain.platform_errors import (
    CannotTell,
    FateUnknown,
    PlatformBusy,
    PlatformFailed,
    PlatformRefused,
    PlatformTokenInvalid,
)

if TYPE_CHECKING:
    from socialcare.ports.outbound import OutboundStore, PlatformGateway, TokenAlarm

OutboundMode = Literal["live", "dry_run"]


@dataclass
class OutboundDependencies:
    store: OutboundStore
    platforms: PlatformGateway
    config: OutboundConfig
    clock: Clock
    mode: OutboundMode
    alarm: TokenAlarm  # PlatformTokenInvalid, counted where the function's alarm sees it
    sleep: Callable[[float], None] = time.sleep
    # Calls per invocation before the action is left to a later retry.
    max_attempts: int = 3
    # The longest wait for a rate limit honoured inside one invocation (longer: deferred).
    max_wait_seconds: float = 8.0
    # Longer than the slowest invocation that sends: a SENDING claim older than this was
    # abandoned by a crashed or timed-out invocation.
    lease_seconds: float = 120.0
    # Local stack only: waits run this many times faster.
    time_scale: float = 1.0


class Result(StrEnum):
    SENT = "sent"  # sent now, or found sent by an earlier attempt
    DRY_RUN = "dry_run"
    BLOCKED = "blocked"  # a rule kept it from going out (the reason says which)
    REFUSED = "refused"  # the platform refused it for good
    UNCERTAIN = "uncertain"  # it may have gone: never resent, the social team checks
    DEFERRED = "deferred"  # not now (rate limit, platform down, a token, another call)


# Outcome.code of an action deferred because the brand's access to the platform (its
# token) cannot be used now.
ACCESS_PROBLEM = "access"
# Outcome.code of an action deferred by a rate limit longer than an invocation waits (X's
# 24-hour caps): not tried again before Outcome.retry_at.
RATE_LIMITED = "rate_limited"


@dataclass(frozen=True)
class Outcome:
    action_id: str
    result: Result
    message_id: str | None = None
    reason: str | None = None
    # A blocked action's rule, or ACCESS_PROBLEM / RATE_LIMITED for a deferral
    # (presentation words it).
    code: str | None = None
    retry_at: datetime | None = None  # RATE_LIMITED: when the platform takes calls again
    # What the customer receives (or may have received): the template's words when the
    # approved template went instead of the written ones, whose name is then `template`.
    text: str | None = None
    template: str | None = None
    at: str | None = None  # TEMPLATE_ALREADY_SENT: when the earlier one went (UTC ISO)

    @property
    def delivered(self) -> bool:
        """The customer has it (or, in a dry run, would have)."""
        return self.result in (Result.SENT, Result.DRY_RUN)


_FINAL_RESULTS = {
    OutboundStatus.SENT: Result.SENT,
    OutboundStatus.UNCERTAIN: Result.UNCERTAIN,
    OutboundStatus.REFUSED: Result.REFUSED,
    OutboundStatus.FAILED: Result.REFUSED,  # reported undeliverable after it was taken
    OutboundStatus.DRY_RUN: Result.DRY_RUN,
}


def deliver(
    action: OutboundAction, conversation: Conversation, deps: OutboundDependencies
) -> Outcome:
    now = deps.clock()
    planned = plan_delivery(action, conversation, deps.config, now)
    if isinstance(planned, Blocked):
        deps.store.record_blocked(action, planned.reason, now)
        return Outcome(action.id, Result.BLOCKED, reason=planned.reason, code=planned.code)
    if deps.mode == "dry_run":
        deps.store.record_dry_run(action, planned.summary(), now)
        template = planned.template.name if planned.template else None
        return Outcome(action.id, Result.DRY_RUN, text=planned.text, template=template)
    action = planned.action  # as the rules named it (a template: once per customer message)
    existing = deps.store.claim_outbound(action, planned.summary(), now, deps.lease_seconds)
    if existing is None:
        return _with_words(_attempts(planned, 1, deps, deps.max_attempts), planned)
    return _with_words(_resume(planned, existing, deps), planned)


def _with_words(outcome: Outcome, delivery: Delivery) -> Outcome:
    """The words that went out (or may have), as this delivery asked for them, unless an
    earlier call's are known."""
    if outcome.result not in (Result.SENT, Result.UNCERTAIN) or outcome.text is not None:
        return outcome
    template = delivery.template.name if delivery.template else None
    return replace(outcome, text=delivery.text, template=template)


def _resume(delivery: Delivery, record: OutboundRecord, deps: OutboundDependencies) -> Outcome:
    """The action was claimed before: finished, being sent, or left to retry."""
    action = delivery.action
    if action.once and record.purpose != action.purpose:
        reason = f"the template {record.template} went already ({record.at}); no answer since"
        deps.store.record_blocked(action, reason, deps.clock())
        return Outcome(
            action.id, Result.BLOCKED, reason=reason, code="template_already_sent", at=record.at
        )
    if record.purpose is not None and record.purpose != action.purpose:
        # One public reply and one private reply per comment: someone else's went first.
        reason = f"this comment's {action.kind.value} was asked for already ({record.purpose})"
        deps.store.record_blocked(action, reason, deps.clock())
        return Outcome(action.id, Result.BLOCKED, reason=reason, code="already_asked")
    if record.status in _FINAL_RESULTS:  # in the words that went then, not today's
        result = _FINAL_RESULTS[record.status]
        return Outcome(
            action.id,
            result,
            record.message_id,
            record.reason,
            text=record.text,
            template=record.template,
        )
    now = deps.clock()
    abandoned = record.status is OutboundStatus.SENDING and record.lease_until < now.timestamp()
    if record.status is OutboundStatus.SENDING and not abandoned:
        return Outcome(action.id, Result.DEFERRED, reason="another call is sending it")
    if record.status is OutboundStatus.RETRY and record.retry_at > now.timestamp():
        return _rate_limited(action.id, record.retry_at, record.reason)
    if not deps.store.retake_outbound(record, now, deps.lease_seconds):
        return Outcome(action.id, Result.DEFERRED, reason="another call took it")
    attempts = record.attempts + 1
    if abandoned or record.status is OutboundStatus.UNKNOWN:  # it may have gone out
        return _after_unknown(
            delivery, attempts, deps, "an earlier call was interrupted", deps.max_attempts
        )
    return _attempts(delivery, attempts, deps, deps.max_attempts)


def _attempts(delivery: Delivery, attempts: int, deps: OutboundDependencies, calls: int) -> Outcome:
    """Call the platform (at most `calls` times), with backoff on rate limits and on
    failures that did nothing."""
    action = delivery.action
    for tried in range(calls):
        try:
            message_id = deps.platforms.send(delivery)
        except PlatformRefused as refused:
            return _finish(delivery, OutboundStatus.REFUSED, attempts, deps, reason=str(refused))
        except PlatformTokenInvalid as invalid:
            return _token_problem(action, OutboundStatus.RETRY, attempts, deps, invalid)
        except FateUnknown as unknown:
            why = str(unknown) or "timeout"
            return _after_unknown(delivery, attempts, deps, why, calls - tried - 1)
        except (PlatformBusy, PlatformFailed) as error:
            wait = error.retry_after if isinstance(error, PlatformBusy) else 2.0**tried
            if isinstance(error, PlatformBusy) and wait > deps.max_wait_seconds:
                # Not called again before the limit resets (a click, the stream's retry)
                retry_at = deps.clock().timestamp() + wait
                deps.store.finish_outbound(
                    action,
                    OutboundStatus.RETRY,
                    deps.clock(),
                    attempts=attempts,
                    reason=_why(error),
                    retry_at=retry_at,
                )
                return _rate_limited(action.id, retry_at, _why(error))
            if tried == calls - 1 or wait > deps.max_wait_seconds:
                return _defer(action, attempts, deps, _why(error))
            deps.sleep(wait / deps.time_scale)
            continue
        return _finish(delivery, OutboundStatus.SENT, attempts, deps, message_id=message_id)
    return _defer(action, attempts, deps, "no call left")


def _defer(
    action: OutboundAction, attempts: int, deps: OutboundDependencies, reason: str
) -> Outcome:
    """Surely not sent: left RETRY for a later call (the stream's retry, a second click)."""
    deps.store.finish_outbound(
        action, OutboundStatus.RETRY, deps.clock(), attempts=attempts, reason=reason
    )
    return Outcome(action.id, Result.DEFERRED, reason=reason)


def _rate_limited(action_id: str, retry_at: float, reason: str | None) -> Outcome:
    return Outcome(
        action_id,
        Result.DEFERRED,
        reason=reason,
        code=RATE_LIMITED,
        retry_at=datetime.fromtimestamp(retry_at, UTC),
    )


def _token_problem(
    action: OutboundAction,
    status: OutboundStatus,
    attempts: int,
    deps: OutboundDependencies,
    invalid: PlatformTokenInvalid,
) -> Outcome:
    """Nothing was done: left for a later attempt (RETRY, or UNKNOWN when an earlier call's
    fate is still to be asked), and the alarm tells ops the token needs a person."""
    deps.alarm.token_invalid(invalid.platform, invalid.problem)
    reason = f"the {invalid.platform} token cannot be used now ({invalid.problem.value})"
    deps.store.finish_outbound(action, status, deps.clock(), attempts=attempts, reason=reason)
    return Outcome(action.id, Result.DEFERRED, reason=reason, code=ACCESS_PROBLEM)


def _after_unknown(
    delivery: Delivery, attempts: int, deps: OutboundDependencies, why: str, calls: int
) -> Outcome:
    """Ask the platform whether it was done; send again only when it says it was not."""
    try:
        found = deps.platforms.find_sent(delivery)
    except CannotTell:
        return _finish(delivery, OutboundStatus.UNCERTAIN, attempts, deps, reason=why)
    except PlatformTokenInvalid as invalid:  # asked before anything is sent again
        return _token_problem(delivery.action, OutboundStatus.UNKNOWN, attempts, deps, invalid)
    except (PlatformBusy, PlatformFailed, FateUnknown) as error:
        # Could not ask now: a later call asks before anything is sent again.
        deps.store.finish_outbound(
            delivery.action, OutboundStatus.UNKNOWN, deps.clock(), attempts=attempts, reason=why
        )
        return Outcome(delivery.action.id, Result.DEFERRED, reason=_why(error))
    if found is not None:
        return _finish(delivery, OutboundStatus.SENT, attempts, deps, message_id=found)
    if calls <= 0:
        return _defer(delivery.action, attempts, deps, f"{why}; not done, no call left")
    return _attempts(delivery, attempts, deps, calls)


def _finish(
    delivery: Delivery,
    status: OutboundStatus,
    attempts: int,
    deps: OutboundDependencies,
    *,
    message_id: str | None = None,
    reason: str | None = None,
) -> Outcome:
    action = delivery.action
    deps.store.finish_outbound(
        action,
        status,
        deps.clock(),
        attempts=attempts,
        message_id=message_id,
        reason=reason,
        summary=delivery.summary(),
    )
    return Outcome(action.id, _FINAL_RESULTS[status], message_id, reason)


def _why(error: Exception) -> str:
    if isinstance(error, PlatformBusy):
        return f"rate limited ({error})"
    return f"platform unavailable ({type(error).__name__}: {error})"[:200]
