"""The console's router: who may reach which route, and how a request is refused."""

from __future__ import annotations

import json
from typing import Any

from socialcare.domain.console_users import ConsoleAction, ConsoleUser, Role
from socialcare.presentation.console.requests import ConsoleRequest, Route
from socialcare.presentation.console.router import Console, answer, match
from socialcare_cli.local.http import to_http_api_event

AGENT = ConsoleUser("ana", frozenset({Role.AGENT}), session="s-ana")
ADMIN = ConsoleUser("root", frozenset({Role.ADMIN}), session="s-root")


def _echo(request: ConsoleRequest, user: ConsoleUser, deps: Any) -> dict[str, Any]:
    body = {"user": user.username, "params": dict(request.path_params), "deps": deps}
    return {"statusCode": 200, "headers": {}, "body": json.dumps(body)}


def _boom(request: ConsoleRequest, user: ConsoleUser, deps: Any) -> dict[str, Any]:
    raise RuntimeError("secret detail")


ROUTES = [
    Route("GET", "/console/api/cases", ConsoleAction.READ, "inbox", _echo),
    Route("GET", "/console/api/cases/{id}", ConsoleAction.READ, "inbox", _echo),
    Route("POST", "/console/cases/{id}/close", ConsoleAction.CLOSE, "actions", _echo),
    Route("GET", "/console/api/users", ConsoleAction.MANAGE_USERS, "access", _echo),
    Route("GET", "/console/", ConsoleAction.READ, "inbox", _echo),
    Route("GET", "/console/signin", None, "access", _echo),
    Route("GET", "/console/boom", ConsoleAction.READ, "inbox", _boom),
]


def _console(user: ConsoleUser | None) -> Console:
    return Console(
        routes=ROUTES,
        identify=lambda request: user,
        csrf_valid=lambda who, token: token == f"csrf-for-{who.session}",
        area=lambda area: f"{area}-deps",
    )


def _event(method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None):
    return to_http_api_event(method, path, "", headers or {}, body, "ANY /console/{proxy+}", {})


def test_a_signed_in_agent_reaches_a_case_with_its_id_and_the_area_s_dependencies():
    # Given an agent asking for a case through the API
    event = _event("GET", "/console/api/cases/c-1")

    # When the console answers
    response = answer(event, _console(AGENT))

    # Then the case route ran for the agent with its id and the inbox's bundle
    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {
        "user": "ana",
        "params": {"id": "c-1"},
        "deps": "inbox-deps",
    }


def test_without_a_valid_identity_the_api_answers_401_in_json_and_a_page_goes_to_sign_in():
    # Given nobody identified
    console = _console(None)

    # When the API and a page are asked for
    api = answer(_event("GET", "/console/api/cases"), console)
    page = answer(_event("GET", "/console/"), console)

    # Then the API says 401 in JSON, the page sends the person to sign in
    assert api["statusCode"] == 401
    assert json.loads(api["body"])["error"] == "Sign in"
    assert api["headers"]["WWW-Authenticate"].startswith("Bearer")
    assert page["statusCode"] == 303
    assert page["headers"]["Location"] == "/console/signin"


def test_a_route_used_before_signing_in_needs_no_identity():
    # Given nobody identified, on the sign-in route (no action)
    response = answer(_event("GET", "/console/signin"), _console(None))

    # Then it runs, for nobody
    assert response["statusCode"] == 200
    assert json.loads(response["body"])["user"] == ""


def test_a_role_not_allowed_gets_403_and_an_admin_sees_users():
    # Given an agent and an admin asking for the users
    event = _event("GET", "/console/api/users")

    # When each asks
    agent = answer(event, _console(AGENT))
    admin = answer(event, _console(ADMIN))

    # Then only the admin gets them
    assert agent["statusCode"] == 403
    assert json.loads(agent["body"])["error"] == "Not allowed"
    assert admin["statusCode"] == 200


def test_unknown_paths_are_404_and_wrong_methods_405():
    console = _console(AGENT)

    # When a path nobody routes and a known path with another method are asked
    missing = answer(_event("GET", "/console/api/nothing"), console)
    wrong = answer(_event("DELETE", "/console/api/cases/c-1"), console)

    # Then 404 and 405, JSON under the API
    assert missing["statusCode"] == 404
    assert wrong["statusCode"] == 405
    assert json.loads(wrong["body"])["error"] == "Method not allowed"


def test_a_posted_form_needs_the_person_s_csrf_token():
    # Given an agent posting a form without, with a wrong and with the right token
    def post(token: str | None) -> int:
        form = b"reason=solved" + (f"&csrf={token}".encode() if token else b"")
        headers = {"content-type": "application/x-www-form-urlencoded"}
        event = _event("POST", "/console/cases/c-1/close", form, headers)
        return int(answer(event, _console(AGENT))["statusCode"])

    # Then only the right token passes
    assert post(None) == 403
    assert post("csrf-for-s-root") == 403
    assert post("csrf-for-s-ana") == 200


def test_an_unexpected_error_answers_500_without_its_text():
    # Given a route whose endpoint fails
    from functions.console.app import lambda_handler

    # When the handler answers it
    response = lambda_handler(_event("GET", "/console/boom"), _context(), console=_console(AGENT))

    # Then a short page, not the exception's text
    assert response["statusCode"] == 500
    assert "secret detail" not in response["body"]
    assert "Traceback" not in response["body"]


def test_patterns_match_as_api_gateway_does():
    # Given one-segment and greedy path variables
    routes = [
        Route("GET", "/console/api/cases/{id}", None, "inbox", _echo),
        Route("ANY", "/console/static/{path+}", None, "inbox", _echo),
    ]

    # Then {id} takes one segment, {path+} the rest
    assert match(routes, "GET", "/console/api/cases/a/b") == 404
    found = match(routes, "PUT", "/console/static/a/b.css")
    assert not isinstance(found, int) and found[1] == {"path": "a/b.css"}


def _context() -> Any:
    class Context:
        function_name = "console"
        memory_limit_in_mb = 512
        invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:console"
        aws_request_id = "r-1"

    return Context()
