"""Cases: identity, statuses, what recording a message can lead to, and the case as the
workflow reads it."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from socialcare.domain.case_ids import CASE_ID
from socialcare.domain.messages import Attachment, InboundMessage, MessageChange

if TYPE_CHECKING:  # the webhook records cases without loading routing or answering
    from socialcare.domain.derivation import WaitPlan
    from socialcare.domain.outbound import OutboundTarget


class CaseStatus(StrEnum):
    """Statuses while a case is open; closed cases carry a FinalStatus and `closed_at`."""

    NEW = "new"  # recorded; the table's stream brings it to triage
    TRIAGED = "triaged"  # triaged (once): closing it, or starting its derivation
    DERIVED = "derived"  # waiting for a department
    ESCALATED = "escalated"  # waiting for a supervisor or the main contact


class FinalStatus(StrEnum):
    RESOLVED = "resolved"
    CONTACTED = "contacted"
    AUTONOMOUS = "autonomous"
    BREACHED = "breached"
    SPAM = "spam"


class RecordOutcome(StrEnum):
    CREATED = "created"  # a new case was opened for this message
    APPENDED = "appended"  # the author came back on an open case
    DUPLICATE = "duplicate"  # this message was recorded before


@dataclass(frozen=True)
class Recorded:
    case_id: str
    outcome: RecordOutcome


# A link that names a case: <case id>.<32-character key>.
CASE_LINK = re.compile(rf"({CASE_ID.pattern})\.([A-Za-z0-9_-]{{32}})")


def same_secret(given: str, kept: str | None) -> bool:
    """Constant time; never equal to a secret that is not there."""
    return bool(kept) and hmac.compare_digest(given.encode(), str(kept).encode())


def case_id_for(message: InboundMessage) -> str:
    """Deterministic: a retry of the same first message always names the same case."""
    digest = hashlib.sha256(message.dedup_key.encode("utf-8")).hexdigest()[:16]
    return f"{message.sent_at:%Y%m%d}-{digest}"


def execution_name_for(case_id: str) -> str:
    """Step Functions refuses a second execution with the same name."""
    return f"case-{case_id}"


def author_key(message: InboundMessage) -> str:
    """Authors are threaded per platform (the channel family): ids are platform-scoped."""
    return f"{message.platform.value}#{message.author.id}"


# A username as platforms write it (X, Telegram, Instagram, WhatsApp): letters, digits,
# "_" and "."; anything else (a name cut at MAX_NAME) is no handle.
_HANDLE = re.compile(r"@?([A-Za-z0-9_.]{1,64})")


def handle_key(platform: str, handle: str | None) -> str | None:
    """`<platform>@<username>`: usernames are case-insensitive on every platform."""
    found = _HANDLE.fullmatch(handle or "")
    return f"{platform}@{found[1].lower()}" if found else None


def other_identities(
    platform: str, author_id: str, aliases: Iterable[str] | None, handle: str | None
) -> list[str]:
    """Every identity a platform gave for an author beyond their author id, as the person
    index keeps them: each alias (`<platform>#<id>`: a WhatsApp phone beside the
    business-scoped id) and the username (`<platform>@<username>`)."""
    keys = [f"{platform}#{alias}" for alias in aliases or () if alias and alias != author_id]
    username = handle_key(platform, handle)
    if username:
        keys.append(username)
    return list(dict.fromkeys(keys))


def message_fingerprint(message: InboundMessage) -> str:
    return hashlib.sha256(message.dedup_key.encode("utf-8")).hexdigest()[:12]


def change_fingerprint(change: MessageChange) -> str:
    """The same edit or deletion of the same message, however often it is delivered."""
    what = f"{change.original_key}\n{change.kind.value}\n{change.text or ''}"
    return hashlib.sha256(what.encode("utf-8")).hexdigest()[:12]


TRIAGE_FLAGS = (
    "urgent",
    "authority_mentioned",
    "personal_data_exposed",
    "crisis",
    "needs_details",
    "low_confidence",
)


@dataclass(frozen=True)
class SuggestedReplies:
    """What the community manager could answer, in public and in private."""

    public: str | None
    private: str | None
    note: str | None
    # A comment exposing personal data: the notice when it is hidden, and the private
    # reply that follows (what config/outbound.yaml may send by itself).
    hidden_notice: str | None = None
    followup: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        replies = {"public": self.public, "private": self.private, "note": self.note}
        if self.hidden_notice or self.followup:
            replies.update(hidden_notice=self.hidden_notice, followup=self.followup)
        return replies


@dataclass(frozen=True)
class TriageRecord:
    """What triage decided, as kept on the case (Assessment.as_dict and the replies)."""

    category: str | None = None
    relation: str | None = None
    priority: str | None = None
    flags: tuple[str, ...] = ()
    public_reply: str | None = None
    private_reply: str | None = None
    hidden_notice: str | None = None
    followup: str | None = None
    language: str | None = None  # what triage detected the customer writes in
    # What the replies' wording depends on (domain/replies.py), to recompose them when
    # the department or its deadline changes.
    sentiment: str | None = None
    safety: bool = False
    # Triage was unsure of something that changes what happens to the case, and what
    # ("category", "urgent", "authority"...): what it said, whatever a person did since.
    needs_review: bool = False
    review_reasons: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> TriageRecord | None:
        if not data:
            return None
        replies = data.get("suggested_replies") or {}
        return cls(
            category=data.get("category"),
            relation=data.get("relation"),
            priority=data.get("priority"),
            flags=tuple(flag for flag in TRIAGE_FLAGS if data.get(flag)),
            public_reply=replies.get("public"),
            private_reply=replies.get("private"),
            hidden_notice=replies.get("hidden_notice"),
            followup=replies.get("followup"),
            language=data.get("language"),
            sentiment=data.get("sentiment"),
            safety=bool(data.get("safety")),
            needs_review=bool(data.get("needs_review")),
            review_reasons=tuple(str(r) for r in data.get("review_reasons") or ()),
        )


@dataclass(frozen=True)
class PublishLink:
    """The social team's link to publish the case's suggested reply: made at triage,
    used once (the key finds it, the CSRF token guards its form)."""

    key: str
    csrf_token: str
    used_at: str | None = None

    def matches(self, key: str) -> bool:
        return same_secret(key, self.key)

    def csrf_matches(self, token: str) -> bool:
        return same_secret(token, self.csrf_token)


@dataclass(frozen=True)
class MediaLink:
    """The key of the links to the media a case's customer sent (app/media_links.py):
    made at triage, good until `expires_at` (UTC ISO), never a platform address."""

    key: str
    expires_at: str

    def matches(self, key: str) -> bool:
        return same_secret(key, self.key)


@dataclass(frozen=True)
class FollowUpLink:
    """The social team's link to write to a customer who rated the answer low: made with
    the low-score alert, used once (the key finds it, the CSRF token guards its form)."""

    key: str
    csrf_token: str
    used_at: str | None = None

    def matches(self, key: str) -> bool:
        return same_secret(key, self.key)

    def csrf_matches(self, token: str) -> bool:
        return same_secret(token, self.csrf_token)


@dataclass(frozen=True)
class SurveyState:
    """The case's satisfaction survey: asked once, answered once (the first answer)."""

    sent_at: str | None = None
    form: str | None = None  # "choices" or "link"
    link_key: str | None = None  # the survey page's key (the link form)
    csrf_token: str | None = None
    score: int | None = None
    answered_at: str | None = None
    comment: str | None = None  # what the customer wrote beside the score (survey page)
    # The language it was asked in, and whether that was the brand's default because the
    # customer's was unknown; the survey page speaks the same.
    language: str | None = None
    language_fallback: bool = False

    def matches(self, key: str) -> bool:
        return same_secret(key, self.link_key)

    def csrf_matches(self, token: str) -> bool:
        return same_secret(token, self.csrf_token)


@dataclass(frozen=True)
class RouteStop:
    """Who held a derived case from when: a department, at an escalation level."""

    department: str
    level: int
    at: str  # UTC ISO


@dataclass(frozen=True)
class CaseAuthor:
    id: str
    aliases: tuple[str, ...] = ()  # WhatsApp: the phone beside the business-scoped id
    handle: str | None = None
    display_name: str | None = None
    followers: int | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        """Every id the person is known by on the platform."""
        return (self.id, *self.aliases)

    @property
    def label(self) -> str:
        """Name and username as known; "" when the platform told neither."""
        if self.handle and self.display_name:
            return f"{self.display_name} (@{self.handle})"
        return self.display_name or (f"@{self.handle}" if self.handle else "")


@dataclass(frozen=True)
class Case:
    """A case as the workflow and the action links read it."""

    id: str
    platform: str
    channel: str
    created_at: str
    author: CaseAuthor
    texts: tuple[str, ...] = ()  # the customer's messages, oldest first
    public: bool = False
    language: str | None = None
    triage: TriageRecord | None = None
    deadline: str | None = None
    current_action: str | None = None
    closed_at: str | None = None
    status: str = CaseStatus.NEW.value
    # The first wait triage planned for a derived case (None when triage closes it).
    wait_plan: WaitPlan | None = None
    workflow_started: bool = False
    # Where answers go (the first message's ids) and when the customer wrote: the
    # platforms' messaging windows count from these.
    reply_to: OutboundTarget | None = None
    first_message_at: str | None = None
    last_message_at: str | None = None
    publish: PublishLink | None = None
    survey: SurveyState | None = None
    customer_reference: str | None = None  # the CRM's, when triage found the customer
    route: tuple[RouteStop, ...] = ()
    sla_breached: bool = False
    # Read from the platform at triage (domain/case_details.py): the post's address, and
    # why a read gave nothing ("token", "unavailable", "gone"), for staff to know.
    permalink: str | None = None
    details_problem: str | None = None
    # What the customer sent beside words, in the order sent, and the key of its links.
    attachments: tuple[Attachment, ...] = ()
    media_link: MediaLink | None = None
    follow_up_link: FollowUpLink | None = None
    # The crisis the case belongs to (a crisis alert's topic, or marked in the console).
    crisis_topic: str | None = None
    # The case item's `needs_review`: it waits in the console's review queue until a
    # person confirms or corrects triage (then False; the triage map keeps what it said).
    needs_review: bool = False
    review_confirmed_at: str | None = None  # when a person confirmed triage as it was

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    @property
    def text(self) -> str:
        return "\n".join(self.texts)
