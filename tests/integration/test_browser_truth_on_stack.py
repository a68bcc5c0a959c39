"""A real browser on the local stack: it posts a textarea's line breaks as CR LF (HTML's
form submission). The suggested public reply, posted with «Respuesta privada» emptied,
or the team's own words saying it wrote privately, never go out as a private claim."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from socialcare_cli.samples import http_request
from tests.integration.test_outbound_on_stack import browse, sent
from tests.integration.test_truth_on_stack import a_comment, field, publish_url, words
from tests.integration.workflow_helpers import csrf_of, deliver


def as_a_browser(url: str, form: dict[str, str]):
    body = urlencode({k: v.replace("\n", "\r\n") for k, v in form.items()}).encode()
    headers = {"content-type": "application/x-www-form-urlencoded"}
    return http_request("POST", url, headers, body)


def test_a_browser_that_empties_the_private_reply_publishes_the_contact_path(stack, api):
    # Given a recent complaint comment and the social team's page, as suggested
    case_id = deliver(stack, a_comment(datetime.now(UTC) - timedelta(hours=2)))
    url = publish_url(stack, case_id)
    page = browse("GET", url).body.decode()
    public = field(page, "public_text")
    assert public and "mensaje privado" in public, public
    # When a browser posts it with «Respuesta privada» emptied (line breaks as CR LF)
    done = as_a_browser(url, {"csrf_token": csrf_of(page), "public_text": public})
    # Then the public reply gives the contact path, with no CR, and the page says why
    [reply] = sent(stack, kind="comment_reply")
    assert "900 000 000" in reply["text"] and "\r" not in reply["text"], reply
    assert "mensaje privado no salió" in words(done.body.decode()), words(done.body.decode())


def test_own_words_claiming_a_private_message_publish_the_contact_path(stack, api):
    # Given a recent complaint comment and the social team's page
    case_id = deliver(stack, a_comment(datetime.now(UTC) - timedelta(hours=2)))
    url = publish_url(stack, case_id)
    page = browse("GET", url).body.decode()
    # When the team writes that it wrote privately, and sends no private reply
    claim = "Hola,\nte hemos escrito por privado con los detalles."
    as_a_browser(url, {"csrf_token": csrf_of(page), "public_text": claim})
    # Then the contact path went instead
    [reply] = sent(stack, kind="comment_reply")
    assert "por privado con los detalles" not in reply["text"], reply
    assert "900 000 000" in reply["text"], reply
