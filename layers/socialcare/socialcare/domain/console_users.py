"""Who works in the social team's console and what each role may do. The roles are the
user pool's groups (Cognito puts them in the access token's `cognito:groups` claim); a
person in several groups may do what any of them may. Admins manage people, not cases:
least privilege, so an admin who also answers is in `agents` as well."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    AGENT = "agent"
    COMMUNITY_MANAGER = "community_manager"
    APPROVER = "approver"
    ADMIN = "admin"


GROUP_OF_ROLE: Mapping[Role, str] = {
    Role.AGENT: "agents",
    Role.COMMUNITY_MANAGER: "community_managers",
    Role.APPROVER: "approvers",
    Role.ADMIN: "admins",
}
_ROLE_OF_GROUP = {group: role for role, group in GROUP_OF_ROLE.items()}


def roles_of_groups(groups: Iterable[str]) -> frozenset[Role]:
    """The roles of a token's groups; a group the console does not know gives none."""
    return frozenset(_ROLE_OF_GROUP[g] for g in groups if g in _ROLE_OF_GROUP)


class ConsoleAction(StrEnum):
    READ = "read"  # the inbox, a case, the saved replies
    REPLY = "reply"  # write a reply (sent, or put to an approver)
    NOTE = "note"  # internal notes and @mentions
    ASSIGN = "assign"
    DERIVE = "derive"  # derive or re-route to a department
    CORRECT = "correct"  # category, priority, flags
    CLOSE = "close"
    REOPEN = "reopen"
    MARK_CRISIS = "mark_crisis"
    APPROVE = "approve"  # approve (may edit) or return a reply
    MANAGE_SAVED_REPLIES = "manage_saved_replies"
    MANAGE_USERS = "manage_users"  # see users and their last actions


_TEAM = frozenset({Role.AGENT, Role.COMMUNITY_MANAGER})
PERMISSIONS: Mapping[ConsoleAction, frozenset[Role]] = {
    ConsoleAction.READ: frozenset(Role),
    ConsoleAction.REPLY: _TEAM,
    ConsoleAction.NOTE: _TEAM | {Role.APPROVER},
    ConsoleAction.ASSIGN: _TEAM,
    ConsoleAction.DERIVE: _TEAM,
    ConsoleAction.CORRECT: _TEAM,
    ConsoleAction.CLOSE: _TEAM,
    ConsoleAction.REOPEN: _TEAM,
    ConsoleAction.MARK_CRISIS: frozenset({Role.COMMUNITY_MANAGER}),
    ConsoleAction.APPROVE: frozenset({Role.APPROVER}),
    ConsoleAction.MANAGE_SAVED_REPLIES: frozenset({Role.COMMUNITY_MANAGER}),
    ConsoleAction.MANAGE_USERS: frozenset({Role.ADMIN}),
}


@dataclass(frozen=True)
class ConsoleUser:
    """A signed-in person, as their verified access token says. `session` is the token's
    `origin_jti` (the sign-in it came from): forms' CSRF tokens are bound to it, and
    signing out revokes it."""

    username: str
    roles: frozenset[Role]
    email: str = ""
    session: str = ""

    def may(self, action: ConsoleAction) -> bool:
        return bool(self.roles & PERMISSIONS[action])
