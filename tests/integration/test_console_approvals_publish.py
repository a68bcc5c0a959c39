"""The social team's publish link obeys approvals.yaml on the local stack: a reply to a
comment that mentions a consumer authority waits for an approver instead of going to the
platform, the page says so, and once approved it goes, exactly once."""

from __future__ import annotations

from socialcare.app.approvals import AlreadyDecided, Approved, approve
from tests.integration.test_outbound_on_stack import browse, fresh, sent
from tests.integration.workflow_helpers import SOCIAL_TEAM, csrf_of, deliver, email_to

AUTHORITY_COMMENT = "Ya he puesto una hoja de reclamaciones y lo llevo a la OCU, es la tercera vez"


def test_a_reply_to_an_authority_mention_waits_then_goes_once_approved(stack, api):
    from socialcare import bootstrap
    from socialcare.bootstrap.console_approvals import approvals as approvals_of

    # Given a comment that mentions a consumer authority, and the social team's link
    case_id = deliver(stack, fresh("meta_facebook_comment", "meta", AUTHORITY_COMMENT))
    [url] = [u for u in email_to(stack, SOCIAL_TEAM, case_id)["links"] if "/publish/" in u]

    # When the social team opens it, then publishes a public and a private reply
    page = browse("GET", url).body.decode()
    form = {
        "csrf_token": csrf_of(page),
        "public_text": "Lo sentimos mucho. Lo revisamos hoy mismo.",
        "private_text": "Hola, ¿nos das el número de póliza para revisarlo?",
    }
    published = browse("POST", url, form)

    # Then the page warned, nothing went to the platform, and both wait for an approver
    assert "necesita la aprobación" in page
    assert published.status == 200, published.body
    answer = published.body.decode()
    assert "espera aprobación" in answer and "No se ha publicado" in answer
    assert sent(stack) == []
    deps = approvals_of(bootstrap.root())  # the console's, which sends
    waiting = [a for a in deps.store.waiting() if a.case_id == case_id]
    assert len(waiting) == 2
    assert all("authority_mentioned" in a.reasons for a in waiting)
    assert stack.get_case(case_id)["approval_pending"] == 2

    # When an approver approves each, and presses again
    outcomes = [approve(a.id, "pablo", None, deps) for a in waiting]
    again = [approve(a.id, "pablo", None, deps) for a in waiting]

    # Then each went once, in the words written, and the queue is empty
    assert all(isinstance(o, Approved) and o.gone for o in outcomes), outcomes
    assert all(isinstance(o, AlreadyDecided) for o in again)
    assert [s["text"] for s in sent(stack, kind="comment_reply")] == [form["public_text"]]
    assert [s["text"] for s in sent(stack, kind="private_reply")] == [form["private_text"]]
    assert [a for a in deps.store.waiting() if a.case_id == case_id] == []
    assert stack.get_case(case_id)["approval_pending"] == 0
    assert browse("POST", url, form).status == 410
