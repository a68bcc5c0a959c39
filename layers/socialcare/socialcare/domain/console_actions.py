"""What the social team does to a case in the console, as rules: the reply claim (a
10-minute lease on the case), the corrections triage can learn from, closing reasons,
@mentions in internal notes, and the outbound purpose that makes a reply go once."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from socialcare.domain.cases import TRIAGE_FLAGS, FinalStatus
from socialcare.domain.console_replies import ReplyDraft, Visibility
from socialcare.domain.routing import PRIORITIES
from socialcare.domain.triage import Category
from socialcare.domain.truthful_replies import claims_private

# Starting a reply claims the case this long (the issue: "claims it for 10 minutes").
LEASE_SECONDS = 600
MAX_NOTE = 2000
MAX_REPLY = 4096  # as the publish link (app/publish_links.py)


@dataclass(frozen=True)
class Lease:
    """Who holds the case's reply claim, until when (epoch seconds)."""

    holder: str
    until: int

    def held_against(self, username: str, now: datetime) -> bool:
        """Someone else holds it now; an expired lease is free."""
        return self.holder != username and self.until > now.timestamp()


def lease_of(case_item: Mapping[str, object]) -> Lease | None:
    holder, until = case_item.get("lease_holder"), case_item.get("lease_until")
    if not holder or until is None:
        return None
    return Lease(str(holder), int(str(until)))


def lease_until(now: datetime) -> int:
    return int(now.timestamp()) + LEASE_SECONDS


class CloseReason(StrEnum):
    """Why the team closes a case; each closes it with the final status the reports count."""

    RESOLVED = "resolved"  # the customer's matter is solved
    CONTACTED = "contacted"  # answered; nothing more the brand can do
    SPAM = "spam"  # spam, trolls, nothing to answer


CLOSING_STATUS: Mapping[CloseReason, FinalStatus] = {
    CloseReason.RESOLVED: FinalStatus.RESOLVED,
    CloseReason.CONTACTED: FinalStatus.CONTACTED,
    CloseReason.SPAM: FinalStatus.SPAM,
}


class CorrectedField(StrEnum):
    CATEGORY = "category"
    PRIORITY = "priority"
    FLAGS = "flags"


@dataclass(frozen=True)
class Correction:
    """One field of triage changed by a person: the timeline's `triage_correction`."""

    field: CorrectedField
    before: str  # flags: comma-separated, in TRIAGE_FLAGS order
    after: str


def correction_for(field: str, value: str, current: Mapping[str, object]) -> Correction | str:
    """The correction asked for, or why it is not one (an unknown field or value, or
    the value it has already). `current`: the case's triage map."""
    if field not in set(CorrectedField):
        return "unknown_field"
    chosen = CorrectedField(field)
    if chosen is CorrectedField.FLAGS:
        wanted = [f.strip() for f in value.split(",") if f.strip()]
        if any(flag not in TRIAGE_FLAGS for flag in wanted):
            return "unknown_value"
        before = flags_text(f for f in TRIAGE_FLAGS if current.get(f))
        after = flags_text(wanted)
    else:
        allowed = PRIORITIES if chosen is CorrectedField.PRIORITY else tuple(Category)
        if value not in allowed:
            return "unknown_value"
        before, after = str(current.get(chosen.value) or ""), value
    return "unchanged" if before == after else Correction(chosen, before, after)


def flags_text(flags: object) -> str:
    chosen = set(flags)  # type: ignore[call-overload]
    return ",".join(flag for flag in TRIAGE_FLAGS if flag in chosen)


# A console username as Cognito keeps it (letters, digits and . _ - @ +); an @mention is
# "@" followed by one, not inside a word (an email address is not a mention).
_MENTION = re.compile(r"(?<![\w.@])@([A-Za-z0-9][A-Za-z0-9._+-]{0,127})")


def mentions_in(note: str) -> tuple[str, ...]:
    """The usernames a note mentions, once each, in order; a trailing dot is punctuation."""
    found = (m.rstrip(".") for m in _MENTION.findall(note))
    return tuple(dict.fromkeys(m for m in found if m))


def claims_a_private_message(
    draft: ReplyDraft,
    phrases: Collection[str],
    suggested_public: str | None,
    suggested_private: str | None,
) -> bool:
    """A public reply whose words say the brand wrote privately: a configured phrase says
    so, or they are the suggested public reply, written to follow the suggested private one
    (as the publish link reads them, app/publish_links.py)."""
    if draft.visibility is not Visibility.PUBLIC:
        return False
    if claims_private(draft.text, phrases):
        return True
    if not (suggested_public and suggested_private):
        return False
    return draft.text.split() == suggested_public.split()  # line breaks as typed


def reply_purpose(draft: ReplyDraft) -> str:
    """The outbound purpose of a console reply: the same words to the same case in the
    same place are the same action (a double click, a retried request, a resubmitted
    form send once), whoever's session sends them."""
    what = f"{draft.case_id}|{draft.visibility.value}|{' '.join(draft.text.split())}"
    return "console:" + hashlib.sha256(what.encode("utf-8")).hexdigest()[:16]
