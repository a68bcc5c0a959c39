"""Reads on the platforms' APIs: what a webhook does not carry (a mention's words, an
author's name) and the media a customer sent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: a port costs no cold start
    from socialcare.domain.case_details import MentionContent, PersonName
    from socialcare.domain.media import MediaContent, MediaRedirect
    from socialcare.domain.messages import Attachment, Channel, Platform


class PlatformDetails(Protocol):
    """Reads on the platforms' APIs; each raises DetailsUnavailable when it gives nothing."""

    def mention(self, account_id: str, media_id: str, comment_id: str | None) -> MentionContent:
        """The comment (`comment_id`) or the media's caption (no comment id) that
        mentioned the brand's Instagram account `account_id`."""

    def person(self, channel: Channel, account_id: str, person_id: str) -> PersonName:
        """Who a page-scoped (Messenger) or Instagram-scoped id is, as the account sees them."""


class MediaSource(Protocol):
    def open(
        self, platform: Platform, account_id: str, attachment: Attachment
    ) -> MediaContent | MediaRedirect:
        """Raises MediaUnavailable."""
