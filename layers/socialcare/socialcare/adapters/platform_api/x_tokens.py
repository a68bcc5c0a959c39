"""X's user-context OAuth 2.0 token pair, shared by every container through
PlatformTokensSecret. The access token lasts two hours; a refresh gives a new pair and
spends the refresh token (it works once), so:

- a pair another container saved is used rather than refreshed again: the secret is read
  afresh (past this container's cache) before any refresh;
- one container at a time refreshes, holding a lock with a lease; one that finds the
  lock taken waits briefly, reading the secret afresh, and uses the pair saved there;
- a refresh X refuses (400/401) reads the secret afresh and, when it holds another
  refresh token (rotated elsewhere), retries once with it; a refused refresh token is
  never sent to X again by this container (it works once: a pair whose answer was lost
  is lost at X, and only re-authorising brings X back);
- the new pair is saved with retries under one version id (a write that did land is never
  repeated over a newer pair); when it cannot be saved, this container keeps it and the
  lock (so no one refreshes with the spent token), saves it at its next send, and the
  alarm says so;
- what cannot be solved here is PlatformTokenInvalid: the action waits for a later
  attempt, never refused for good.

Refresh: POST /2/oauth2/token, form grant_type=refresh_token, refresh_token, client_id;
a confidential client authenticates with Basic (client id:secret).
https://docs.x.com/fundamentals/authentication/oauth-2-0/user-access-token (step 5)"""

from __future__ import annotations

import base64
import contextlib
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from socialcare.adapters.platform_api.http import HttpClient
from socialcare.adapters.platform_api.tokens import TokenStore
from socialcare.adapters.platform_api.x_answers import rate_limit_wait
from socialcare.domain.credentials import PlatformTokens
from socialcare.domain.failures import SecretsUnavailable, StorageUnavailable
from socialcare.domain.platform_errors import (
    FateUnknown,
    PlatformBusy,
    PlatformFailed,
    PlatformTokenInvalid,
    TokenProblem,
)

if TYPE_CHECKING:
    from socialcare.ports.outbound import TokenAlarm

REFRESH_MARGIN = 120  # seconds before expiry a token is refreshed
# Longer than a refresh and its save (the token call's timeout, then a few writes): a
# lock whose holder died is taken again after this.
LEASE_SECONDS = 60.0
# While a refreshed pair waits to be saved, the lock is kept (and renewed at each send of
# the container that holds the pair); after this without news, its holder is gone.
UNSAVED_LEASE_SECONDS = 900.0
_WAITS = (0.5, 1.0, 1.5, 2.0, 2.0)  # for another container's refresh: 7 s in all
_SAVE_WAITS = (0.5, 1.0)  # between attempts to save a new pair


class RefreshLock(Protocol):
    """adapters/dynamodb/token_lock.py"""

    def acquire(self, holder: str, lease_seconds: float) -> bool: ...

    def release(self, holder: str) -> None: ...


class XTokens:
    def __init__(
        self,
        http: HttpClient,
        base_url: str,
        store: TokenStore,
        lock: RefreshLock,
        alarm: TokenAlarm,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._http = http
        self._url = f"{base_url.rstrip('/')}/2/oauth2/token"
        self._store = store
        self._lock = lock
        self._alarm = alarm
        self._clock = clock
        self._sleep = sleep
        self._holder = secrets.token_hex(8)  # this container, as the lock knows it
        self._kept: PlatformTokens | None = None  # the last pair this container refreshed
        self._unsaved: tuple[dict[str, Any], str] | None = None  # (values, version) to save
        # A refresh token X refused: it never works again (single use), so it is not sent
        # again; every later action waits (the alarm is on) until ops re-authorise.
        self._refused: str | None = None

    def access_token(self) -> str:
        """The access token to call with (refreshed first when about to expire)."""
        self._save_unsaved()
        tokens = self._newest(self._store())
        if not tokens.x_access_token:
            raise PlatformTokenInvalid("x", TokenProblem.MISSING)
        if tokens.x_refresh_token and _expiring(tokens, self._clock()):
            return self.renew(tokens.x_access_token)
        return tokens.x_access_token

    def renew(self, spent: str) -> str:
        """An access token other than `spent` (about to expire, or answered 401): the one
        another container saved, or one this container refreshes holding the lock."""
        for wait in (0.0, *_WAITS):
            if wait:
                self._sleep(wait)
            latest = self._newest(self._store.fresh())
            if _usable(latest, spent, self._clock()):
                return latest.x_access_token
            if self._lock.acquire(self._holder, LEASE_SECONDS):
                return self._refresh_holding_lock(spent)
        raise PlatformTokenInvalid("x", TokenProblem.ROTATION_BUSY)

    def _refresh_holding_lock(self, spent: str) -> str:
        keep_lock = False
        try:
            latest = self._newest(self._store.fresh())  # the last holder may have just saved
            if _usable(latest, spent, self._clock()):
                return latest.x_access_token
            pair = self._exchange(latest)
            if pair is None:  # refused: read again, in case it was rotated elsewhere
                again = self._store.fresh()
                if _usable(again, spent, self._clock()):
                    return again.x_access_token
                if again.x_refresh_token != latest.x_refresh_token:
                    pair = self._exchange(again)
                if pair is None:
                    raise PlatformTokenInvalid("x", TokenProblem.REFRESH_REFUSED)
                latest = again
            self._kept = replace(latest, **pair)
            keep_lock = not self._save(pair, str(uuid.uuid4()))
            return str(pair["x_access_token"])
        finally:
            if keep_lock:
                self._hold(UNSAVED_LEASE_SECONDS)
            else:
                self._release()

    def _exchange(self, tokens: PlatformTokens) -> dict[str, Any] | None:
        """X's new pair for `tokens`' refresh token; None when X refuses that token."""
        if not tokens.x_refresh_token or not tokens.x_client_id:
            raise PlatformTokenInvalid("x", TokenProblem.MISSING)
        if tokens.x_refresh_token == self._refused:
            return None
        form = {
            "grant_type": "refresh_token",
            "refresh_token": tokens.x_refresh_token,
            "client_id": tokens.x_client_id,
        }
        headers = {}
        if tokens.x_client_secret:  # a confidential client authenticates itself
            pair = f"{tokens.x_client_id}:{tokens.x_client_secret}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        try:
            answer = self._http.request("POST", self._url, form=form, headers=headers)
        except FateUnknown:
            # X may have spent the refresh token without this container hearing the new
            # pair; the message itself surely did not go. A later attempt finds out.
            raise PlatformFailed("X token refresh: no answer") from None
        body = answer.body if isinstance(answer.body, dict) else {}
        if answer.status == 200 and body.get("access_token"):
            return {
                "x_access_token": str(body["access_token"]),
                "x_refresh_token": str(body.get("refresh_token") or tokens.x_refresh_token),
                "x_token_expires_at": self._clock() + float(body.get("expires_in") or 7200),
            }
        if answer.status == 429:  # the same windows and caps as the API's other calls
            raise PlatformBusy(rate_limit_wait(answer, self._clock()))
        if answer.status >= 500:
            raise PlatformFailed(f"X token refresh {answer.status}")
        self._refused = tokens.x_refresh_token
        return None

    def _save(self, pair: dict[str, Any], version: str) -> bool:
        for wait in (0.0, *_SAVE_WAITS):
            if wait:
                self._sleep(wait)
            try:
                self._store.save(pair, version)
            except SecretsUnavailable:
                continue
            self._unsaved = None
            return True
        self._unsaved = (pair, version)
        self._alarm.token_invalid("x", TokenProblem.UNSAVED)
        return False

    def _save_unsaved(self) -> None:
        """A pair this container could not save before: saved now, or kept (with the
        lock) for the next send."""
        if self._unsaved is None:
            return
        pair, version = self._unsaved
        try:
            self._store.save(pair, version)
        except SecretsUnavailable:
            self._hold(UNSAVED_LEASE_SECONDS)
            self._alarm.token_invalid("x", TokenProblem.UNSAVED)
            return
        self._unsaved = None
        self._release()

    def _newest(self, stored: PlatformTokens) -> PlatformTokens:
        kept = self._kept
        if kept and kept.x_token_expires_at > stored.x_token_expires_at:
            return kept
        return stored

    def _hold(self, lease_seconds: float) -> None:
        """Best effort: a lease that cannot be renewed runs out by itself."""
        with contextlib.suppress(StorageUnavailable):
            self._lock.acquire(self._holder, lease_seconds)

    def _release(self) -> None:
        with contextlib.suppress(StorageUnavailable):  # else its lease runs out
            self._lock.release(self._holder)


def _expiring(tokens: PlatformTokens, now: float) -> bool:
    expires_at = tokens.x_token_expires_at  # 0: not known, used until X answers 401
    return bool(expires_at) and expires_at - REFRESH_MARGIN < now


def _usable(tokens: PlatformTokens, spent: str, now: float) -> bool:
    return (
        bool(tokens.x_access_token)
        and tokens.x_access_token != spent
        and not _expiring(tokens, now)
    )
