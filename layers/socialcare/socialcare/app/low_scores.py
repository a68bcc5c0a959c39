"""Closing the loop: a customer who rated the answer 1-2 is followed up by the social team
(the follow-up is opened on the case when the answer is recorded; this alerts the team)."""

from __future__ import annotations

from socialcare.app.case_triage import TriageDependencies


def alert_low_score(case_id: str, deps: TriageDependencies) -> bool:
    """Email the social team, once per case; False when it was alerted already, or the
    case is no longer there (erased: nobody to follow up). Raises on anything transient
    (the stream brings the record back)."""
    case = deps.store.case(case_id)
    if case is None:
        return False
    if case.survey is None or case.survey.score is None:
        raise LookupError(f"case {case_id} has no survey answer")
    if not deps.store.claim_low_score_alert(case_id, deps.clock()):
        return False
    email = deps.emails.low_score(case, case.survey.score)
    try:
        deps.email.send(
            list(deps.triager.routing.social_team.emails), email.subject, email.text, email.html
        )
    except Exception:
        deps.store.release_low_score_alert(case_id)
        raise
    return True
