"""How a call to a platform's API can fail: refused, busy, failed, fate unknown, or the
brand's token unusable."""

from __future__ import annotations

from enum import StrEnum


class PlatformRefused(Exception):
    """The platform refused the call for good (outside a window, already replied...)."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason


class PlatformBusy(Exception):
    """Rate limited (429, or Meta's usage headers): nothing was done; wait and retry."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"retry after {retry_after:g} s")
        self.retry_after = retry_after


class PlatformFailed(Exception):
    """The call surely did nothing (no connection, a 5xx to a call that changes nothing):
    it may be retried."""


class FateUnknown(Exception):
    """The request left and may have been done: no answer came back (a timeout), a 5xx
    answer to a call that creates, or a refusal saying it exists already."""


class CannotTell(Exception):
    """The platform offers no way to see whether an earlier call was done."""


class TokenProblem(StrEnum):
    MISSING = "missing"  # not in PlatformTokensSecret (not set up yet)
    REJECTED = "rejected"  # the platform no longer takes it: expired or revoked
    REFRESH_REFUSED = "refresh_refused"  # X refused the refresh, after a re-read and a retry
    ROTATION_BUSY = "rotation_busy"  # another container's refresh did not finish in time
    UNSAVED = "unsaved"  # X gave a new pair the secret could not keep yet
    # X: the app is not attached to a project, or its access tier lacks the endpoint
    NOT_ENROLLED = "not_enrolled"
    USAGE_CAPPED = "usage_capped"  # X: the project's usage cap for the period is spent
    # The token works but lacks a permission, or the app lost access (Graph 10, 200-299):
    # someone has to grant it again, as for a token that expired.
    PERMISSION = "permission"


class PlatformTokenInvalid(Exception):
    """The brand's token (or its app's access) for a platform cannot be used now: nothing
    was sent. Never a refusal for good: the action waits for a later attempt, once the
    token is renewed, the rotation under way has finished, or ops fixed the app."""

    def __init__(self, platform: str, problem: TokenProblem) -> None:
        super().__init__(f"{platform} token {problem.value}")
        self.platform = platform
        self.problem = problem
