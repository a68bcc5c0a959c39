"""The workflow's emails: a derivation (with the action links), the social team's copy,
what the social team answers by itself, the urgent alert and the crisis alert."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from socialcare.domain.action_links import ActionChoice
from socialcare.domain.cases import Case
from socialcare.domain.crisis import CrisisFacts
from socialcare.domain.derivation import WaitPlan
from socialcare.domain.email_delivery import OwedEmail
from socialcare.domain.emails import Email
from socialcare.domain.outbound import OutboundRecord, OutboundStatus
from socialcare.domain.routing import RoutingConfig
from socialcare.presentation.alert_emails import crisis_email, low_score_email
from socialcare.presentation.case_views import case_context, local_time
from socialcare.presentation.formatting import Formats
from socialcare.presentation.labels import Labels
from socialcare.presentation.rendering import render, strings
from socialcare.presentation.team_digest import team_digest_email


@dataclass(frozen=True)
class CaseEmailComposer:
    routing: RoutingConfig
    actions_base_url: str

    def derivation(
        self,
        case: Case,
        plan: WaitPlan,
        action_id: str,
        language: str,
    ) -> Email:
        """The department's email, in the department's language."""
        return self._derivation(case, plan, action_id, language, for_social_team=False)

    def social_team_copy(self, case: Case, plan: WaitPlan, action_id: str) -> Email:
        """The social team's copy of a derivation, all of it in the team's language (its
        subject says it is a copy), with the link that publishes the suggested reply."""
        language = self.routing.social_team_language
        return self._derivation(case, plan, action_id, language, for_social_team=True)

    def _derivation(
        self,
        case: Case,
        plan: WaitPlan,
        action_id: str,
        language: str,
        *,
        for_social_team: bool,
    ) -> Email:
        t = strings(language)
        owner = plan.department if not plan.breached else self.routing.main_department
        subject_key = {
            "escalated": "escalation_subject",
            "extended": "extended_subject",
        }.get(plan.reason, "derivation_subject")
        base = f"{self.actions_base_url.rstrip('/')}/actions/{action_id}"
        links = [
            {"label": t[choice.value], "url": f"{base}?do={choice.value}"}
            for choice in ActionChoice
        ]
        return self._case_email(
            case,
            language=language,
            timezone=self.routing.timezone_of(owner),
            subject_key=subject_key,
            # The team's copy says what happened to the case, not what the department must do
            intro_key=f"team_intro_{plan.reason}" if for_social_team else f"intro_{plan.reason}",
            priority=plan.priority,
            plan=plan,
            links=links,
            publish_url=self._publish_url(case) if for_social_team else None,
            subject_prefix=t["copy_prefix"] if for_social_team else "",
            extra={"department": Labels(language, self.routing).department(plan.department)},
        )

    def autonomous(self, case: Case) -> Email:
        """What the social team answers by itself: the case and the suggested replies."""
        return self._team_email(case, "autonomous_subject", "intro_autonomous")

    def autonomous_digest(
        self, cases: list[Case], uncertain: Sequence[OutboundRecord] = ()
    ) -> Email:
        """Several autonomous cases triaged together, in one email (one case: as above),
        with the sends whose fate is unknown, and those the platform reported failed, since
        the last one."""
        if len(cases) == 1 and not uncertain:
            return self.autonomous(cases[0])
        routing = self.routing
        language = routing.social_team_language
        timezone = routing.timezone_of(routing.main_department)
        t = strings(language)
        subject = t["autonomous_digest_subject"].format(count=len(cases), first_case_id=cases[0].id)
        items = [
            {
                **case_context(
                    c,
                    timezone=timezone,
                    language=language,
                    routing=routing,
                    links_base=self.actions_base_url,
                ),
                "publish_url": self._publish_url(c),
            }
            for c in cases
        ]
        context = {
            "cases": items,
            "L": Labels(language, routing),
            "uncertain": [r for r in uncertain if r.status is not OutboundStatus.FAILED],
            "failed": [
                (r, _failure_words(t, r)) for r in uncertain if r.status is OutboundStatus.FAILED
            ],
            "t": t,
            "language": language,
            "subject": subject,
            "intro": t["intro_autonomous_digest"],
        }
        return Email(subject, render("digest.txt", **context), render("digest.html", **context))

    def urgent(self, case: Case) -> Email:
        return self._team_email(case, "urgent_subject", "intro_urgent")

    def low_score(self, case: Case, score: int) -> Email:
        """The customer rated the answer 1-2: the social team follows it up."""
        link = case.follow_up_link
        base = self.actions_base_url.rstrip("/")
        url = f"{base}/follow-up/{case.id}.{link.key}" if link and not link.used_at else None
        return low_score_email(case, score, self.routing, url, self.routing.social_team_language)

    def team_digest(self, owed: Sequence[OwedEmail]) -> Email:
        return team_digest_email(owed, self.routing)

    def crisis(self, facts: CrisisFacts) -> Email:
        return crisis_email(facts, self.routing, self._publish_url, self.routing.crisis_language)

    def crisis_digest(self, facts: CrisisFacts, since_last: int) -> Email:
        language = self.routing.social_team_language
        return crisis_email(facts, self.routing, self._publish_url, language, since_last)

    def _team_email(
        self, case: Case, subject_key: str, intro_key: str, **extra: str | int
    ) -> Email:
        routing = self.routing
        return self._case_email(
            case,
            language=routing.social_team_language,
            timezone=routing.timezone_of(routing.main_department),
            subject_key=subject_key,
            intro_key=intro_key,
            priority=(case.triage.priority if case.triage else None) or "",
            plan=None,
            links=[],
            publish_url=self._publish_url(case),
            extra=extra,
        )

    def _sla_length(self, plan: WaitPlan | None, language: str) -> str | None:
        """The wait in words people use ("2,7 días laborables"), beside its deadline."""
        # An escalation's wait is its own; a department's is its SLA for the priority.
        if plan is None or plan.level or plan.department not in self.routing.departments:
            return None
        hours = self.routing.departments[plan.department].sla_hours[plan.priority]
        day = self.routing.calendar_of(plan.department).working_day_hours
        return Formats(language).business_days(hours, day)

    def _publish_url(self, case: Case) -> str | None:
        if case.publish is None or case.publish.used_at:
            return None
        return f"{self.actions_base_url.rstrip('/')}/publish/{case.id}.{case.publish.key}"

    def _case_email(
        self,
        case: Case,
        *,
        language: str,
        timezone: str,
        subject_key: str,
        intro_key: str,
        priority: str,
        plan: WaitPlan | None,
        links: list[dict[str, str]],
        publish_url: str | None = None,
        extra: dict[str, str | int] | None = None,
        subject_prefix: str = "",
    ) -> Email:
        t = strings(language)
        context = case_context(
            case,
            timezone=timezone,
            language=language,
            routing=self.routing,
            links_base=self.actions_base_url,
        )
        labels = context["L"]
        values = {
            "priority": priority,
            "category": labels.category(case.triage.category if case.triage else None),
            "channel": labels.channel(case.channel),
            "case_id": case.id,
            "level": plan.level if plan else 0,
            **(extra or {}),
        }
        subject = subject_prefix + t[subject_key].format(**values)
        context.update(
            {
                "deadline_local": local_time(plan.deadline if plan else None, timezone, language),
                "new_deadline": bool(
                    plan and plan.reason in ("escalated", "extended", "rederived")
                ),
                "sla_length": self._sla_length(plan, language),
                "t": t,
                "language": language,
                "subject": subject,
                "intro": t[intro_key].format(**values),
                "breached": bool(plan and plan.breached),
                "links": links,
                "publish_url": publish_url,
            }
        )
        return Email(
            subject, render("derivation.txt", **context), render("derivation.html", **context)
        )


def _failure_words(t: dict[str, str], record: OutboundRecord) -> str:
    """What the platform's code means and what to do, in the team's language."""
    meaning = t.get(f"failed_{record.error_code}")
    if meaning:
        return t["failed_with_code"].format(code=record.error_code, meaning=meaning)
    return t["failed_with_code"].format(code="-", meaning=t["reason_on_timeline"])
