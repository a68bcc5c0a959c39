"""A manager's 7-day report link, exchanged for a short S3 link; forged, expired or
unknown links are refused with the reason (presentation/notices.py says it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from socialcare.domain.clock import Clock
from socialcare.domain.report_links import check

if TYPE_CHECKING:
    from socialcare.ports.reports import ReportStore

S3_LINK_SECONDS = 300


@dataclass
class ReportLinkDependencies:
    secret: Callable[[], str]  # the key that signed the links
    store: ReportStore
    clock: Clock
    language: str  # the reports' language, for a refusal's page


@dataclass(frozen=True)
class LinkRefused:
    why: str  # not_found, forged, expired
    language: str


@dataclass(frozen=True)
class ReportRedirect:
    url: str  # a presigned S3 link of S3_LINK_SECONDS


def open_report_link(
    key: str, expires: str, signature: str, deps: ReportLinkDependencies
) -> LinkRefused | ReportRedirect:
    why = check(key, expires, signature, deps.secret(), deps.clock())
    if why:
        return LinkRefused(why, deps.language)
    return ReportRedirect(deps.store.presigned_url(key, S3_LINK_SECONDS))
