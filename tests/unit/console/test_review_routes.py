"""The console's review routes (area `review`) over in-memory ports: the JSON API and the
case page's form confirm a held case once; refusals are 404, 409 and 503 with a reason,
never a trace; the routes need the right to correct triage."""

from __future__ import annotations

import json

from socialcare.app.case_review import ReviewDependencies
from socialcare.app.case_triage import triage_case
from socialcare.domain.console_users import PERMISSIONS, ConsoleAction, Role
from socialcare.domain.failures import StorageUnavailable
from socialcare.presentation.console.requests import ConsoleRequest
from socialcare.presentation.console.review_routes import ROUTES
from tests.conftest import NOW
from tests.service_fakes import Outbox
from tests.unit.test_case_review import ANA, UnsureTriager, a_review_store
from tests.unit.test_case_triage import CASE_ID, deps

API = f"/console/api/cases/{CASE_ID}/review"
FORM = f"/console/cases/{CASE_ID}/review"


def held_case():
    store, outbox = a_review_store(), Outbox()
    triage_deps = deps(store, outbox, triager=UnsureTriager())
    triage_case(CASE_ID, triage_deps)
    review = ReviewDependencies(
        cases=store, reviews=store, triage=lambda: triage_deps, clock=lambda: NOW
    )
    return store, outbox, review


def call(path: str, review: ReviewDependencies, case_id: str = CASE_ID, language: str = "es"):
    [route] = [r for r in ROUTES if r.pattern.replace("{id}", case_id) == path]
    request = ConsoleRequest(
        "POST", path, path_params={"id": case_id}, language=language, api="/api/" in path
    )
    return route.endpoint(request, ANA, review)


def test_the_api_confirms_a_held_case_once():
    # Given a case held for review
    store, outbox, review = held_case()
    # When confirmed through the API, twice
    first, second = call(API, review), call(API, review)
    # Then the first closes it as triage would have, the second is a conflict
    assert first["statusCode"] == 200
    assert json.loads(first["body"]) == {"result": "confirmed", "then": "autonomous"}
    assert second["statusCode"] == 409 and json.loads(second["body"])["error"] == "closed"
    assert store.cases[CASE_ID].closed and len(outbox.sent) == 1


def test_the_form_goes_back_to_the_case_with_a_notice():
    _store, _, review = held_case()
    answer = call(FORM, review)
    assert answer["statusCode"] == 303
    assert answer["headers"]["Location"] == f"/console/cases/{CASE_ID}?notice=review_confirmed"


def test_a_form_refused_is_a_short_page_in_the_person_s_language():
    _store, _, review = held_case()
    call(FORM, review)
    page = call(FORM, review, language="en")
    assert page["statusCode"] == 409 and "The case is closed already." in page["body"]
    assert page["headers"]["Content-Type"].startswith("text/html")


def test_an_id_the_stack_could_not_have_made_is_not_looked_up():
    store, _, review = held_case()
    calls = len(store.calls)
    answer = call("/console/api/cases/..%2F/review", review, case_id="..%2F")
    assert answer["statusCode"] == 404 and len(store.calls) == calls


def test_a_store_not_answering_is_503_and_pressing_again_finishes_it():
    # Given the store failing the confirmation once
    store, _outbox, review = held_case()
    real = store.confirm_review
    failures = [StorageUnavailable("ProvisionedThroughputExceededException")]

    def flaky(*args):
        if failures:
            raise failures.pop()
        return real(*args)

    store.confirm_review = flaky
    # When confirmed, then again
    first, second = call(API, review), call(API, review)
    # Then the first says to try again, the second confirms
    assert first["statusCode"] == 503 and "Traceback" not in first["body"]
    assert second["statusCode"] == 200 and store.cases[CASE_ID].closed


def test_only_people_who_may_correct_triage_may_confirm_it():
    assert {route.action for route in ROUTES} == {ConsoleAction.CORRECT}
    assert {route.area for route in ROUTES} == {"review"}
    assert Role.APPROVER not in PERMISSIONS[ConsoleAction.CORRECT]
