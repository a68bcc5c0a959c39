"""API Gateway's event read into a ConsoleRequest."""

from __future__ import annotations

import base64

import pytest

from socialcare.presentation.console.parsing import language_of, read_cookies, read_event
from socialcare.presentation.console.requests import ConsoleRequest
from socialcare_cli.local.http import to_http_api_event


def _event(method: str, path: str, body: bytes = b"", headers=None, query: str = ""):
    return to_http_api_event(method, path, query, headers or {}, body, "ANY /console/{proxy+}", {})


def test_cookies_come_from_payload_2_0_s_cookies_list():
    # Given a browser's Cookie header, as the HTTP API hands it over
    event = _event("GET", "/console/", headers={"Cookie": "console_session=abc; console_lang=en"})

    # When it is read
    request = read_event(event)

    # Then the cookies are named, and the language is the person's choice
    assert isinstance(request, ConsoleRequest)
    assert event["cookies"] == ["console_session=abc", "console_lang=en"]
    assert request.cookies == {"console_session": "abc", "console_lang": "en"}
    assert request.language == "en"
    assert not request.api


def test_the_language_follows_the_browser_when_the_person_has_not_chosen():
    assert language_of({}, "en-GB,en;q=0.9,es;q=0.5") == "en"
    assert language_of({}, "fr-FR,es;q=0.5") == "es"
    assert language_of({}, "") == "es"
    assert language_of({"console_lang": "xx"}, "en") == "en"


def test_a_json_body_is_parsed_under_the_api_and_a_bad_one_refused_in_json():
    # Given a good and a broken JSON body under the API
    headers = {"content-type": "application/json"}
    good = read_event(_event("POST", "/console/api/cases/c/notes", b'{"text": "hola"}', headers))
    bad = read_event(_event("POST", "/console/api/cases/c/notes", b"{nope", headers))

    # Then the good one is parsed, the broken one is a 400 in JSON
    assert isinstance(good, ConsoleRequest) and good.api and good.body_json == {"text": "hola"}
    assert not isinstance(bad, ConsoleRequest)
    assert bad["statusCode"] == 400 and bad["headers"]["Content-Type"].startswith(
        "application/json"
    )


@pytest.mark.parametrize("body", [b"1", b"true", b"0", b"[]", b'"text"', b"null", b"2.5"])
def test_a_json_body_that_is_not_an_object_is_a_400_never_its_own_value_as_status(body):
    # Given valid JSON that is not an object (a bare 1 or true once became statusCode 1)
    headers = {"content-type": "application/json"}

    # When it is read under the API
    refused = read_event(_event("POST", "/console/api/cases/c/notes", body, headers))

    # Then it is a 400 in JSON with nosniff
    assert not isinstance(refused, ConsoleRequest)
    assert type(refused["statusCode"]) is int and refused["statusCode"] == 400
    assert refused["headers"]["Content-Type"].startswith("application/json")
    assert refused["headers"]["X-Content-Type-Options"] == "nosniff"


def test_a_form_is_read_with_the_link_pages_guards():
    # Given a form as a browser posts it (base64, CR LF in a textarea), and one too large
    form = base64.b64encode(b"text=a%0D%0Ab&csrf=t").decode()
    event = _event("POST", "/console/cases/c/note")
    event.update(body=form, isBase64Encoded=True)
    event["headers"]["content-type"] = "application/x-www-form-urlencoded"
    large = _event(
        "POST",
        "/console/cases/c/note",
        b"text=" + b"a" * 20_000,
        {"content-type": "application/x-www-form-urlencoded"},
    )

    # When they are read
    request = read_event(event)
    refused = read_event(large)

    # Then the fields are as typed, and the large one is refused as a page
    assert isinstance(request, ConsoleRequest) and request.form == {"text": "a\nb", "csrf": "t"}
    assert not isinstance(refused, ConsoleRequest) and refused["statusCode"] == 413
    assert refused["headers"]["Content-Type"].startswith("text/html")


def test_cookie_entries_keep_the_first_value_of_a_name():
    assert read_cookies(["a=1", "b=2; a=3", "junk"]) == {"a": "1", "b": "2"}
