"""The social team's links: publishing the suggested replies, following up a low score."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: a port costs no cold start
    from socialcare.domain.cases import FollowUpLink


class PublishLinks(Protocol):
    def use_publish_link(self, case_id: str, actor: str, now_iso: str) -> bool:
        """Unused -> used, once; False when it was used already."""

    def release_publish_link(self, case_id: str) -> None:
        """Nothing went out: the link may be used again."""


class FollowUpLinks(Protocol):
    def open_follow_up_link(self, case_id: str, key: str, csrf_token: str) -> FollowUpLink:
        """The case's follow-up link: this one, or the one it already had."""

    def use_follow_up_link(self, case_id: str, actor: str, now_iso: str) -> bool:
        """Unused -> used (the follow-up contacted), once; False when used already."""

    def release_follow_up_link(self, case_id: str) -> None:
        """Nothing went out: the link may be used again (the follow-up open)."""
