"""Issue 30, finding 5, through the real webhook, stream, triage and emails, with the
platform emulator answering the Graph reads as Meta documents them: an Instagram mention
is triaged on the mentioned comment's words, with its author and permalink; a Messenger
author is named; a mention Instagram no longer has is triaged all the same, with a note."""

from __future__ import annotations

from datetime import UTC, datetime

from socialcare_cli.synthetic import dated
from tests.conftest import sample_payload, signed_event
from tests.integration.workflow_helpers import (
    CLAIMS,
    SOCIAL_TEAM,
    deliver,
    email_to,
    wait_for,
)

IG_ACCOUNT, MEDIA, COMMENT = "17841400000000001", "18098765432100001", "18100000000000777"
PERMALINK = "https://www.instagram.com/p/DAbCdEfGhIj/"
COMPLAINT = "@segurosmarea llevo tres semanas esperando al perito del siniestro y nadie me llama"
PSID = "7345610987654321"


def test_an_instagram_mention_is_triaged_on_the_mentioned_comment(stack):
    # Given the comment that mentioned the brand, as Instagram holds it
    stack.platforms.content.add(
        {
            "instagram_mentions": [
                {
                    "account_id": IG_ACCOUNT,
                    "media_id": MEDIA,
                    "comment_id": COMMENT,
                    "text": COMPLAINT,
                    "username": "lucia.g",
                    "permalink": PERMALINK,
                }
            ]
        }
    )
    # When its mentions webhook (ids only) arrives
    body = dated(sample_payload("meta_instagram_mention"), datetime.now(UTC))
    case_id = deliver(stack, signed_event("meta", body))
    case = wait_for(stack, case_id, lambda c: c["status"] == "derived")
    # Then triage read the comment by the account's mentioned_comment field ...
    reads = [c for c in stack.platforms.calls_made() if c["method"] == "GET"]
    assert [(c["path"], c["status"]) for c in reads] == [(f"/v21.0/{IG_ACCOUNT}", 200)]
    assert reads[0]["query"]["fields"].startswith(f"mentioned_comment.comment_id({COMMENT})")
    # ... classified the complaint on its words (claims), not the placeholder as praise
    assert case["triage"]["category"] == "complaint", case["triage"]
    # ... and the department reads the words, the author and the post's link
    email = email_to(stack, CLAIMS, case_id)
    assert "llevo tres semanas esperando al perito" in email["text"]
    assert "@lucia.g" in email["text"] and PERMALINK in email["text"]
    assert "Graph API" not in email["text"] and "Autor: -" not in email["text"]


def test_a_mention_instagram_no_longer_has_is_triaged_with_a_note(stack):
    # Given a mention whose comment is gone (the emulator holds none: Graph's code 100)
    body = dated(sample_payload("meta_instagram_mention"), datetime.now(UTC))
    # When its webhook arrives
    case_id = deliver(stack, signed_event("meta", body))
    # Then the case is triaged all the same, and the social team is told why it lacks words
    wait_for(stack, case_id, lambda c: c["status"] in ("derived", "autonomous"))
    email = email_to(stack, SOCIAL_TEAM, case_id)
    assert "ya no está disponible (borrado u oculto)" in email["text"]
    assert "Autor: sin nombre" in email["text"]


def test_a_messenger_author_is_named_in_the_email(stack):
    # Given the sender's profile, as Messenger's User Profile API gives it
    stack.platforms.content.add(
        {
            "profiles": [
                {"id": PSID, "platform": "facebook", "first_name": "Marta", "last_name": "Ruiz"}
            ]
        }
    )
    # When their message arrives (the webhook names them by PSID only)
    body = dated(sample_payload("meta_messenger_message"), datetime.now(UTC))
    case_id = deliver(stack, signed_event("meta", body))
    # Then the email about the case names them
    email = email_to(stack, SOCIAL_TEAM, case_id)
    assert "Marta Ruiz" in email["text"], email["text"]
    reads = [c for c in stack.platforms.calls_made() if c["method"] == "GET"]
    assert [(c["path"], c["query"]["fields"]) for c in reads] == [
        (f"/v21.0/{PSID}", "first_name,last_name")
    ]
