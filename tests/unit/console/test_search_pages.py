"""The inbox's search on its page and API (over fakes): the words only in a POST's body
(never in a URL), the search box keeps what was searched (escaped), the found cases are
shown as found (not as "open cases"), and a search with nothing to look for is a 400 in
words."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from socialcare.app.console_inbox import InboxDependencies
from socialcare.config.loaders import routing_config
from socialcare.presentation.console.inbox_pages import InboxArea
from socialcare.presentation.console.inbox_routes import ROUTES
from socialcare.presentation.console.pages import PageKit
from tests.unit.console.console_calls import call
from tests.unit.console.test_inbox_pages import ANA, CASE, CASE_ID, NOW, Fakes


class Search:
    def postings(self, word: str, since: datetime, limit: int) -> list[tuple[str, str]]:
        return [("2026-11-24T08:00:00.000Z", CASE_ID)] if word == "poliza" else []

    def texts(self, case_id: str, since: datetime) -> list[str]:
        return ["Mi póliza no aparece"]

    def cases(self, case_ids: list[str]) -> list[dict[str, Any]]:
        closed = {**CASE, "status": "closed", "closed_at": "2026-11-24T09:00:00.000Z"}
        return [closed] if case_ids == [CASE_ID] else []


def _call(method: str, path: str, **sent: Any) -> dict[str, Any]:
    fakes = Fakes()
    deps = InboxDependencies(fakes, fakes, fakes, fakes, clock=lambda: NOW, search=Search())
    area = InboxArea(deps, PageKit(csrf=lambda who: "t"), routing_config())
    return call(ROUTES, area, ANA, method, path, **sent)


def test_the_api_shows_the_closed_case_a_search_found():
    # Given a closed case whose message says «póliza»
    # When the API is asked for it in a POST's body
    response = _call("POST", "/console/api/cases/search", body={"q": "Póliza"})
    # Then the case is found, closed as it is
    body = json.loads(response["body"])
    assert [(c["id"], c["status"]) for c in body["cases"]] == [(CASE_ID, "closed")]
    assert body["more_found"] is False


def test_the_page_keeps_the_search_and_says_what_it_reaches():
    # When the inbox's search box is sent (a POST with its CSRF token)
    page = _call("POST", "/console/search", form={"csrf": "t", "q": "póliza <b>"})
    # Then the page shows what was searched, escaped, and what the search reaches; it is
    # never cached and does not refresh itself (a refresh would lose the words)
    assert 'name="q" value="póliza &lt;b&gt;"' in page["body"]
    assert "1 de 1 casos encontrados" in page["body"] and "últimos 90 días" in page["body"]
    assert page["headers"]["Cache-Control"] == "no-store" and "ETag" not in page["headers"]
    assert "data-refresh" not in page["body"]
    # And no link on it carries the words
    assert "q=" not in page["body"] and "p%C3%B3liza" not in page["body"]


def test_search_words_in_a_url_are_refused():
    # When the words come in a query string, to the API or to the page
    api = _call("GET", "/console/api/cases", query="q=p%C3%B3liza")
    page = _call("GET", "/console/", query="q=p%C3%B3liza")
    # Then both are 400s that say where the words go, and nothing is searched
    assert api["statusCode"] == 400 and "POST" in json.loads(api["body"])["message"]
    assert page["statusCode"] == 400 and "CASE" not in page["body"]


def test_an_empty_search_box_goes_back_to_the_inbox_with_its_filters():
    response = _call("POST", "/console/search", form={"csrf": "t", "q": " ", "channel": "x_dm"})
    assert response["statusCode"] == 303
    assert response["headers"]["Location"] == "/console/?channel=x_dm"


def test_a_search_with_nothing_to_look_for_is_a_400_in_words():
    response = _call("POST", "/console/api/cases/search", body={"q": "de la"})
    assert response["statusCode"] == 400
    assert "search needs a word" in json.loads(response["body"])["message"]


def test_a_search_body_that_is_not_an_object_of_strings_is_a_400():
    for body in (["póliza"], {"q": 3}, {}):
        response = _call("POST", "/console/api/cases/search", body=body)
        assert response["statusCode"] == 400, body
