"""The social team's "Publish reply" link: `show` changes nothing (mail scanners open every
link) and offers the suggested replies to edit; `submit` (with the page's CSRF token)
publishes them once. The link is single use; each reply is also an outbound action with a
deterministic id, so a second click or a retried request never posts twice."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from socialcare.app.answers import action_on, private_kind, send_on
from socialcare.app.outbound import OutboundDependencies, Outcome, Result
from socialcare.domain.cases import CASE_LINK, Case
from socialcare.domain.clock import Clock, utc_iso
from socialcare.domain.outbound import Origin, OutboundKind

MAX_REPLY = 4096


class PublishStore(Protocol):
    def case(self, case_id: str) -> Case | None: ...

    def use_publish_link(self, case_id: str, actor: str, now_iso: str) -> bool:
        """Unused -> used, once; False when it was used already."""

    def release_publish_link(self, case_id: str) -> None:
        """Nothing went out: the link may be used again."""


@dataclass
class PublishDependencies:
    store: PublishStore
    outbound: OutboundDependencies
    clock: Clock
    language: str


class PublishRefusal(StrEnum):
    FORBIDDEN = "forbidden"  # the form's CSRF token is not the link's
    EMPTY = "empty"  # nothing to publish


@dataclass(frozen=True)
class PublishNotFound:
    language: str


@dataclass(frozen=True)
class PublishForm:
    case: Case
    link_id: str
    csrf_token: str
    public_text: str | None  # None: no public reply on this case
    private_text: str | None
    private_kind: OutboundKind
    language: str


@dataclass(frozen=True)
class PublishGone:
    case_id: str
    used_at: str | None
    language: str


@dataclass(frozen=True)
class PublishRefused:
    reason: PublishRefusal
    case_id: str
    language: str


@dataclass(frozen=True)
class Published:
    case_id: str
    outcomes: tuple[tuple[OutboundKind, Outcome], ...]
    language: str

    @property
    def link_kept(self) -> bool:
        """Something went out (or may have): the link is spent."""
        return any(o.delivered or o.result is Result.UNCERTAIN for _, o in self.outcomes)


PublishOutcome = PublishNotFound | PublishForm | PublishGone | PublishRefused | Published


def show(link_id: str, deps: PublishDependencies) -> PublishOutcome:
    case = _case_of(link_id, deps)
    if case is None or case.publish is None:
        return PublishNotFound(deps.language)
    language = deps.language  # the social team's: the page is theirs, not the customer's
    if case.publish.used_at:
        return PublishGone(case.id, case.publish.used_at, language)
    triage = case.triage
    public = triage.public_reply if (triage and case.public) else None
    private = triage.private_reply if triage else None
    return PublishForm(
        case, link_id, case.publish.csrf_token, public, private, private_kind(case), language
    )


def submit(link_id: str, form: dict[str, str], deps: PublishDependencies) -> PublishOutcome:
    case = _case_of(link_id, deps)
    if case is None or case.publish is None:
        return PublishNotFound(deps.language)
    language = deps.language  # the social team's: the page is theirs, not the customer's
    if not case.publish.csrf_matches(form.get("csrf_token", "")):
        return PublishRefused(PublishRefusal.FORBIDDEN, case.id, language)
    public_text = form.get("public_text", "").strip()[:MAX_REPLY] if case.public else ""
    private_text = form.get("private_text", "").strip()[:MAX_REPLY]
    if not public_text and not private_text:
        return PublishRefused(PublishRefusal.EMPTY, case.id, language)
    now = deps.clock()
    actor = "social team"
    if not deps.store.use_publish_link(case.id, actor, utc_iso(now)):
        fresh = deps.store.case(case.id) or case
        return PublishGone(case.id, fresh.publish.used_at if fresh.publish else None, language)
    outcomes: list[tuple[OutboundKind, Outcome]] = []
    wanted = [(OutboundKind.PUBLIC_REPLY, public_text), (private_kind(case), private_text)]
    for kind, text in wanted:
        if not text:
            continue
        action = action_on(
            case, kind, text, origin=Origin.SOCIAL_TEAM, actor=actor, purpose="publish"
        )
        outcome = send_on(case, action, deps.outbound)
        if outcome is not None:
            outcomes.append((kind, outcome))
    published = Published(case.id, tuple(outcomes), language)
    if not published.link_kept:
        deps.store.release_publish_link(case.id)
    return published


def _case_of(link_id: str, deps: PublishDependencies) -> Case | None:
    """The case, if the id is one the stack could have made and its key is the case's."""
    found = CASE_LINK.fullmatch(link_id)  # the case id finds it, the key proves it
    if found is None:
        return None
    case = deps.store.case(found.group(1))
    if case is None or case.publish is None or not case.publish.matches(found.group(2)):
        return None
    return case
