"""A delivery kept for `socialcare replay`, and the seal that makes it trusted on replay
(an HMAC under a key only the stack has)."""

from __future__ import annotations

import hashlib
import hmac
import json

from pydantic import BaseModel, ConfigDict

_SEAL_CONTEXT = b"socialcare parked delivery v1\n"


class ParkedDelivery(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    platform: str
    headers: dict[str, str]
    body: str
    body_is_base64: bool = False
    verified: bool = False
    reason: str = ""
    parked_at: str
    seal: str | None = None

    def _canonical(self) -> bytes:
        fields = self.model_dump(exclude={"seal"})
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("utf-8")

    def sealed(self, key: str) -> ParkedDelivery:
        return self.model_copy(update={"seal": _seal(key, self._canonical())})

    def seal_holds(self, key: str) -> bool:
        if self.seal is None:
            return False
        expected = _seal(key, self._canonical())
        return hmac.compare_digest(self.seal.encode("utf-8"), expected.encode("utf-8"))


def _seal(key: str, canonical: bytes) -> str:
    return hmac.new(key.encode("utf-8"), _SEAL_CONTEXT + canonical, hashlib.sha256).hexdigest()
