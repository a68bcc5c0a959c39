"""What customers choose (their display name, bidi controls in their text) through the
real handlers, stream and workflow: the brand never says a name that is not a plain
name, in the automatic notice or the pre-filled replies; the department's email shows
no control that reorders text; the stored text stays as the customer wrote it."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from socialcare_cli.samples import http_request
from socialcare_cli.synthetic import dated
from tests.conftest import sample_payload, signed_event
from tests.integration.workflow_helpers import (
    SOCIAL_TEAM,
    SUPPORT,
    deliver,
    email_to,
    kinds,
    wait_for,
)

PHONE_COMMENT = "Mi teléfono es 612 345 678, llamadme ya por el siniestro, nadie me atiende"
OVERRIDE = "\u202e"


def test_the_automatic_notice_never_names_a_commenter_called_like_a_mention(stack):
    # Given a commenter named "@third_party" who publishes their phone on the brand's page
    body = dated(sample_payload("meta_facebook_comment"), datetime.now(UTC))
    value = body["entry"][0]["changes"][0]["value"]
    value["message"] = PHONE_COMMENT
    value["from"]["name"] = "@third_party"
    case_id = deliver(stack, signed_event("meta", body))
    # When triage hides it, answers with the notice and follows up in private
    wait_for(stack, case_id, lambda c: kinds(c).count("outbound_sent") == 3)
    said = [s["text"] for s in stack.platforms.state.sent if s["text"]]
    # Then neither says the name: the notice greets without it
    assert len(said) == 2
    assert all("third_party" not in text and "@" not in text for text in said), said
    assert any(text.startswith("Hola:\nHemos ocultado") for text in said), said


def test_a_mention_with_an_override_reads_in_order_and_is_kept_as_written(stack, api):
    # Given an X mention whose author's display name is a mention with an override, and
    # whose text carries one
    body = dated(sample_payload("x_mention"), datetime.now(UTC))
    tweet = body["tweet_create_events"][0]
    tweet["user"]["name"] = f"@third_party{OVERRIDE}"
    text = f"@SegurosMarea Me habéis cobrado dos veces el recibo {OVERRIDE}oiránecse"
    tweet["extended_tweet"]["full_text"] = text
    case_id = deliver(stack, signed_event("x", body))
    # When it is derived: the department's email, and the social team's copy with the
    # publish link and its pre-filled replies
    wait_for(stack, case_id, lambda c: c["status"] == "derived")
    department = email_to(stack, SUPPORT, case_id)
    copy = email_to(stack, SOCIAL_TEAM, case_id)
    [url] = [u for u in copy["links"] if "/publish/" in u]
    page = http_request("GET", url, {}).body.decode()
    prefilled = [html.unescape(t) for t in re.findall(r"<textarea[^>]*>([^<]*)</textarea>", page)]
    # Then no email or page carries the override; it shows where it was
    for shown in (department["subject"], department["text"], department["html"], page):
        assert OVERRIDE not in shown
    assert "[U+202E]oiránecse" in department["text"] and "[U+202E]oiránecse" in page
    # And the replies the brand would publish name nobody
    assert prefilled and all("third_party" not in t and OVERRIDE not in t for t in prefilled)
    # And what the customer wrote is stored as written
    stored = stack.get_case(case_id)
    assert stored["messages"][0]["text"] == text
    assert stored["author"]["display_name"] == f"@third_party{OVERRIDE}"
