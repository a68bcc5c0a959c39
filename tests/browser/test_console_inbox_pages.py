"""The console's inbox and case page in Chromium, at 390 and 1280 px, in both languages:
axe-core finds no serious or critical violation, nothing scrolls sideways, the refresh
script loads under the CSP. Served by the real router and pages over the unit tests'
fakes (who is signed in is the access area's: a fixed person here)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from socialcare.presentation.console.router import Console, answer
from socialcare_cli.local.http import to_http_api_event
from tests.browser.conftest import ARTIFACTS
from tests.unit.console.test_inbox_pages import ANA, CASE_ID

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}


def _searching_console() -> Console:
    """The inbox's fakes with the search's: «póliza» finds the case."""
    from socialcare.app.console_inbox import InboxDependencies
    from socialcare.config.loaders import routing_config
    from socialcare.presentation.console.inbox_pages import InboxArea
    from socialcare.presentation.console.inbox_routes import ROUTES
    from socialcare.presentation.console.pages import PageKit
    from tests.unit.console.test_inbox_pages import NOW, Fakes
    from tests.unit.console.test_search_pages import Search

    fakes = Fakes()
    deps = InboxDependencies(fakes, fakes, fakes, fakes, clock=lambda: NOW, search=Search())
    area = InboxArea(deps, PageKit(csrf=lambda who: "t"), routing_config())
    return Console(ROUTES, lambda request: ANA, lambda who, token: True, lambda name: area)


class _Console(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def _answer(self, method: str) -> None:
        url = urlsplit(self.path)
        sent = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = dict(self.headers.items())
        route = "ANY /console/{proxy+}"
        event = to_http_api_event(method, url.path, url.query, headers, sent, route, {})
        response = answer(event, _searching_console())
        body = str(response.get("body") or "").encode()
        self.send_response(int(response["statusCode"]))
        for name, value in (response.get("headers") or {}).items():
            self.send_header(name, str(value))
        for cookie in response.get("cookies") or []:
            self.send_header("Set-Cookie", cookie)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture(scope="module")
def console_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Console)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.mark.parametrize("width", (390, 1280))
@pytest.mark.parametrize("language", ("es", "en"))
def test_the_inbox_and_a_case_page_are_accessible_and_fit_the_screen(
    chromium, axe, console_url, language, width
):
    # Given Chromium at this width, in this language
    context = chromium.new_context(
        viewport={"width": width, "height": 900}, locale="es-ES" if language == "es" else "en-GB"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    found = {}
    try:
        for name, path in (("inbox", "/console/"), ("case", f"/console/cases/{CASE_ID}")):
            # When each page is opened
            response = page.goto(console_url + path)
            assert response is not None and response.status == 200
            # Then axe finds nothing serious, and nothing is wider than the screen
            violations = axe.run(page).response["violations"]
            blocking = [(v["id"], v["impact"]) for v in violations if v["impact"] in BLOCKING]
            if blocking:
                found[name] = blocking
            assert page.evaluate("document.documentElement.scrollWidth") <= width, name
            assert page.evaluate("document.documentElement.lang") == language
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(
                path=str(ARTIFACTS / f"console-{name}-{language}-{width}.png"), full_page=True
            )
    finally:
        context.close()
    assert found == {}
    # And the page's own script and style loaded under the CSP (no violation reported)
    assert not [e for e in errors if "Content Security Policy" in e], errors


@pytest.mark.parametrize("width", (390, 1280))
def test_a_search_from_the_inbox_finds_the_case_and_leaves_no_words_in_the_url(
    chromium, axe, console_url, width
):
    # Given the inbox in Chromium at this width
    context = chromium.new_context(viewport={"width": width, "height": 900}, locale="es-ES")
    page = context.new_page()
    try:
        page.goto(console_url + "/console/")
        # When a person types a word of the customer's message in the search box and sends it
        page.get_by_role("searchbox").fill("Póliza")
        page.get_by_role("button", name="Buscar").click()
        page.wait_for_load_state()
        # Then the case is found, the words are nowhere in the address, and the page is
        # accessible and fits the screen
        assert "1 de 1 casos encontrados" in page.content()
        assert page.url.endswith("/console/search") and "liza" not in page.url.lower()
        assert page.get_by_role("link", name=CASE_ID).count() == 1
        violations = axe.run(page).response["violations"]
        assert [(v["id"], v["impact"]) for v in violations if v["impact"] in BLOCKING] == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
