"""The customer's survey page: the question (GET), and what became of the answer (POST)."""

from __future__ import annotations

from socialcare.app.surveys import SurveyPage, SurveyPageState
from socialcare.presentation.pages import Page, notice
from socialcare.presentation.rendering import render, strings


def survey_page_for(page: SurveyPage) -> Page:
    t = strings(page.language)
    state = page.state
    if state in (SurveyPageState.ASK, SurveyPageState.INVALID) and page.texts is not None:
        html = render(
            "survey.html",
            t=t,
            language=page.language,
            texts=page.texts,
            link_id=page.link_id,
            csrf_token=page.csrf_token,
            error=t["survey_invalid"] if state is SurveyPageState.INVALID else None,
        )
        return Page(200 if state is SurveyPageState.ASK else 400, html)
    if state is SurveyPageState.THANKS:
        line = t["survey_thanks"].format(score=page.score)
        return notice(200, page.language, t["survey_thanks_title"], [line])
    if state is SurveyPageState.ALREADY:
        line = t["survey_already"].format(score=page.score)
        return notice(200, page.language, t["survey_thanks_title"], [line])
    if state is SurveyPageState.FORBIDDEN:
        return notice(403, page.language, t["forbidden_title"], [t["survey_not_found"]])
    return notice(404, page.language, t["not_found_title"], [t["survey_not_found"]])
