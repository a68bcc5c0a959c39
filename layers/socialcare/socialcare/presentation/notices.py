"""Short pages that say why something was refused."""

from __future__ import annotations

from socialcare.presentation.rendering import render, strings


def report_link_refused(why: str, language: str) -> str:
    t = strings(language)
    return render(
        "notice.html",
        t=t,
        language=language,
        title=t[f"report_link_{why}_title"],
        lines=[t[f"report_link_{why}"]],
        case_id=None,
        late_form=None,
    )


def media_refused(state: str, language: str) -> str:
    """A media link that gives nothing: "gone", "unavailable" or "too_large"."""
    t = strings(language)
    title = t["media_unavailable_title"] if state == "unavailable" else t["media_gone_title"]
    return render(
        "notice.html",
        t=t,
        language=language,
        title=title,
        lines=[t[f"media_{state}"]],
        case_id=None,
        late_form=None,
    )
