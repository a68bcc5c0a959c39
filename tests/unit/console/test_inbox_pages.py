"""The inbox area's endpoints over fakes: JSON and pages, 304, refusals, the layout."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from socialcare.app.console_inbox import InboxDependencies
from socialcare.config.loaders import routing_config
from socialcare.domain.console_users import ConsoleUser, Role
from socialcare.presentation.console.inbox_pages import InboxArea
from socialcare.presentation.console.inbox_routes import ROUTES
from socialcare.presentation.console.pages import PageKit
from socialcare.presentation.console.router import Console, answer
from socialcare_cli.local.http import to_http_api_event

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
CASE_ID = "20261124-0123456789abcdef"
OTHER_ID = "20261001-fedcba9876543210"
ANA = ConsoleUser("ana", frozenset({Role.AGENT}), session="s")
ROOT = ConsoleUser("root", frozenset({Role.ADMIN}), session="r")
CASE = {
    "id": CASE_ID,
    "status": "derived",
    "channel": "telegram",
    "platform": "telegram",
    "created_at": "2026-11-24T08:00:00.000Z",
    "deadline": "2026-11-25T08:00:00.000Z",
    "department": "customer_service",
    "category": "complaint",
    "priority": "P2",
    "flags": ["urgent"],
    "author_key": "telegram#42",
    "publish_link": {"key": "k" * 32, "csrf_token": "secret"},
    "media_link": {"key": "m" * 32, "expires_at": "2026-12-01T00:00:00.000Z"},
    "triage": {"category": "complaint", "confidence": 0.42, "suggested_replies": {}},
    "messages": [
        {
            "sent_at": "2026-11-24T08:00:00.000Z",
            "text": "<b>Mi póliza</b> no aparece",
            "attachments": [{"kind": "image", "media_id": "x"}],
        }
    ],
    "timeline": [
        {"at": "2026-11-24T08:00:00.000Z", "kind": "case_created", "data": {}},
        {
            "at": "2026-11-24T08:30:00.000Z",
            "kind": "triage_correction",
            "data": {"by": "luis", "field": "category", "from": "question", "to": "complaint"},
        },
    ],
}


class Fakes:
    def __init__(self, case: dict[str, Any] | None = None) -> None:
        self.opened: list[tuple[str, str]] = []
        self.case = case or CASE

    def open_cases(self) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in CASE.items() if k not in ("messages", "timeline")},
            {
                "id": OTHER_ID,
                "status": "triaged",
                "channel": "whatsapp",
                "created_at": "2026-11-24T09:00:00.000Z",
            },
        ]

    def get_case(self, case_id: str) -> dict[str, Any] | None:
        return self.case if case_id == CASE_ID else None

    def cases_of_author(self, author_key: str, limit: int) -> list[dict[str, Any]]:
        return [{"id": CASE_ID}, {"id": OTHER_ID, "status": "resolved", "channel": "x"}]

    def seen(self, case_id: str, username: str, now: datetime) -> None:
        self.opened.append((case_id, username))

    def viewers(self, case_id: str, now: datetime) -> list[str]:
        return ["ana", "luis"]


def _saved_replies(language: str) -> list[tuple[str, str]]:
    titles = {"es": [("sr-1", "Cobro duplicado")], "en": [("sr-2", "Double charge")]}
    return titles.get(language, [])


def _console(user: ConsoleUser, fakes: Fakes | None = None) -> Console:
    fakes = fakes or Fakes()
    deps = InboxDependencies(fakes, fakes, fakes, fakes, clock=lambda: NOW)
    kit = PageKit(csrf=lambda who: f"csrf-{who.username}")
    area = InboxArea(deps, kit, routing_config(), saved_replies=_saved_replies)
    return Console(ROUTES, lambda request: user, lambda who, token: True, lambda name: area)


def _get(path: str, user: ConsoleUser = ANA, query: str = "", headers=None, fakes=None):
    event = to_http_api_event("GET", path, query, headers or {}, b"", "ANY /console/{proxy+}", {})
    return answer(event, _console(user, fakes))


def test_the_api_lists_open_cases_with_the_contract_s_fields_and_queue_counts():
    response = _get("/console/api/cases")
    body = json.loads(response["body"])
    assert response["statusCode"] == 200
    first = body["cases"][0]
    for field in (
        "id",
        "status",
        "category",
        "priority",
        "channel",
        "department",
        "deadline",
        "language",
        "flags",
        "assignee",
        "needs_review",
        "approval_pending",
        "crisis_topic",
    ):
        assert field in first
    assert [c["id"] for c in body["cases"]] == [OTHER_ID, CASE_ID]  # 12:00 before tomorrow
    assert body["queues"]["waiting_department"] == 1 and body["queues"]["new"] == 1


def test_an_unchanged_inbox_answers_304_to_its_etag():
    etag = _get("/console/api/cases")["headers"]["ETag"]
    again = _get("/console/api/cases", headers={"If-None-Match": etag})
    assert again["statusCode"] == 304 and again["body"] == ""


def test_a_bad_filter_is_a_400_saying_why():
    response = _get("/console/api/cases", query="queue=everything")
    assert response["statusCode"] == 400
    assert "queue is one of" in json.loads(response["body"])["message"]


def test_the_inbox_page_shows_queues_filters_and_cases_with_the_layout():
    # When Ana opens the inbox in English
    response = _get("/console/", headers={"Accept-Language": "en"})
    page = response["body"]
    # Then the queues, the case links, her name, the sign-out form with its token
    assert response["statusCode"] == 200
    assert "Waiting on a department" in page and f'href="/console/cases/{CASE_ID}"' in page
    assert "Signed in as ana" in page and 'name="csrf" value="csrf-ana"' in page
    assert (
        "<script>" not in page
        and "script-src 'self'" in response["headers"]["Content-Security-Policy"]
    )
    # And the nav shows what her role may use, not the users' page
    assert 'href="/console/users"' not in page
    assert response["headers"]["ETag"]


def test_the_case_api_shows_the_conversation_without_link_secrets():
    fakes = Fakes()
    response = _get(f"/console/api/cases/{CASE_ID}", fakes=fakes)
    case = json.loads(response["body"])
    assert response["statusCode"] == 200
    assert case["messages"][0]["text"] == "<b>Mi póliza</b> no aparece"
    assert case["viewers"] == ["luis"]  # the others: Ana is the one asking
    assert [c["id"] for c in case["earlier_cases"]] == [OTHER_ID]
    assert "publish_link" not in case and "media_link" not in case and "author_key" not in case
    assert case["triage"]["confidence"] == 0.42
    assert fakes.opened == [(CASE_ID, "ana")]


def test_the_case_page_escapes_what_the_customer_wrote_and_links_media():
    response = _get(f"/console/cases/{CASE_ID}")
    page = response["body"]
    assert "&lt;b&gt;Mi póliza&lt;/b&gt;" in page and "<b>Mi póliza" not in page
    assert f'href="/media/{CASE_ID}.{"m" * 32}.0"' in page
    assert "triage_correction" in page and "luis" in page


def test_an_unknown_or_malformed_case_is_404():
    assert _get("/console/api/cases/20261124-ffffffffffffffff")["statusCode"] == 404
    assert _get("/console/cases/..%2Fetc")["statusCode"] == 404


def test_the_language_switch_sets_a_cookie_and_goes_back_only_within_the_console():
    switched = _get("/console/language", query="to=en&back=/console/cases/x")
    away = _get("/console/language", query="to=en&back=//evil.example/")
    assert switched["statusCode"] == 303 and switched["headers"]["Location"] == "/console/cases/x"
    assert switched["cookies"][0].startswith("console_lang=en;")
    assert away["headers"]["Location"] == "/console/"


def test_the_static_files_are_served_with_an_etag_and_unknown_names_are_404():
    css = _get("/console/static/console.css")
    assert css["statusCode"] == 200 and css["headers"]["Content-Type"].startswith("text/css")
    again = _get("/console/static/console.css", headers={"If-None-Match": css["headers"]["ETag"]})
    assert again["statusCode"] == 304
    assert _get("/console/static/secrets.py")["statusCode"] == 404


def test_the_case_page_carries_the_actions_area_s_forms_with_the_person_s_token():
    page = _get(f"/console/cases/{CASE_ID}")["body"]
    assert f'action="/console/cases/{CASE_ID}/reply"' in page
    assert 'name="csrf" value="csrf-ana"' in page


def test_the_reply_form_offers_the_saved_replies_in_the_customer_s_language():
    # Given a case whose customer wrote in English, opened by a person reading in Spanish
    fakes = Fakes({**CASE, "triage": {**CASE["triage"], "language": "en"}})

    # When the case page is shown
    page = _get(f"/console/cases/{CASE_ID}", fakes=fakes)["body"]

    # Then the reply form offers the English saved replies, not the Spanish ones
    assert 'value="sr-2"' in page and "Double charge" in page
    assert "sr-1" not in page
