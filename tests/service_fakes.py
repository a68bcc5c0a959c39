"""In-memory fakes of the services around the cases table: Step Functions (starting and
resuming workflows), SES, the platforms' reads, the customers table."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from socialcare.domain.case_details import (
    DetailsProblem,
    DetailsUnavailable,
    MentionContent,
    PersonName,
)
from socialcare.domain.derivation import WaitPlan
from socialcare.domain.failures import TaskGone, Unavailable, WorkflowUnavailable
from socialcare.domain.messages import Channel


@dataclass
class RecordingWorkflows:
    """Step Functions' promise: one execution per name, whatever the starts; fails the
    next `fail_next` starts as a throttled StartExecution would."""

    fail_next: int = 0
    started: dict[str, WaitPlan] = field(default_factory=dict)
    starts: int = 0

    def start(self, case_id: str, plan: WaitPlan) -> str:
        self.starts += 1
        if self.fail_next:
            self.fail_next -= 1
            raise WorkflowUnavailable("ThrottlingException")
        self.started.setdefault(case_id, plan)
        return f"arn:aws:states:::execution:case-{case_id}"


@dataclass
class RecordingTaskTokens:
    """Resumes nothing: records what the workflow would receive, or fails as told."""

    fails_with: type[Exception] | None = None
    resumed: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def succeed(self, token: str, output: dict[str, Any]) -> None:
        if self.fails_with is TaskGone:
            raise TaskGone("TaskTimedOut")
        if self.fails_with is not None:
            raise self.fails_with("ServiceUnavailable")
        self.resumed.append((token, output))


@dataclass
class Outbox:
    """Sends nothing: keeps every email; `fail_next` makes the next sends Unavailable."""

    sent: list[dict[str, Any]] = field(default_factory=list)
    fail_next: int = 0

    def send(self, to: list[str], subject: str, text: str, html: str) -> str:
        if self.fail_next:
            self.fail_next -= 1
            raise Unavailable("Throttling")
        self.sent.append({"to": list(to), "subject": subject, "text": text, "html": html})
        return f"message-{len(self.sent)}"

    def subjects(self) -> list[str]:
        return [email["subject"] for email in self.sent]


@dataclass
class PlatformContent:
    """PlatformDetails over dicts, as the Graph API answers: an id it does not hold is
    gone (Graph's 100 on a deleted or unknown object); `failing` fails every read."""

    mentions: dict[tuple[str, str, str | None], MentionContent] = field(default_factory=dict)
    people: dict[tuple[str, str], PersonName] = field(default_factory=dict)
    failing: DetailsProblem | None = None
    reads: list[tuple[str, ...]] = field(default_factory=list)

    def mention(self, account_id: str, media_id: str, comment_id: str | None) -> MentionContent:
        self.reads.append(("mention", account_id, media_id, comment_id or ""))
        self._fail()
        found = self.mentions.get((account_id, media_id, comment_id))
        if found is None:
            raise DetailsUnavailable(DetailsProblem.GONE, "no such mention")
        return found

    def person(self, channel: Channel, account_id: str, person_id: str) -> PersonName:
        self.reads.append(("person", channel.value, account_id, person_id))
        self._fail()
        found = self.people.get((channel.value, person_id))
        if found is None:
            raise DetailsUnavailable(DetailsProblem.GONE, "no such person")
        return found

    def _fail(self) -> None:
        if self.failing is not None:
            raise DetailsUnavailable(self.failing, "failing")


@dataclass
class KnownCustomers:
    ids: set[tuple[str, str]] = field(default_factory=set)
    references: dict[tuple[str, str], str] = field(default_factory=dict)

    def reference(self, platform: str, author_id: str) -> str | None:
        if (platform, author_id) not in self.ids:
            return None
        return self.references.get((platform, author_id), "")
