"""A department opens an image or voice note a customer sent: GET /media/{case id}.{key}.{n}
checks the case's media key (made at triage, app/case_triage.py) and its expiry, then
reads the file through the platform's media endpoint with the brand's token, at click
time, and hands back its bytes (or, for a CDN address that needs no token, where it is).
Nothing in a link or an email can reach the platform by itself; a wrong key, an expired
link and a missing file all answer alike to whoever tries ids."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from socialcare.domain.case_details import DetailsProblem
from socialcare.domain.case_ids import CASE_ID
from socialcare.domain.clock import Clock, utc_iso
from socialcare.domain.media import MediaContent, MediaRedirect, MediaUnavailable
from socialcare.domain.messages import Platform
from socialcare.domain.platform_errors import TokenProblem

if TYPE_CHECKING:
    from socialcare.ports.cases import CaseReader
    from socialcare.ports.outbound import TokenAlarm
    from socialcare.ports.platform_reads import MediaSource

MEDIA_LINK = re.compile(rf"({CASE_ID.pattern})\.([A-Za-z0-9_-]{{32}})\.([0-9]{{1,2}})")


class MediaState(StrEnum):
    SHOWN = "shown"  # the bytes
    REDIRECT = "redirect"  # the platform's CDN address (no token in it)
    GONE = "gone"  # no such link, expired, or the platform no longer keeps the file
    UNAVAILABLE = "unavailable"  # the platform did not answer now
    TOO_LARGE = "too_large"


@dataclass(frozen=True)
class MediaOpened:
    state: MediaState
    content: MediaContent | None = None
    url: str | None = None


@dataclass
class MediaDependencies:
    cases: CaseReader
    media: MediaSource
    clock: Clock
    alarm: TokenAlarm | None = None


def open_media(link_id: str, deps: MediaDependencies) -> MediaOpened:
    found = MEDIA_LINK.fullmatch(link_id)
    if found is None:
        return MediaOpened(MediaState.GONE)
    case = deps.cases.case(found[1])
    number = int(found[3])
    link = case.media_link if case else None
    if case is None or link is None or not link.matches(found[2]):
        return MediaOpened(MediaState.GONE)
    if link.expires_at <= utc_iso(_now(deps)) or number >= len(case.attachments):
        return MediaOpened(MediaState.GONE)
    account = case.reply_to.account_id if case.reply_to else ""
    try:
        opened = deps.media.open(Platform(case.platform), account, case.attachments[number])
    except MediaUnavailable as failed:
        if failed.too_large:
            return MediaOpened(MediaState.TOO_LARGE)
        if failed.problem is DetailsProblem.TOKEN and deps.alarm is not None:
            deps.alarm.token_invalid(case.platform, TokenProblem.REJECTED)
        gone = failed.problem is DetailsProblem.GONE
        return MediaOpened(MediaState.GONE if gone else MediaState.UNAVAILABLE)
    if isinstance(opened, MediaRedirect):
        return MediaOpened(MediaState.REDIRECT, url=opened.url)
    return MediaOpened(MediaState.SHOWN, content=opened)


def _now(deps: MediaDependencies) -> datetime:
    return deps.clock()
