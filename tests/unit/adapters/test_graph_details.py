"""The Graph reads triage makes (adapters/platform_api/graph_details.py), against answers
in the shapes of Meta's documentation: the mentioned comment or media, the User Profile
API, where the token goes, and what each failure becomes."""

from __future__ import annotations

import pytest

from socialcare.adapters.platform_api.graph_details import GraphDetails
from socialcare.domain.case_details import DetailsProblem, DetailsUnavailable
from socialcare.domain.messages import Channel
from socialcare.domain.platform_errors import TokenProblem
from tests.http_fakes import ScriptedHttp, answer
from tests.token_fakes import ContainerTokens, SharedSecret

IG, MEDIA, COMMENT, PAGE = "17841400000000001", "17900000000000001", "17800000000000002", "1048"
TOKENS = {"facebook_page_tokens": {"*": "page-token"}, "instagram_tokens": {"*": "ig-token"}}
PERMALINK = "https://www.instagram.com/p/DAbCdEfGhIj/"


def graph(*answers, **tokens) -> tuple[GraphDetails, ScriptedHttp]:
    http = ScriptedHttp(list(answers))
    secret = ContainerTokens(SharedSecret({**TOKENS, **tokens}))
    return GraphDetails(http, "https://graph.example/v21.0", secret), http  # type: ignore[arg-type]


def test_a_comment_mention_is_read_through_the_accounts_mentioned_comment_field():
    # Given Meta's answer to the mentioned_comment field expansion
    body = {
        "mentioned_comment": {
            "text": "@marca llevo tres semanas esperando",
            "timestamp": "2026-11-24T09:00:00+0000",
            "username": "lucia.g",
            "media": {"permalink": PERMALINK, "id": MEDIA},
            "id": COMMENT,
        },
        "id": IG,
    }
    details, http = graph(answer(200, body))
    # When the mention is read
    found = details.mention(IG, MEDIA, COMMENT)
    # Then it asked the account node, with the token in the header (never the URL)
    assert http.path(0) == f"/v21.0/{IG}"
    fields = http.query(0)["fields"]
    assert fields == (
        f"mentioned_comment.comment_id({COMMENT}){{text,timestamp,username,media{{permalink}}}}"
    )
    assert http.requests[0]["headers"] == {"Authorization": "Bearer ig-token"}
    assert "ig-token" not in http.requests[0]["url"]
    assert (found.text, found.username, found.permalink) == (
        "@marca llevo tres semanas esperando",
        "lucia.g",
        PERMALINK,
    )


def test_a_caption_mention_is_read_through_mentioned_media():
    body = {"mentioned_media": {"caption": "Vaya servicio", "permalink": PERMALINK, "id": MEDIA}}
    details, http = graph(answer(200, body))
    found = details.mention(IG, MEDIA, None)
    assert http.query(0)["fields"].startswith(f"mentioned_media.media_id({MEDIA}){{caption,")
    assert (found.text, found.permalink) == ("Vaya servicio", PERMALINK)


def test_a_messenger_sender_is_named_by_the_user_profile_api():
    details, http = graph(answer(200, {"first_name": "Marta", "last_name": "Ruiz", "id": "61"}))
    found = details.person(Channel.MESSENGER, PAGE, "61")
    assert http.path(0) == "/v21.0/61" and http.query(0)["fields"] == "first_name,last_name"
    assert http.requests[0]["headers"] == {"Authorization": "Bearer page-token"}
    assert found.display_name == "Marta Ruiz"


def test_an_instagram_sender_is_named_with_name_and_username():
    details, _ = graph(answer(200, {"name": "Lucía G", "username": "lucia.g", "id": "62"}))
    found = details.person(Channel.INSTAGRAM_DM, IG, "62")
    assert (found.display_name, found.handle) == ("Lucía G", "lucia.g")


@pytest.mark.parametrize(
    ("status", "error", "problem", "token"),
    [
        (401, {"code": 190, "message": "Invalid OAuth access token"}, "token", "rejected"),
        (403, {"code": 10, "message": "Permission denied"}, "token", "permission"),
        (500, {"code": 2, "message": "Unexpected"}, "unavailable", None),
        (400, {"code": 4, "message": "Application request limit reached"}, "unavailable", None),
        (400, {"code": 100, "message": "Unsupported get request"}, "gone", None),
    ],
)
def test_each_failure_becomes_a_problem_staff_can_be_told(status, error, problem, token):
    details, _ = graph(answer(status, {"error": error}))
    with pytest.raises(DetailsUnavailable) as failed:
        details.mention(IG, MEDIA, COMMENT)
    assert failed.value.problem is DetailsProblem(problem)
    assert failed.value.token == (TokenProblem(token) if token else None)


def test_no_token_is_a_token_problem_and_nothing_is_sent():
    details, http = graph(instagram_tokens={})
    with pytest.raises(DetailsUnavailable) as failed:
        details.mention(IG, MEDIA, COMMENT)
    assert failed.value.token is TokenProblem.MISSING and http.requests == []


def test_an_id_that_is_not_a_graph_id_never_reaches_the_url():
    details, http = graph()
    with pytest.raises(DetailsUnavailable):
        details.mention(IG, MEDIA, "1)}{access_token")
    assert http.requests == []
