"""The case page's action forms and the actions' refusal pages in Chromium, in Spanish and
English, on a 390 px phone and a 1280 px screen: axe-core finds no serious or critical
violation, nothing is wider than the screen, and every field has its label."""

from __future__ import annotations

import pytest

from socialcare.config.loaders import routing_config
from socialcare.domain.console_users import ConsoleUser, Role
from socialcare.presentation.console.actions_fragment import case_actions_context
from socialcare.presentation.console.actions_routes import ROUTES, ActionsArea
from socialcare.presentation.console.requests import ConsoleRequest
from socialcare.presentation.rendering import render
from tests.unit.console.actions_fakes import CASE_ID, reply_dependencies
from tests.unit.console.test_actions_cases import a_store, case_deps, routing_deps
from tests.unit.console.test_inbox_pages import _get as inbox_get

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
CASE = {
    "id": CASE_ID,
    "public": True,
    "triage": {"suggested_replies": {"public": "Hola Ana, lo revisamos", "private": "Te escribo"}},
}


def _shell(language: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Caso {CASE_ID}</title></head><body><main><h1>Caso</h1>{body}</main></body></html>"
    )


def screens(language: str) -> dict[str, str]:
    user = ConsoleUser("ana", frozenset({Role.COMMUNITY_MANAGER}))
    context = case_actions_context(
        CASE,
        user,
        language,
        routing_config(),
        notice="reply_sent",
        saved_replies=[("s1", "Gracias")],
    )
    forms = render("console/case_actions.html", actions=context, csrf="tok")
    closed = case_actions_context(
        {**CASE, "closed_at": "2026-11-24T10:00:00Z"}, user, language, routing_config()
    )
    # The inbox area's case page, the forms in it (its layout, its CSRF field)
    page = inbox_get(f"/console/cases/{CASE_ID}", headers={"accept-language": language})
    assert 'action="/console/cases/' in page["body"]
    shown = {
        "case-page": page["body"],
        "forms": _shell(language, forms),
        "closed": _shell(language, render("console/case_actions.html", actions=closed, csrf="tok")),
    }
    # The refusal pages the forms' routes answer with: a claimed case, an invalid reason
    area = _area()
    area.replies.console.leases.clear()
    _post(area, "claim", ConsoleUser("luis", frozenset({Role.AGENT})), language)
    shown["held"] = _post(area, "reply", user, language, text="Hola", visibility="public")["body"]
    shown["refused"] = _post(area, "close", user, language, reason="bored")["body"]
    return shown


def _area() -> ActionsArea:
    store = a_store()
    return ActionsArea(reply_dependencies(), case_deps(store), routing_deps(store))


def _post(area, action, user, language, **form):
    [route] = [r for r in ROUTES if r.pattern == f"/console/cases/{{id}}/{action}"]
    request = ConsoleRequest(
        "POST", f"/console/cases/{CASE_ID}/{action}", {"id": CASE_ID}, form=form, language=language
    )
    return route.endpoint(request, user, area)


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.mark.parametrize("width", (390, 1280))
@pytest.mark.parametrize("language", ("es", "en"))
def test_the_action_forms_are_accessible_and_fit_the_screen(chromium, axe, language, width):
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    found, too_wide = {}, {}
    try:
        for name, html in screens(language).items():
            page.set_content(html)
            violations = axe.run(page).response["violations"]
            blocking = [(v["id"], v["impact"]) for v in violations if v["impact"] in BLOCKING]
            if blocking:
                found[name] = blocking
            if page.evaluate("document.documentElement.scrollWidth") > width:
                too_wide[name] = page.evaluate("document.documentElement.scrollWidth")
    finally:
        context.close()
    assert found == {} and too_wide == {}
