"""What the use cases need from the outside world, as protocols the adapters implement,
and the errors and values that cross that border. Every port is here or, for answering
on the platforms, in outbound_ports.py: an adapter imports these, never a use case."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, ConfigDict

from socialcare.domain.cases import Recorded
from socialcare.domain.delivery_reports import DeliveryReport, ReportRecorded
from socialcare.domain.messages import BrandResponse, Channel, InboundMessage, MessageChange
from socialcare.domain.surveys import SurveyAnswer, SurveyRecorded

if TYPE_CHECKING:  # annotations only: the webhook's cold start does not load triage
    from socialcare.domain.action_links import ActionLink, Answer, GoneReason
    from socialcare.domain.assessment import Assessment
    from socialcare.domain.case_facts import CaseFacts, ReportedCase
    from socialcare.domain.cases import Case, FollowUpLink, SuggestedReplies
    from socialcare.domain.crisis import CrisisFacts
    from socialcare.domain.derivation import WaitPlan
    from socialcare.domain.email_delivery import OwedEmail
    from socialcare.domain.outbound import OutboundRecord
    from socialcare.domain.parked import ParkedDelivery
    from socialcare.domain.report_kpis import Kpis
    from socialcare.domain.triage import TextSignals
    from socialcare.domain.triage_decision import TriageDecision


class Unavailable(Exception):
    """Something the delivery depends on failed now; the sender must be told to retry."""


class StorageUnavailable(Unavailable):
    """The store could not record durably now."""


class WorkflowUnavailable(Unavailable):
    """The workflow could not be started now; the stream's retry will start it."""


class SecretsUnavailable(Unavailable):
    """The platform secrets could not be read, or are not shaped as expected."""


class TaskGone(Exception):
    """The workflow no longer waits for this token (timed out and escalated)."""


class PlatformSecrets(BaseModel):
    """Shared secrets, one per platform. An empty value means "not configured": reject all."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    meta_app_secret: str = ""
    meta_verify_token: str = ""
    # The X app's API Key: only `socialcare connect x` uses it (with the secret, for the
    # app's bearer token); the webhook checks CRC and signatures with the secret alone.
    x_consumer_key: str = ""
    x_consumer_secret: str = ""
    telegram_secret_token: str = ""


class CaseStore(Protocol):
    def record(self, message: InboundMessage, now: datetime) -> Recorded:
        """Record the message exactly once: new case, appended to the author's open case,
        or recognised as a duplicate. Atomic: all of it is written or none."""

    def record_brand_response(self, response: BrandResponse, now: datetime) -> str | None:
        """Note the brand's public reply on the case of the message it answers (the first
        one sets the first public response time); the case id, None if no case has it."""

    def record_message_change(self, change: MessageChange, now: datetime) -> str | None:
        """Note the customer's edit or deletion on the case of the message changed; the
        case id, None if no case has that message."""

    def record_delivery_report(self, report: DeliveryReport, now: datetime) -> ReportRecorded:
        """What became of a message the brand sent, found by the platform's id for it: a
        failure marks the send failed once (its timeline and the social team's next digest
        with it); delivered/read keep the latest only. Never a case."""

    def record_survey_answer(self, answer: SurveyAnswer, now: datetime) -> SurveyRecorded:
        """The case's satisfaction answer, once: the first one stands (a low score also
        opens a follow-up and the social team's alert), one later answer is noted on the
        timeline and the rest dropped, and one for a case that asked no survey of that
        person there (`tap_counts`) is ignored."""

    def survey_language(self, case_id: str) -> str | None:
        """The language the case's survey was asked in (None: not asked, or before it
        was recorded)."""


class OwedEmails(Protocol):
    """Emails SES would not send, kept until they go (domain/email_delivery.py)."""

    def case(self, case_id: str) -> Case | None: ...

    def owe_email(self, owed: OwedEmail) -> bool:
        """Kept once per case and key, "email_owed" on the timeline; False if already."""

    def owed_emails(self) -> list[OwedEmail]: ...

    def claim_owed_email(self, owed: OwedEmail, now: datetime) -> bool:
        """True for the one caller that sends it now."""

    def release_owed_email(self, owed: OwedEmail) -> None: ...

    def owed_email_sent(self, owed: OwedEmail, now: datetime) -> None:
        """Gone from the owed, "owed_email_sent" on the timeline."""

    def drop_owed_email(self, owed: OwedEmail) -> None: ...

    def claim_team_email(self, case_id: str, now: datetime, interval: timedelta) -> bool:
        """True when the social team had no email about the case within `interval` (and
        now has one: the claim is kept); False when the case is gone."""

    def release_team_email(self, case_id: str, claimed_at: datetime) -> None:
        """The email claimed at `claimed_at` did not go: the next one may."""


class WorkflowStore(OwedEmails, Protocol):
    """What the workflow's steps and the action links read and write on a case."""

    def case(self, case_id: str) -> Case | None: ...

    def close_case(
        self, case_id: str, status: str, now: datetime, *, actor: str, **fields: Any
    ) -> bool:
        """False when the case was closed already (a retried step)."""

    def open_derivation(
        self,
        case_id: str,
        action_id: str,
        *,
        task_token: str,
        csrf_token: str,
        plan: WaitPlan,
        milestones: dict[str, Any],
        recipients: list[str],
        now: datetime,
        status: str,
        replies: SuggestedReplies | None = None,
    ) -> None:
        """The link (with the task token) and the case's new holder, in one transaction;
        with `replies`, the case's suggested replies become them (its note stays)."""

    def action(self, action_id: str) -> ActionLink | None: ...

    def use_action(
        self, action_id: str, choice: str, note: str, now: datetime, *, actor: str = ""
    ) -> bool:
        """Pending -> used, once, keeping the answer's note and who gave it. False if it
        was not pending (lost a race)."""

    def supersede_action(self, action_id: str, reason: str, now: datetime) -> bool: ...

    def release_action(self, action_id: str, status: str) -> bool: ...

    def record_answer(self, case_id: str, answer: Answer) -> bool: ...

    def record_late_answer(
        self, link: ActionLink, answer: Answer, reason: GoneReason, now: datetime
    ) -> bool:
        """Noted once per link; False when the link had one already."""

    def resolve_late(self, case_id: str, answer: Answer, now: datetime) -> bool:
        """A case closed as breached, answered after all: closed as the answer says
        (resolved_at or contacted_at set), `sla_breached` kept. False when it was not
        closed as breached."""


class TriageStore(OwedEmails, Protocol):
    """What triage reads and writes on a case (the workflow store implements it)."""

    def case(self, case_id: str) -> Case | None: ...

    def begin_triage(self, case_id: str, decision: TriageDecision, now: datetime) -> bool:
        """NEW -> TRIAGED with the decision (the assessment, its replies, a derived case's
        first wait, the links, what was read from the platform), once: False when the case
        was not NEW any more (triaged by an earlier delivery)."""

    def close_case(
        self, case_id: str, status: str, now: datetime, *, actor: str, **fields: Any
    ) -> bool: ...

    def mark_workflow_started(self, case_id: str, execution_arn: str, now: datetime) -> None: ...

    def claim_urgent_alert(self, case_id: str, now: datetime) -> bool: ...

    def release_urgent_alert(self, case_id: str) -> None: ...

    def claim_low_score_alert(self, case_id: str, now: datetime) -> bool:
        """The social team's alert for a case's low satisfaction score, once."""

    def release_low_score_alert(self, case_id: str) -> None: ...

    def open_follow_up_link(self, case_id: str, key: str, csrf_token: str) -> FollowUpLink:
        """The case's follow-up link: this one, or the one it already had."""

    def count_negative(
        self, topic: str, case_id: str, created_at: str, window: timedelta, now: datetime
    ) -> int: ...

    def negative_case_ids(self, topic: str, since: datetime, limit: int) -> list[str]:
        """The topic's negative cases created since `since` (as count_negative noted
        them), the newest first, at most `limit`."""

    def count_negative_between(self, topic: str, since: datetime, until: datetime) -> int:
        """The topic's negative cases created from `since` up to (not at) `until`."""

    def claim_crisis_alert(self, topic: str, window: timedelta, now: datetime) -> bool: ...

    def record_crisis_alert(self, case_id: str, topic: str, now: datetime) -> None: ...

    def unreported_uncertain(self, limit: int = 50) -> list[OutboundRecord]:
        """Sends whose fate is unknown, not yet in a social team email."""

    def mark_uncertain_reported(self, records: list[OutboundRecord]) -> None: ...


class WorkflowStarter(Protocol):
    def start(self, case_id: str, plan: WaitPlan) -> str:
        """Start the derived case's workflow at its first wait (idempotent by execution
        name); returns its ARN."""


class TaskTokens(Protocol):
    def succeed(self, token: str, output: dict[str, Any]) -> None:
        """Resume the waiting workflow; TaskGone when it no longer waits."""


class EmailSender(Protocol):
    def send(self, to: list[str], subject: str, text: str, html: str) -> str: ...


@dataclass(frozen=True)
class Email:
    """Whatever composed it, an email carries no control that reorders or hides text."""

    subject: str
    text: str
    html: str

    def __post_init__(self) -> None:
        # Imported here: the webhook imports this module and never writes an email.
        from socialcare.domain.text_controls import neutralise

        for part in ("subject", "text", "html"):
            object.__setattr__(self, part, neutralise(getattr(self, part)))


class CaseEmails(Protocol):
    """The workflow's emails, composed apart from it (presentation/case_emails.py)."""

    def derivation(
        self,
        case: Case,
        plan: WaitPlan,
        action_id: str,
        language: str,
    ) -> Email: ...

    def social_team_copy(self, case: Case, plan: WaitPlan, action_id: str) -> Email: ...

    def autonomous(self, case: Case) -> Email: ...

    def autonomous_digest(
        self, cases: list[Case], uncertain: Sequence[OutboundRecord] = ()
    ) -> Email: ...

    def urgent(self, case: Case) -> Email: ...

    def low_score(self, case: Case, score: int) -> Email: ...

    def crisis(self, facts: CrisisFacts) -> Email: ...

    def team_digest(self, owed: Sequence[OwedEmail]) -> Email:
        """What the social team would have been emailed about cases it heard of within
        the hour, in one email."""


class TextAnalysis(Protocol):
    def signals(self, text: str) -> TextSignals | None: ...


class SuggestReplies(Protocol):
    """The replies suggested to the community manager (presentation/replies.py)."""

    def suggest(
        self,
        assessment: Assessment,
        text: str,
        channel: Channel,
        *,
        public: bool | None = None,
        author_name: str | None = None,
        deadline: datetime | None = None,  # the department's, when derived
        now: datetime | None = None,
    ) -> SuggestedReplies: ...

    def restate(self, case: Case, plan: WaitPlan, now: datetime) -> SuggestedReplies | None:
        """The case's replies again, naming `plan`'s department and deadline."""


class CustomerDirectory(Protocol):
    def reference(self, platform: str, author_id: str) -> str | None:
        """None: not a known customer; else their reference in the CRM (policy, account;
        "" when the table keeps none), which the department uses to find them."""


class CaseDays(Protocol):
    def cases_created_on(
        self, day: str, since: str | None = None, until: str | None = None
    ) -> Iterator[ReportedCase]:
        """The cases created on the UTC `day` (and the facts of those erased); only from
        `since` to before `until` (UTC ISO times) when given."""


class ReportStore(Protocol):
    bucket: str

    def put(self, key: str, body: Any, content_type: str) -> None: ...
    def copy(self, source: str, key: str) -> None: ...
    def get(self, key: str) -> bytes | None: ...
    def concatenate(self, sources: list[str], key: str, skip_bytes: int, content_type: str) -> None:
        """`key` = the sources one after another, each but the first without its first
        `skip_bytes` (a repeated header); stored-side where the objects allow."""

    def presigned_url(self, key: str, seconds: int) -> str: ...


class ReportPresentation(Protocol):
    """What a report's files and email say (presentation/report_files.py)."""

    csv_columns: tuple[str, ...]

    def csv_row(self, case: ReportedCase, facts: CaseFacts) -> list[Any]: ...
    def html(self, kpis: Kpis, language: str) -> str: ...
    def email(self, kpis: Kpis, links: dict[str, str], language: str) -> Email: ...


class DeliveryParking(Protocol):
    def park(self, delivery: ParkedDelivery) -> bool:
        """Keep the delivery for `socialcare replay`; False when it could not be kept."""
