"""The social team's "Publish reply" link: `show` changes nothing (mail scanners open every
link) and offers the suggested replies to edit, saying what can go now; `submit` (with
the page's CSRF token) publishes them once. The private reply goes first, and the public
reply says "we have written to you privately" only once it went (domain/truthful_replies).
The link is spent once nothing more can go through it; each reply is also an outbound
action with a deterministic id, so a second click or a retried request never posts
twice. A reply that config/approvals.yaml holds goes to the approvers' queue instead of the
platform (app/approvals.py), and the page says so."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from socialcare.app.answers import action_on, conversation_of, fate_of, private_kind, send_on
from socialcare.app.approvals import ApprovalDependencies, Submitted, submit_for_approval
from socialcare.app.outbound import OutboundDependencies, Outcome, Result
from socialcare.domain.approvals import PendingApproval, approval_reasons
from socialcare.domain.cases import CASE_LINK, Case
from socialcare.domain.clock import Clock, utc_iso
from socialcare.domain.console_replies import ReplyDraft, Visibility
from socialcare.domain.outbound import Origin, OutboundKind, WhatsAppTemplate
from socialcare.domain.outbound_rules import (
    FIXED_BY_EDITING,
    Blocked,
    OutboundConfig,
    plan_delivery,
)
from socialcare.domain.truthful_replies import (
    PrivateFate,
    claims_private,
    public_words,
    without_private,
)

if TYPE_CHECKING:
    from socialcare.ports.cases import CaseReader
    from socialcare.ports.links import PublishLinks

MAX_REPLY = 4096
# Who wrote a reply published from the email link, as the approvers read it.
LINK_AUTHOR = "social team (email link)"


@dataclass
class PublishDependencies:
    cases: CaseReader
    links: PublishLinks
    outbound: OutboundDependencies
    clock: Clock
    language: str
    # Which replies wait for an approver (None: none do).
    approvals: ApprovalDependencies | None = None


class PublishRefusal(StrEnum):
    FORBIDDEN = "forbidden"  # the form's CSRF token is not the link's
    EMPTY = "empty"  # nothing to publish


@dataclass(frozen=True)
class PublishNotFound:
    language: str


@dataclass(frozen=True)
class PartNow:
    """What one part of the reply would do if published now, by the sender's own rule."""

    blocked: Blocked | None = None  # it cannot go now, and why
    template: WhatsAppTemplate | None = None  # the approved template goes instead of words


@dataclass(frozen=True)
class PublishForm:
    case: Case
    link_id: str
    csrf_token: str
    public_text: str | None  # None: no public reply on this case
    private_text: str | None
    private_kind: OutboundKind
    language: str
    public_now: PartNow = PartNow()
    private_now: PartNow = PartNow()
    # What the public reply says instead when the private one does not go.
    without_private: str | None = None
    # Why the suggested replies would wait for an approver (approvals.yaml's words).
    approval_reasons: tuple[str, ...] = ()


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
class HeldPart:
    """A part of the reply put to an approver instead of the platform."""

    kind: OutboundKind
    approval: PendingApproval
    reasons: tuple[str, ...]  # approvals.yaml's words, in the page's language


@dataclass(frozen=True)
class Published:
    case_id: str
    outcomes: tuple[tuple[OutboundKind, Outcome], ...]  # in the order they were sent
    language: str
    channel: str = ""
    # The public reply gave the contact path: the private one did not go.
    public_without_private: bool = False
    held: tuple[HeldPart, ...] = ()  # waiting for an approver: nothing of them went

    @property
    def anything_out(self) -> bool:
        """Something went out (or may have)."""
        return any(o.delivered or o.result is Result.UNCERTAIN for _, o in self.outcomes)

    @property
    def link_kept(self) -> bool:
        """Spent once something went out and nothing left could go through it again (a
        deferral, or a text to correct); what went is never sent twice either way."""
        taken = self.anything_out or bool(self.held)
        return taken and not any(_may_go_later(o) for _, o in self.outcomes)


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
    instead = without_private(deps.outbound.config, language, case.author.display_name)
    private_now = _now(case, private_kind(case), private or "-", deps)
    if private_now.blocked is not None and public is not None and private:
        public = instead  # already known: the public reply cannot promise a private one
    if private_now.template is not None:
        private = private_now.template.body
    public_now = _now(case, OutboundKind.PUBLIC_REPLY, public or "-", deps) if case.public else None
    parts = ((private_kind(case), private), (OutboundKind.PUBLIC_REPLY, public))
    reasons = {r for kind, text in parts if text for r in _reasons(case, kind, text, deps)}
    return PublishForm(
        case,
        link_id,
        case.publish.csrf_token,
        public,
        private,
        private_kind(case),
        language,
        public_now or PartNow(),
        private_now,
        instead if case.public else None,
        _words(tuple(sorted(reasons)), deps),
    )


def _now(case: Case, kind: OutboundKind, text: str, deps: PublishDependencies) -> PartNow:
    action = action_on(case, kind, text, origin=Origin.SOCIAL_TEAM, actor="social team")
    if action is None:
        return PartNow(Blocked("the case keeps no address to answer to", "no_address"))
    planned = plan_delivery(action, conversation_of(case), deps.outbound.config, deps.clock())
    if isinstance(planned, Blocked):
        return PartNow(planned)
    return PartNow(template=planned.template)


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
    if not deps.links.use_publish_link(case.id, "social team", utc_iso(deps.clock())):
        fresh = deps.cases.case(case.id) or case
        return PublishGone(case.id, fresh.publish.used_at if fresh.publish else None, language)
    outcomes: list[tuple[OutboundKind, Outcome]] = []
    held: list[HeldPart] = []
    private = _unless_held(case, private_kind(case), private_text, deps, held)
    if private is not None:
        outcomes.append((private_kind(case), private))
    claims = _claims_private(case, public_text, deps.outbound.config)
    fate = _fate_of(private, presumed=claims)
    instead = False
    if public_text:
        said = public_words(
            fate,
            written=public_text,
            without_private=without_private(
                deps.outbound.config, language, case.author.display_name
            ),
            claims=claims,
        )
        instead = said != public_text
        public = _unless_held(case, OutboundKind.PUBLIC_REPLY, said, deps, held)
        if public is not None:
            outcomes.append((OutboundKind.PUBLIC_REPLY, public))
    published = Published(case.id, tuple(outcomes), language, case.channel, instead, tuple(held))
    if not published.link_kept:
        deps.links.release_publish_link(case.id)
    return published


def _draft(case: Case, kind: OutboundKind, text: str) -> ReplyDraft:
    public = kind is OutboundKind.PUBLIC_REPLY
    visibility = Visibility.PUBLIC if public else Visibility.PRIVATE
    return ReplyDraft(case.id, text, visibility, LINK_AUTHOR, case.language or "es")


def _reasons(
    case: Case, kind: OutboundKind, text: str, deps: PublishDependencies
) -> tuple[str, ...]:
    if deps.approvals is None:
        return ()
    return approval_reasons(case, _draft(case, kind, text), deps.approvals.rules)


def _words(reasons: tuple[str, ...], deps: PublishDependencies) -> tuple[str, ...]:
    rules = deps.approvals.rules if deps.approvals else None
    return tuple(rules.reason(r, deps.language) for r in reasons) if rules else ()


def _unless_held(
    case: Case, kind: OutboundKind, text: str, deps: PublishDependencies, held: list[HeldPart]
) -> Outcome | None:
    """Sent, or put to an approver when a rule holds it (then nothing of it goes now);
    None when nothing was written, or nothing could go."""
    if not text:
        return None
    if deps.approvals is not None and _reasons(case, kind, text, deps):
        submitted = submit_for_approval(_draft(case, kind, text), deps.approvals)
        if isinstance(submitted, Submitted):  # else the case changed: the rules let it go
            approval = submitted.approval
            held.append(HeldPart(kind, approval, _words(approval.reasons, deps)))
            return None
    return _send(case, kind, text, deps)


def _send(case: Case, kind: OutboundKind, text: str, deps: PublishDependencies) -> Outcome | None:
    action = action_on(
        case, kind, text, origin=Origin.SOCIAL_TEAM, actor="social team", purpose="publish"
    )
    return send_on(case, action, deps.outbound)


def _fate_of(private: Outcome | None, *, presumed: bool) -> PrivateFate:
    if private is None:
        # None asked for, but the words were written to follow one: none went.
        return PrivateFate.NOT_SENT if presumed else PrivateFate.NOT_ASKED
    return fate_of(private)


def _claims_private(case: Case, public_text: str, config: OutboundConfig) -> bool:
    """The public words say a private message went: their own words say so, or they are
    the suggested public reply, suggested together with a private one to follow it."""
    phrases = [p for ps in config.private_message_claims.values() for p in ps]
    if claims_private(public_text, phrases):
        return True
    triage = case.triage
    if not (triage and triage.private_reply and triage.public_reply):
        return False
    return public_text.split() == triage.public_reply.split()  # line breaks as typed


def _may_go_later(outcome: Outcome) -> bool:
    if outcome.result is Result.DEFERRED:
        return True
    return outcome.result is Result.BLOCKED and outcome.code in FIXED_BY_EDITING


def _case_of(link_id: str, deps: PublishDependencies) -> Case | None:
    """The case, if the id is one the stack could have made and its key is the case's."""
    found = CASE_LINK.fullmatch(link_id)  # the case id finds it, the key proves it
    if found is None:
        return None
    case = deps.cases.case(found.group(1))
    if case is None or case.publish is None or not case.publish.matches(found.group(2)):
        return None
    return case
