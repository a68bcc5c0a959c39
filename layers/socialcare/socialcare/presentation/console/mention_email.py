"""The email a console user gets when a note @mentions them: who, which case, a link to
it. Never the note itself, nor anything of the customer's: the email leaves the console."""

from __future__ import annotations

from urllib.parse import quote

from markupsafe import escape

from socialcare.domain.emails import Email
from socialcare.presentation.console.actions_words import words


def mention_email(case_id: str, by: str, *, language: str, console_url: str) -> Email:
    t = words(language)
    link = f"{console_url.rstrip('/')}/console/cases/{quote(case_id, safe='')}"
    line = t["mention_text"].format(by=by, case_id=case_id)
    html = (
        f'<!doctype html><html lang="{escape(language)}"><meta charset="utf-8">'
        f'<p>{escape(line)}</p><p><a href="{escape(link)}">{escape(t["open_case"])}</a></p>'
    )
    return Email(
        subject=t["mention_subject"].format(by=by, case_id=case_id),
        text=f"{line}\n\n{t['open_case']}: {link}\n",
        html=html,
    )
