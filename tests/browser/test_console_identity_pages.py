"""The identity area's pages (the admins' users page, the failed sign-in notice) in
Chromium at 390 and 1280 px, in Spanish and English: axe-core finds no serious or
critical violation, and nothing is wider than the phone."""

from __future__ import annotations

import pytest

from socialcare.domain.console_users import ConsoleUser, Role
from socialcare.presentation.console import access_pages
from socialcare.presentation.console import access_routes as routes
from socialcare.presentation.console.requests import ConsoleRequest
from tests.unit.console.test_identity_routes import area

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}


def _screens(language: str) -> dict[str, str]:
    admin = ConsoleUser("ana", frozenset({Role.ADMIN}), session="session-1")
    users = routes.users_page(
        ConsoleRequest("GET", "/console/users", language=language), admin, area()
    )
    failed = access_pages.notice(400, language, "failed_title", "failed")
    signed_out = access_pages.notice(
        200, language, "signed_out_title", "signed_out", then="about:blank#logout"
    )
    return {
        "users": users["body"],
        "signin-failed": failed["body"],
        "signed-out": signed_out["body"],
    }


@pytest.mark.parametrize("width", (390, 1280))
@pytest.mark.parametrize("language", ("es", "en"))
def test_the_identity_pages_are_accessible_and_fit_a_phone(
    chromium, language: str, width: int
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    # Given the identity pages on this screen
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
