"""In-memory fakes of the ports (socialcare/ports/), for use-case tests that run in
milliseconds. They keep the adapters' promises (a link is used once, a late answer is
noted once, an alert is claimed once) so a use case cannot lean on a fake's leniency;
the emulated-stack tests prove the DynamoDB adapters keep the same promises. One
InMemoryWorkflowStore serves every store port of triage, the workflow and the links;
the other fakes are beside it (intake_, service_, report_, outbound_fakes.py)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from socialcare.domain.action_links import ActionLink, Answer, GoneReason, LinkStatus
from socialcare.domain.case_details import (
    with_details,
)
from socialcare.domain.cases import (
    Case,
    CaseAuthor,
    CaseStatus,
    SuggestedReplies,
)
from socialcare.domain.clock import utc_iso
from socialcare.domain.derivation import WaitPlan
from socialcare.domain.triage_decision import TriageDecision
from tests.owed_email_fakes import OwedEmailFakes
from tests.survey_fakes import SurveyFakes

ACTION_RETENTION = timedelta(days=90)


def a_case(case_id: str = "20261124-0123456789abcdef", **fields: Any) -> Case:
    values: dict[str, Any] = {
        "id": case_id,
        "platform": "x",
        "channel": "x_mention",
        "created_at": "2026-11-24T09:00:00Z",
        "author": CaseAuthor(id="42", handle="ana", display_name="Ana"),
        "texts": ("Mi siniestro lleva tres semanas sin perito y nadie me llama",),
        "public": True,
        "language": "es",
    }
    values.update(fields)
    return Case(**values)


@dataclass
class InMemoryWorkflowStore(SurveyFakes, OwedEmailFakes):
    """The store ports of triage, the workflow and the links (CaseReader, TriageRecords,
    CaseClosing, ActionLinkRecords, CaseAlerts, OwedEmailStore, SurveyStore, PublishLinks,
    FollowUpLinks) over dicts; every call is recorded."""

    cases: dict[str, Case] = field(default_factory=dict)
    actions: dict[str, ActionLink] = field(default_factory=dict)
    timeline: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)  # what else was set
    # The negative cases noted per topic: (topic, created_at, case id).
    negative_cases_seen: list[tuple[str, str, str]] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    uncertain: list[Any] = field(default_factory=list)  # sends not yet in a team email
    owed_surveys: list[str] = field(default_factory=list)  # SURVEY_OWED items, once each
    owed: dict[tuple[str, str], Any] = field(default_factory=dict)  # EMAIL_OWED items
    team_emails: dict[str, datetime] = field(default_factory=dict)
    _owed_claims: set[tuple[str, str]] = field(default_factory=set)
    _claims: set[str] = field(default_factory=set)

    def add(self, case: Case) -> Case:
        self.cases[case.id] = case
        return case

    def case(self, case_id: str) -> Case | None:
        self.calls.append("case")
        return self.cases.get(case_id)

    def begin_triage(self, case_id: str, decision: TriageDecision, now: datetime) -> bool:
        self.calls.append("begin_triage")
        case = self.cases.get(case_id)
        if case is None or case.status != CaseStatus.NEW.value or case.closed:
            return False
        if decision.details is not None:
            case = with_details(case, decision.details)
        if decision.media_link:
            case = replace(case, media_link=decision.media_link)
        self.cases[case_id] = replace(
            case,
            triage=decision.record(),
            status=CaseStatus.TRIAGED.value,
            wait_plan=decision.plan,
            publish=decision.publish,
            needs_review=decision.assessment.needs_review,
        )
        triage = decision.triage_map()
        self._set(
            case_id,
            triage=triage,
            status=CaseStatus.TRIAGED.value,
            priority=decision.assessment.priority,
            department=decision.department,
            publish_link=decision.publish,
            customer_reference=decision.customer_reference,
            details=decision.details,
            media_link=decision.media_link,
            second_opinion=decision.second_opinion,
        )
        self._event(case_id, "triaged", category=triage.get("category"))
        return True

    def mark_workflow_started(self, case_id: str, execution_arn: str, now: datetime) -> None:
        self.calls.append("mark_workflow_started")
        self.cases[case_id] = replace(self.cases[case_id], workflow_started=True)
        self._set(case_id, workflow_execution_arn=execution_arn)

    def close_case(
        self, case_id: str, status: str, now: datetime, *, actor: str, **fields: Any
    ) -> bool:
        self.calls.append("close_case")
        case = self.cases[case_id]
        if case.closed:
            return False
        self.cases[case_id] = replace(case, closed_at=utc_iso(now), status=status)
        self._set(case_id, status=status, **fields)
        self._event(case_id, "closed", actor=actor, status=status)
        return True

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
        self.calls.append("open_derivation")
        if action_id in self.actions:
            raise AssertionError("an action id is never reused")
        if case_id not in self.cases:  # the adapter's condition: the case must be there
            raise LookupError(f"case {case_id} does not exist or is closed")
        self.actions[action_id] = ActionLink(
            id=action_id,
            case_id=case_id,
            plan=plan,
            csrf_token=csrf_token,
            task_token=task_token,
            status=LinkStatus.PENDING,
            expires_at=int((now + ACTION_RETENTION).timestamp()),
        )
        case = self.cases[case_id]
        self.cases[case_id] = replace(case, current_action=action_id, deadline=plan.deadline)
        if replies and case.triage:  # each one composed again (the adapter's promise)
            old = case.triage
            triage = replace(
                old,
                public_reply=replies.public or old.public_reply,
                private_reply=replies.private or old.private_reply,
                hidden_notice=replies.hidden_notice or old.hidden_notice,
                followup=replies.followup or old.followup,
            )
            self.cases[case_id] = replace(self.cases[case_id], triage=triage)
        self._set(case_id, status=status, department=plan.department, **milestones)
        self._event(case_id, plan.reason, department=plan.department, level=plan.level)

    def action(self, action_id: str) -> ActionLink | None:
        self.calls.append("action")
        return self.actions.get(action_id)

    def use_action(
        self, action_id: str, choice: str, note: str, now: datetime, *, actor: str = ""
    ) -> bool:
        self.calls.append("use_action")
        moved = self._move(action_id, LinkStatus.PENDING, LinkStatus.USED, choice, utc_iso(now))
        if moved:
            self.actions[action_id] = replace(self.actions[action_id], note=note, actor=actor)
        return moved

    def supersede_action(self, action_id: str, reason: str, now: datetime) -> bool:
        self.calls.append("supersede_action")
        return self._move(action_id, LinkStatus.PENDING, LinkStatus(reason))

    def release_action(self, action_id: str, status: str) -> bool:
        self.calls.append("release_action")
        return self._move(action_id, LinkStatus.USED, LinkStatus(status))

    def record_answer(self, case_id: str, answer: Answer) -> bool:
        self.calls.append("record_answer")
        if case_id not in self.cases:  # the adapter reads the CASE item first
            raise LookupError(f"case {case_id} does not exist")
        self._set(case_id, **answer.milestones())
        self._event(case_id, "department_action", actor=answer.actor, **answer.details())
        closing = answer.closing_status
        if closing:
            at = datetime.fromisoformat(answer.at.replace("Z", "+00:00"))
            self.close_case(case_id, closing.value, at, actor=answer.actor)
        return True

    def record_late_answer(
        self, link: ActionLink, answer: Answer, reason: GoneReason, now: datetime
    ) -> bool:
        self.calls.append("record_late_answer")
        stored = self.actions.get(link.id)
        if stored is None or stored.late_answer_at:
            return False
        self.actions[link.id] = replace(stored, late_answer_at=utc_iso(now))
        self._event(link.case_id, "late_answer", link=reason.value, **answer.details())
        return True

    def claim_urgent_alert(self, case_id: str, now: datetime) -> bool:
        self.calls.append("claim_urgent_alert")
        return self._claim(f"urgent:{case_id}")

    def release_urgent_alert(self, case_id: str) -> None:
        self.calls.append("release_urgent_alert")
        self._claims.discard(f"urgent:{case_id}")

    def count_negative(
        self, topic: str, case_id: str, created_at: str, window: timedelta, now: datetime
    ) -> int:
        self.calls.append("count_negative")
        if (topic, created_at, case_id) not in self.negative_cases_seen:  # keyed by the case
            self.negative_cases_seen.append((topic, created_at, case_id))
        return self.count_negative_between(topic, now - window, None)

    def count_negative_between(self, topic: str, since: datetime, until: datetime | None) -> int:
        return len(self._negatives(topic, since, until))

    def negative_case_ids(self, topic: str, since: datetime, limit: int) -> list[str]:
        newest = sorted(self._negatives(topic, since, None), reverse=True)
        return [case_id for _, case_id in newest[:limit]]

    def _negatives(
        self, topic: str, since: datetime, until: datetime | None
    ) -> list[tuple[str, str]]:
        """(created_at, case id) from `since` up to (not at) `until`, as the key sorts."""
        low, high = utc_iso(since), utc_iso(until) if until else "~"
        return [(at, i) for t, at, i in self.negative_cases_seen if t == topic and low <= at < high]

    def claim_crisis_alert(self, topic: str, window: timedelta, now: datetime) -> bool:
        self.calls.append("claim_crisis_alert")
        return self._claim(f"crisis:{topic}")

    def unreported_uncertain(self, limit: int = 50) -> list[Any]:
        return list(self.uncertain[:limit])

    def mark_uncertain_reported(self, records: list[Any]) -> None:
        self.uncertain = [r for r in self.uncertain if r not in records]

    def record_crisis_alert(self, case_id: str, topic: str, now: datetime) -> None:
        self.calls.append("record_crisis_alert")
        self._event(case_id, "crisis_alert", topic=topic)

    def events(self, case_id: str, kind: str) -> list[dict[str, Any]]:
        return [data for case, what, data in self.timeline if case == case_id and what == kind]

    def _move(
        self,
        action_id: str,
        current: LinkStatus,
        new: LinkStatus,
        choice: str | None = None,
        used_at: str | None = None,
    ) -> bool:
        link = self.actions.get(action_id)
        if link is None or link.status is not current:
            return False
        changes: dict[str, Any] = {"status": new}
        if choice is not None:
            changes.update(choice=choice, used_at=used_at)
        self.actions[action_id] = replace(link, **changes)
        return True

    def _claim(self, key: str) -> bool:
        if key in self._claims:
            return False
        self._claims.add(key)
        return True

    def owe_survey(self, case_id: str, now: datetime) -> None:
        self.calls.append("owe_survey")
        if case_id not in self.owed_surveys:
            self.owed_surveys.append(case_id)

    def _set(self, case_id: str, **values: Any) -> None:
        self.fields.setdefault(case_id, {}).update(
            {k: v for k, v in values.items() if v is not None}
        )

    def _event(self, case_id: str, kind: str, **data: Any) -> None:
        self.timeline.append((case_id, kind, data))
