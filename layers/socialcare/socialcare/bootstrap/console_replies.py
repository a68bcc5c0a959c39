"""The console's replies and audit as production builds them: what `send_reply` takes (the
actions area's replies, and the approvals area's approved replies), the audit store every
area records into. Apart from console_actions.py so that the approvals area can send with
it while the actions area asks the approvals area (no import circle)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socialcare.bootstrap import Root
from socialcare.bootstrap import adapters as built
from socialcare.bootstrap.outbound import outbound as outbound_dependencies

if TYPE_CHECKING:
    from socialcare.app.approvals import ReplySender
    from socialcare.app.console_replies import ReplyDependencies
    from socialcare.ports.console_audit import ConsoleAudit


def console_audit(root: Root) -> ConsoleAudit:
    from socialcare.adapters.dynamodb.console_audit import DynamoDBConsoleAudit

    return root.once("console_audit", lambda: DynamoDBConsoleAudit(built.cases_table(root)))


def send_reply_dependencies(root: Root) -> ReplyDependencies:
    """What `send_reply` takes (no approvals: an approved reply is sent, never held again)."""

    def build() -> ReplyDependencies:
        from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader
        from socialcare.adapters.dynamodb.console_cases import DynamoDBConsoleCases
        from socialcare.app.console_replies import ReplyDependencies
        from socialcare.domain.clock import system_clock

        table = built.cases_table(root)
        return ReplyDependencies(
            cases=DynamoDBCaseReader(table),
            console=DynamoDBConsoleCases(table),
            outbound=outbound_dependencies(root),
            audit=console_audit(root),
            clock=system_clock,
        )

    return root.once("console_replies", build)


def approved_sending(root: Root) -> ReplySender:
    """The approvals area's sender: an approved reply through `send_reply`, in its
    writer's name, its outcome as the approvals area words it."""
    from socialcare.app.approvals import HELD, SentReply
    from socialcare.app.console_replies import ReplyHeld, ReplyRefused, ReplySent, send_reply
    from socialcare.app.outbound import Result
    from socialcare.domain.console_replies import ReplyDraft

    deps = send_reply_dependencies(root)

    def send(draft: ReplyDraft) -> SentReply:
        outcome = send_reply(draft, deps)
        if isinstance(outcome, ReplySent):
            return SentReply(outcome.outcome.result.value, outcome.outcome.reason)
        if isinstance(outcome, ReplyHeld):
            return SentReply(HELD, outcome.holder)
        reason = outcome.reason.value if isinstance(outcome, ReplyRefused) else None
        return SentReply(Result.BLOCKED.value, reason)  # nothing was asked of a platform

    return send
