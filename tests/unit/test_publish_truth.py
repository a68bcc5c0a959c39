"""The social team's publish link says nothing false: the private reply goes first, and
the public reply says "we have written to you privately" only once it went; otherwise it
says how to reach the brand (config/outbound.yaml). Use case over in-memory fakes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from urllib.parse import urlencode

import pytest

from socialcare.app.publish_links import PublishDependencies, Published, PublishGone, submit
from socialcare.config.loaders import outbound_config
from socialcare.domain.cases import Case, CaseAuthor, PublishLink, TriageRecord
from socialcare.domain.clock import utc_iso
from socialcare.domain.outbound import Delivery, DeliveryMode, OutboundKind, OutboundTarget
from socialcare.domain.platform_errors import FateUnknown, PlatformFailed, PlatformRefused
from socialcare_cli.local.functions import LocalFunction
from tests.conftest import ROOT
from tests.fakes import a_case
from tests.outbound_fakes import NOW, InMemoryOutboundStore, ScriptedPlatform, outbound_dependencies

KEY = "k" * 32
CSRF = "c" * 32
CLAIM = (
    "Hola Lucía, gracias por escribirnos. Te hemos enviado un mensaje privado para revisar tu caso."
)
PRIVATE = "Hola Lucía, el equipo de Siniestros te llamará antes del martes 9 a las 14:00."


@dataclass
class PublishLinks:
    """The case's publish link as the store keeps it: used once, released when asked."""

    stored: Case

    def case(self, case_id: str) -> Case | None:
        return self.stored if case_id == self.stored.id else None

    def use_publish_link(self, case_id: str, actor: str, now_iso: str) -> bool:
        assert self.stored.publish is not None
        if self.stored.publish.used_at:
            return False
        self.stored = replace(self.stored, publish=replace(self.stored.publish, used_at=now_iso))
        return True

    def release_publish_link(self, case_id: str) -> None:
        assert self.stored.publish is not None
        self.stored = replace(self.stored, publish=replace(self.stored.publish, used_at=None))


def a_comment(*, written_ago: timedelta, **fields) -> Case:
    at = utc_iso(NOW - written_ago)
    values = {
        "platform": "facebook",
        "channel": "facebook_comment",
        "public": True,
        "author": CaseAuthor(id="42", display_name="Lucía Fernández"),
        "reply_to": OutboundTarget(
            account_id="104857600000001", message_id="998877665544_1", author_id="42"
        ),
        "first_message_at": at,
        "last_message_at": at,
        "publish": PublishLink(key=KEY, csrf_token=CSRF),
        "triage": TriageRecord(category="complaint", public_reply=CLAIM, private_reply=PRIVATE),
    }
    values.update(fields)
    return a_case(**values)


def publish(links: PublishLinks, platform: ScriptedPlatform, store=None, **form: str):
    deps = PublishDependencies(
        cases=links,
        links=links,
        outbound=outbound_dependencies(store, platform, config=outbound_config()),
        clock=lambda: NOW,
        language="es",
    )
    form = {"csrf_token": CSRF, "public_text": CLAIM, "private_text": PRIVATE, **form}
    return submit(f"{links.stored.id}.{KEY}", form, deps)


def said_in_public(platform: ScriptedPlatform) -> list[str]:
    return [
        d.action.text or "" for d in platform.done if d.action.kind is OutboundKind.PUBLIC_REPLY
    ]


def test_a_comment_past_its_private_reply_window_is_told_how_to_reach_the_brand():
    # Given a complaint commented 10 days ago: its private reply can no longer go
    links, platform = PublishLinks(a_comment(written_ago=timedelta(days=10))), ScriptedPlatform()
    # When the social team publishes the suggested replies as they are
    publish(links, platform)
    # Then the public reply does not claim a private message: it gives the contact path
    [public] = said_in_public(platform)
    assert "Te hemos enviado un mensaje privado" not in public, public
    assert "900 000 000" in public and public.startswith("Hola Lucía")
    assert [d.action.kind for d in platform.done] == [OutboundKind.PUBLIC_REPLY]


def test_the_private_reply_goes_first_and_then_the_public_reply_may_say_so():
    # Given a complaint commented an hour ago
    links, platform = PublishLinks(a_comment(written_ago=timedelta(hours=1))), ScriptedPlatform()
    # When the social team publishes
    publish(links, platform)
    # Then the private reply went first, and the public reply says it as written
    kinds = [d.action.kind for d in platform.done]
    assert kinds == [OutboundKind.PRIVATE_REPLY, OutboundKind.PUBLIC_REPLY], kinds
    assert said_in_public(platform) == [CLAIM]


def test_a_private_reply_the_platform_refuses_is_not_claimed_in_public():
    # Given a recent comment whose private reply Graph refuses (10903)
    links = PublishLinks(a_comment(written_ago=timedelta(hours=1)))
    platform = PrivateRepliesFail(PlatformRefused("10903", "This activity can't be replied to"))
    # When the social team publishes
    publish(links, platform)
    # Then the public reply gives the contact path instead
    [public] = said_in_public(platform)
    assert "Te hemos enviado un mensaje privado" not in public, public


def test_a_private_reply_whose_fate_is_unknown_is_not_claimed_in_public():
    # Given a recent comment whose private reply times out (Graph cannot tell for messages)
    links = PublishLinks(a_comment(written_ago=timedelta(hours=1)))
    platform = PrivateRepliesFail(FateUnknown("timeout"))
    # When the social team publishes
    publish(links, platform)
    # Then the private reply is not said to have gone
    [public] = said_in_public(platform)
    assert "Te hemos enviado un mensaje privado" not in public, public


def test_a_second_click_and_a_retry_publish_nothing_new():
    # Given a reply published once
    store = InMemoryOutboundStore()
    links = PublishLinks(a_comment(written_ago=timedelta(hours=1)))
    platform = ScriptedPlatform()
    publish(links, platform, store)
    # When the form is posted again, and again after the link was taken back
    again = publish(links, platform, store)
    links.release_publish_link(links.stored.id)
    retried = publish(links, platform, store)
    # Then nothing more reached the platform
    assert isinstance(again, PublishGone)
    assert isinstance(retried, Published)
    assert platform.calls == 2 and len(platform.done) == 2


class PrivateRepliesFail(ScriptedPlatform):
    """Graph answering every private reply with `error`, and taking everything else."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def send(self, delivery: Delivery) -> str:
        if delivery.mode is DeliveryMode.PRIVATE_REPLY:
            self.calls += 1
            raise self.error
        return super().send(delivery)


def test_a_public_reply_published_before_is_reported_in_the_words_that_went():
    # Given a publish whose private reply could not go yet (Graph down): the public reply
    # went with the contact path, and the link was taken back
    store = InMemoryOutboundStore()
    links = PublishLinks(a_comment(written_ago=timedelta(hours=1)))
    down = PrivateRepliesFail(PlatformFailed("503"))
    publish(links, down, store)
    [went] = said_in_public(down)
    # When the link is used again and the private reply goes now
    platform = ScriptedPlatform()
    again = publish(links, platform, store)
    # Then the public reply is not sent again, and is reported in the words that went
    assert said_in_public(platform) == []
    [public] = [o for kind, o in again.outcomes if kind is OutboundKind.PUBLIC_REPLY]
    assert public.text == went, public.text


def a_browser_post(link: str, **fields: str) -> dict:
    """The form as a browser posts it: HTML submits a textarea's line breaks as CR LF."""
    body = urlencode({k: v.replace("\n", "\r\n") for k, v in fields.items()})
    return {
        "version": "2.0",
        "routeKey": "POST /publish/{id}",
        "rawPath": f"/publish/{link}",
        "rawQueryString": "",
        "headers": {"content-type": "application/x-www-form-urlencoded"},
        "requestContext": {"http": {"method": "POST", "path": f"/publish/{link}"}},
        "pathParameters": {"id": link},
        "body": body,
        "isBase64Encoded": False,
    }


def test_a_browser_that_empties_the_private_reply_does_not_publish_a_private_claim():
    # Given a suggested public reply on two lines, following a suggested private reply
    lines = "Hola Lucía,\ngracias por escribirnos. Te hemos enviado un mensaje privado."
    comment = a_comment(written_ago=timedelta(hours=1))
    links = PublishLinks(replace(comment, triage=replace(comment.triage, public_reply=lines)))
    platform = ScriptedPlatform()
    deps = PublishDependencies(
        cases=links,
        links=links,
        outbound=outbound_dependencies(None, platform, config=outbound_config()),
        clock=lambda: NOW,
        language="es",
    )
    # When a browser posts it as suggested, with «Respuesta privada» emptied
    event = a_browser_post(
        f"{links.stored.id}.{KEY}", csrf_token=CSRF, public_text=lines, private_text=""
    )
    page = actions_function().invoke(event, publish=deps)
    # Then no private message is claimed: the contact path went, without a CR
    [public] = said_in_public(platform)
    assert "mensaje privado." not in public and "900 000 000" in public, public
    assert page["statusCode"] == 200, page["body"]


def test_a_browser_posts_line_breaks_that_reach_the_customer_as_typed():
    # Given a complaint commented an hour ago
    links, platform = PublishLinks(a_comment(written_ago=timedelta(hours=1))), ScriptedPlatform()
    deps = PublishDependencies(
        cases=links,
        links=links,
        outbound=outbound_dependencies(None, platform, config=outbound_config()),
        clock=lambda: NOW,
        language="es",
    )
    # When a browser posts replies written on several lines
    event = a_browser_post(
        f"{links.stored.id}.{KEY}",
        csrf_token=CSRF,
        public_text="Hola Lucía,\ngracias.",
        private_text="Hola Lucía,\nte llamamos hoy.",
    )
    actions_function().invoke(event, publish=deps)
    # Then every text sent has the line breaks typed (LF), never a CR
    sent = [d.action.text or "" for d in platform.done]
    assert sent == ["Hola Lucía,\nte llamamos hoy.", "Hola Lucía,\ngracias."], sent


@pytest.mark.parametrize(
    "claim",
    [
        "Hola Lucía, te hemos escrito por privado con los detalles.",
        "Hola Lucía, TE HEMOS   ENVIADO los detalles.",
        "Hi Lucía, we've sent you a DM with the details.",
    ],
)
def test_edited_words_claiming_a_private_message_without_one_give_the_contact_path(claim):
    # Given a recent comment
    links, platform = PublishLinks(a_comment(written_ago=timedelta(hours=1))), ScriptedPlatform()
    # When the social team writes its own public words saying it wrote privately, and sends
    # no private reply
    outcome = publish(links, platform, public_text=claim, private_text="")
    # Then the contact path goes instead, and the page says so
    [public] = said_in_public(platform)
    assert public != claim and "900 000 000" in public, public
    assert outcome.public_without_private


def test_an_invitation_to_write_privately_goes_as_written():
    # Given a recent comment
    links, platform = PublishLinks(a_comment(written_ago=timedelta(hours=1))), ScriptedPlatform()
    # When the social team only asks the customer to write privately
    invite = "Hola Lucía, escríbenos por mensaje privado y lo vemos."
    publish(links, platform, public_text=invite, private_text="")
    # Then it goes as written: it claims nothing
    assert said_in_public(platform) == [invite]


def actions_function() -> LocalFunction:
    return LocalFunction(
        "ActionsFunction",
        "actions",
        "arn:aws:lambda:us-east-1:123456789012:function:actions",
        ROOT / "functions" / "actions" / "app.py",
        "lambda_handler",
    )
