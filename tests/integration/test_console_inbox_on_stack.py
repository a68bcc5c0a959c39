"""The console's inbox on the local stack: cases sent as deliveries appear in it, with
their triage; a closed case leaves it; a case's page shows its conversation and who else
has it open. (Who is signed in is the access area's; here a fixed person is.)"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from socialcare.domain.console_users import ConsoleUser, Role
from socialcare.presentation.console.pages import PageKit
from socialcare.presentation.console.router import Console
from socialcare_cli.local.http import to_http_api_event
from socialcare_cli.local.stack import LocalStack
from tests.conftest import sample
from tests.integration.workflow_helpers import (
    SOCIAL_TEAM,
    act,
    deliver,
    deliver_more,
    email_to,
    link,
    wait_for,
)

ANA = ConsoleUser("ana", frozenset({Role.AGENT}), session="s-ana")
LUIS = ConsoleUser("luis", frozenset({Role.COMMUNITY_MANAGER}), session="s-luis")


def _console(user: ConsoleUser) -> Console:
    from socialcare import bootstrap
    from socialcare.bootstrap.console import area_dependencies, routes

    root = bootstrap.root()

    def area(name: str) -> object:
        built = area_dependencies(root, name)
        # The pages' CSRF tokens are the access area's (its pool and secret): a fixed one.
        return (
            dataclasses.replace(built, kit=PageKit(csrf=lambda who: "t"))
            if name == "inbox"
            else built
        )

    return Console(
        routes=routes(),
        identify=lambda request: user,
        csrf_valid=lambda who, token: False,
        area=area,
    )


def _get(stack: LocalStack, path: str, user: ConsoleUser = ANA, headers=None) -> dict[str, Any]:
    event = to_http_api_event("GET", path, "", headers or {}, b"", "ANY /console/{proxy+}", {})
    return stack.function("ConsoleFunction").invoke(event, console=_console(user))


def test_delivered_cases_are_in_the_inbox_and_a_closed_one_leaves_it(stack):
    # Given two customers writing, their cases triaged
    first = deliver(stack, sample("telegram_message"))
    second = deliver_more(stack, sample("meta_messenger_message"))
    for case_id in (first, second):
        wait_for(stack, case_id, lambda c: c.get("triaged_at") is not None)

    # When the inbox is asked for
    response = _get(stack, "/console/api/cases")

    # Then both open cases are listed with their triage and deadlines, sorted by deadline
    assert response["statusCode"] == 200, response
    body = json.loads(response["body"])
    listed = {c["id"]: c for c in body["cases"]}
    open_now = {c["id"] for c in stack.list_cases() if not c.get("closed_at")}
    assert set(listed) == open_now
    assert all(c["deadline"] and c["channel"] for c in listed.values())
    deadlines = [c["deadline"] for c in body["cases"]]
    assert deadlines == sorted(deadlines)
    assert body["queues"]["waiting_department"] == sum(
        1 for c in listed.values() if c["status"] in ("derived", "escalated")
    )
    # And asking again with its ETag answers 304
    again = _get(
        stack, "/console/api/cases", headers={"If-None-Match": response["headers"]["ETag"]}
    )
    assert again["statusCode"] == 304

    # When one of them closes (its department resolves it through its email's link)
    closing = first
    wait_for(stack, closing, lambda c: c["status"] == "derived")
    email_to(stack, SOCIAL_TEAM, closing)
    _close(stack, closing)

    # Then it is no longer in the inbox
    after = json.loads(_get(stack, "/console/api/cases")["body"])
    assert closing not in {c["id"] for c in after["cases"]}


def test_a_case_shows_its_conversation_and_who_else_has_it_open(stack):
    # Given a case, opened by Luis
    case_id = deliver(stack, sample("telegram_message"))
    wait_for(stack, case_id, lambda c: c.get("triaged_at") is not None)
    _get(stack, f"/console/api/cases/{case_id}", LUIS)

    # When Ana opens it (API and page)
    api = _get(stack, f"/console/api/cases/{case_id}")
    page = _get(stack, f"/console/cases/{case_id}")

    # Then she sees the customer's message, the timeline, and that Luis has it open
    assert api["statusCode"] == 200, api
    case = json.loads(api["body"])
    text = stack.get_case(case_id)["messages"][0]["text"]
    assert [m["text"] for m in case["messages"]] == [text]
    assert "case_created" in [e["kind"] for e in case["timeline"]]
    assert case["viewers"] == ["luis"]
    assert "publish_link" not in case and "GSI3PK" not in case
    assert page["statusCode"] == 200
    assert "luis" in page["body"] and "Content-Security-Policy" in page["headers"]


def _close(stack: LocalStack, case_id: str) -> None:
    """The department says it resolved the case, through its email's link."""
    [email] = [m for m in stack.outbox() if case_id in m["subject"] and m["links"]][:1]
    status, _ = act(stack, link(email, "resolved"), "resolved", note="Hecho")
    assert status == 200
    wait_for(stack, case_id, lambda c: c.get("closed_at") is not None)


def test_the_local_api_routes_the_console_to_its_function(stack, api):
    # Given the local stack's HTTP API, as `make serve` runs it, the access area's pool
    # given to the console function
    import pytest
    import urllib3

    if "USER_POOL_ID" not in stack.template.function_environment("ConsoleFunction"):
        pytest.skip("the identity area's template (the pool in the function's environment)")

    http = urllib3.PoolManager(retries=False)

    # When the inbox's page and API are asked for without signing in
    page = http.request("GET", f"{api}/console/", redirect=False)
    cases = http.request("GET", f"{api}/console/api/cases", headers={"Cookie": "console_lang=en"})
    unknown = http.request("GET", f"{api}/console/api/nothing")

    # Then the console function answers: the page to the sign-in, the API 401 in JSON
    assert page.status == 303 and page.headers["location"] == "/console/signin"
    assert cases.status == 401 and json.loads(cases.data)["error"] == "Sign in"
    assert unknown.status == 404


def test_cases_open_before_the_console_join_the_inbox_after_privacy_index(stack):
    # Given an open case as the last version wrote it (no open-cases keys, no inbox fields)
    from socialcare import bootstrap
    from socialcare.bootstrap import operations

    case_id = deliver(stack, sample("telegram_message"))
    wait_for(stack, case_id, lambda c: c.get("triaged_at") is not None)
    dynamodb = stack.client("dynamodb")
    dynamodb.update_item(
        TableName=stack.cases_table,
        Key={"PK": {"S": f"CASE#{case_id}"}, "SK": {"S": "CASE"}},
        UpdateExpression="REMOVE GSI3PK, GSI3SK, category, flags, confidence, needs_review",
    )
    before = json.loads(_get(stack, "/console/api/cases")["body"])["cases"]

    # When ops run the upgrade's migration, twice
    first = operations.person_index_migration(bootstrap.root()).run()
    second = operations.person_index_migration(bootstrap.root()).run()

    # Then the case is in the inbox with its category, brought in once
    after = json.loads(_get(stack, "/console/api/cases")["body"])["cases"]
    assert case_id not in {c["id"] for c in before}
    [shown] = [c for c in after if c["id"] == case_id]
    assert shown["category"] == stack.get_case(case_id)["triage"]["category"]
    assert (first.opened, second.opened) == (1, 0)
