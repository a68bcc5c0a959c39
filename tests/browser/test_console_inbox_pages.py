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

from socialcare.presentation.console.router import answer
from socialcare_cli.local.http import to_http_api_event
from tests.browser.conftest import ARTIFACTS
from tests.unit.console.test_inbox_pages import ANA, CASE_ID, _console

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}


class _Console(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        url = urlsplit(self.path)
        event = to_http_api_event(
            "GET", url.path, url.query, dict(self.headers.items()), b"", "ANY /console/{proxy+}", {}
        )
        response = answer(event, _console(ANA))
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
