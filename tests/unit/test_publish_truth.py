"""The social team's publish link says nothing false: the private reply goes first, and
the public reply says "we have written to you privately" only once it went; otherwise it
says how to reach the brand (config/outbound.yaml). Use case over in-memory fakes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from socialcare.app.publish_links import PublishDependencies, Published, PublishGone, submit
from socialcare.config.loaders import outbound_config
from socialcare.domain.cases import Case, CaseAuthor, PublishLink, TriageRecord
from socialcare.domain.clock import utc_iso
from socialcare.domain.outbound import Delivery, DeliveryMode, OutboundKind, OutboundTarget
from socialcare.domain.outbound_ports import FateUnknown, PlatformFailed, PlatformRefused
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
        store=links,
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
