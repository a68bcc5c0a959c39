"""Before triage classifies a case: what the webhook could not carry, read from the
platform (an Instagram mention's words and address, a Messenger or Instagram author's
name). Read here, not in the webhook, which answers the platform at once and calls
nothing outside. A read that fails never holds the case back: it goes on with what the
webhook gave, and the problem is kept for staff (a token problem is alarmed too)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socialcare.domain.case_details import CaseDetails, DetailsProblem, DetailsUnavailable
from socialcare.domain.cases import Case
from socialcare.domain.messages import Channel
from socialcare.domain.platform_errors import TokenProblem

if TYPE_CHECKING:
    from socialcare.ports.outbound import TokenAlarm
    from socialcare.ports.platform_reads import PlatformDetails

# Channels whose webhook names the person by a scoped id only (the User Profile API
# names them): Messenger's PSID, Instagram's IGSID.
_NAMELESS = (Channel.MESSENGER, Channel.INSTAGRAM_DM)


def read_details(case: Case, reader: PlatformDetails, alarm: TokenAlarm | None) -> CaseDetails:
    """What the platform adds to `case` (CaseDetails() when it needs nothing)."""
    try:
        if _is_mention(case):
            return _mention(case, reader)
        if _needs_name(case):
            target = case.reply_to
            assert target is not None  # _needs_name checked it
            person = reader.person(Channel(case.channel), target.account_id, case.author.id)
            return CaseDetails(display_name=person.display_name, handle=person.handle)
    except DetailsUnavailable as failed:
        if failed.problem is DetailsProblem.TOKEN and alarm is not None:
            alarm.token_invalid(case.platform, failed.token or TokenProblem.REJECTED)
        return CaseDetails(problem=failed.problem)
    return CaseDetails()


def _is_mention(case: Case) -> bool:
    """A comment or caption mention (ids only); a story mention comes as a direct message
    with its own words and link, in a conversation."""
    target = case.reply_to
    return (
        case.channel == Channel.INSTAGRAM_MENTION.value
        and target is not None
        and target.conversation_id is None
        and target.thread_id is not None
    )


def _mention(case: Case, reader: PlatformDetails) -> CaseDetails:
    target = case.reply_to
    assert target is not None and target.thread_id is not None  # _is_mention checked it
    # A comment mention names the comment and its media; a caption mention the media only.
    comment_id = target.message_id if target.message_id != target.thread_id else None
    found = reader.mention(target.account_id, target.thread_id, comment_id)
    return CaseDetails(text=found.text, handle=found.username, permalink=found.permalink)


def _needs_name(case: Case) -> bool:
    known = case.author.display_name or case.author.handle
    return (
        Channel(case.channel) in _NAMELESS
        and not known
        and case.reply_to is not None
        and not case.author.id.startswith("unknown:")
    )
