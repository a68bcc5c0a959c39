"""The social team's digest: what it would have been emailed about cases it had heard of
within the hour, each email as it was composed, in one email."""

from __future__ import annotations

import re
from collections.abc import Sequence

from markupsafe import Markup

from socialcare.domain.email_delivery import OwedEmail
from socialcare.domain.emails import Email
from socialcare.domain.routing import RoutingConfig
from socialcare.presentation.case_views import local_time
from socialcare.presentation.rendering import render, strings


def team_digest_email(owed: Sequence[OwedEmail], routing: RoutingConfig) -> Email:
    language = routing.social_team_language
    t = strings(language)
    timezone = routing.timezone_of(routing.main_department)
    cases = list(dict.fromkeys(o.case_id for o in owed))
    subject = t["team_digest_subject"].format(
        notices=_counted(t, "notice", len(owed)), cases=_counted(t, "case", len(cases))
    )
    items = [
        {
            "subject": o.subject,
            "text": o.text,
            "body": _body_of(o.html),
            "at": local_time(o.owed_at.isoformat(), timezone, language),
        }
        for o in owed
    ]
    context = {
        "t": t,
        "language": language,
        "subject": subject,
        "intro": t["team_digest_intro"],
        "items": items,
    }
    return Email(
        subject, render("team_digest.txt", **context), render("team_digest.html", **context)
    )


def _counted(t: dict[str, str], what: str, count: int) -> str:
    """«1 caso», «3 casos»: the two forms both languages have."""
    return (
        t[f"team_digest_{what}_one"]
        if count == 1
        else t[f"team_digest_{what}s"].format(count=count)
    )


_BODY = re.compile(r"<body>(.*)</body>", re.DOTALL)


def _body_of(html: str) -> Markup | None:
    """The held email's own body, links and all, as it was composed (by these autoescaped
    templates): its raw text would show each link's address, codes and all."""
    found = _BODY.search(html)
    return Markup(found.group(1)) if found else None  # noqa: S704 (our own rendered HTML)
