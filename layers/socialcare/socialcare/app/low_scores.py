"""Closing the loop: a customer who rated the answer 1-2 is followed up by the social team
(the follow-up is opened on the case when the answer is recorded; this alerts the team,
with the customer's comment, who closed the case and the link that writes to them)."""

from __future__ import annotations

from dataclasses import replace

from socialcare.app.case_triage import TriageDependencies
from socialcare.app.owed_emails import send_or_owe


def alert_low_score(case_id: str, deps: TriageDependencies) -> bool:
    """Email the social team, once per case; False when it was alerted already, or the
    case is no longer there (erased: nobody to follow up). An alert SES holds is owed;
    raises on anything else transient (the stream brings the record back)."""
    case = deps.cases.case(case_id)
    if case is None:
        return False
    if case.survey is None or case.survey.score is None:
        raise LookupError(f"case {case_id} has no survey answer")
    now = deps.clock()
    if not deps.alerts.claim_low_score_alert(case_id, now):
        return False
    team = deps.triager.routing.social_team.emails
    try:
        # A retry finds the link the first attempt made: one link per case.
        link = deps.follow_ups.open_follow_up_link(case_id, deps.token(), deps.token())
        email = deps.emails.low_score(replace(case, follow_up_link=link), case.survey.score)
        # Held by SES: owed (the OwedEmails schedule sends it), the claim kept.
        # An alert, like the urgent one: not held back for the team's digest.
        send_or_owe(
            deps.email, deps.owed_emails, email, team, case_id=case_id, key="low_score", now=now
        )
    except Exception:
        deps.alerts.release_low_score_alert(case_id)
        raise
    return True
