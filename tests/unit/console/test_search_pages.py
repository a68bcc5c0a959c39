"""The inbox's search on its page and API (over fakes): the search box keeps what was
searched (escaped), the found cases are shown as found (not as "open cases"), and a search
with nothing to look for is a 400 in words."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from socialcare.app.console_inbox import InboxDependencies
from socialcare.config.loaders import routing_config
from socialcare.presentation.console.inbox_pages import InboxArea
from socialcare.presentation.console.inbox_routes import ROUTES
from socialcare.presentation.console.pages import PageKit
from socialcare.presentation.console.router import Console, answer
from socialcare_cli.local.http import to_http_api_event
from tests.unit.console.test_inbox_pages import ANA, CASE, CASE_ID, NOW, Fakes


class Search:
    def postings(self, word: str, since: datetime, limit: int) -> list[tuple[str, str]]:
        return [("2026-11-24T08:00:00.000Z", CASE_ID)] if word == "poliza" else []

    def texts(self, case_id: str, since: datetime) -> list[str]:
        return ["Mi póliza no aparece"]

    def cases(self, case_ids: list[str]) -> list[dict[str, Any]]:
        closed = {**CASE, "status": "closed", "closed_at": "2026-11-24T09:00:00.000Z"}
        return [closed] if case_ids == [CASE_ID] else []


def _get(path: str, query: str) -> dict[str, Any]:
    fakes = Fakes()
    deps = InboxDependencies(fakes, fakes, fakes, fakes, clock=lambda: NOW, search=Search())
    area = InboxArea(deps, PageKit(csrf=lambda who: "t"), routing_config())
    console = Console(ROUTES, lambda request: ANA, lambda who, token: True, lambda name: area)
    event = to_http_api_event("GET", path, query, {}, b"", "ANY /console/{proxy+}", {})
    return answer(event, console)


def test_the_api_shows_the_closed_case_a_search_found():
    body = json.loads(_get("/console/api/cases", "q=P%C3%B3liza")["body"])
    assert [(c["id"], c["status"]) for c in body["cases"]] == [(CASE_ID, "closed")]
    assert body["more_found"] is False


def test_the_page_keeps_the_search_and_says_what_it_reaches():
    page = _get("/console/", "q=p%C3%B3liza+%3Cb%3E")["body"]
    assert 'name="q" value="póliza &lt;b&gt;"' in page
    assert "1 de 1 casos encontrados" in page and "últimos 90 días" in page


def test_a_search_with_nothing_to_look_for_is_a_400_in_words():
    response = _get("/console/api/cases", "q=de+la")
    assert response["statusCode"] == 400
    assert "search needs a word" in json.loads(response["body"])["message"]
