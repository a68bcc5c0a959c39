"""The approvals area's pages (waiting replies with the approver's forms, a case's
decided ones, the saved replies' list and one with its edit form and history) in
Chromium at 390 and 1280 px, in Spanish and English: axe-core finds no serious or
critical violation, and nothing is wider than the phone."""

from __future__ import annotations

import pytest

from socialcare.app.approvals import return_for_changes, submit_for_approval
from socialcare.app.saved_replies import create
from socialcare.domain.saved_replies import SavedReplyFields
from tests.unit.console.approval_fakes import a_draft
from tests.unit.console.test_approvals_pages import AUTHORITY, CARLA, PABLO, _area, _call

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}


def _screens(language: str) -> dict[str, str]:
    area = _area()
    submit_for_approval(a_draft("Hola, lo revisamos contigo hoy mismo."), area.approvals)
    returned = submit_for_approval(a_draft("Te compensaremos."), area.approvals)
    return_for_changes(returned.approval.id, "pablo", "Sin promesas, por favor.", area.approvals)
    fields = SavedReplyFields(
        "Horario de atención", {"es": "Hola, {nombre}: de 9 a 18.", "en": "Hi {name}: 9-18."}
    )
    create(fields, "carla", area.saved)
    cookie = {"cookie": f"console_lang={language}"}
    pages = {
        "approvals": ("/console/approvals", "", PABLO),
        "case-approvals": ("/console/approvals", f"case={AUTHORITY.id}", PABLO),
        "saved-replies": ("/console/saved-replies", "", CARLA),
        "saved-reply": ("/console/saved-replies/horario-de-atencion", "", CARLA),
    }
    return {
        name: _call(area, user, "GET", path, query=query, headers=cookie)["body"]
        for name, (path, query, user) in pages.items()
    }


@pytest.mark.parametrize("width", (390, 1280))
@pytest.mark.parametrize("language", ("es", "en"))
def test_the_approvals_pages_are_accessible_and_fit_a_phone(
    chromium, language: str, width: int
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    # Given the approvals area's pages on this screen
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    found: dict[str, list[str]] = {}
    try:
        for name, html in _screens(language).items():
            # When Chromium lays each out and axe-core checks it
            page.set_content(html)
            violations = Axe().run(page).response["violations"]
            blocking = [v["id"] for v in violations if v["impact"] in BLOCKING]
            overflow = page.evaluate("document.documentElement.scrollWidth") > width
            if blocking or overflow:
                found[name] = [*blocking, *(["wider than the screen"] if overflow else [])]
    finally:
        context.close()
    # Then none has a serious or critical violation, and none scrolls sideways
    assert found == {}
