"""The platforms' shared secrets (checking webhooks) and the brand's access tokens
(answering), as read from Secrets Manager: frozen dataclasses, each built from the
secret's JSON object by `from_document`, which ignores keys it does not know and refuses
a value of the wrong type (InvalidValue names the key, never the value)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Self

from socialcare.domain import values


def _from_document(cls: Any, document: Any) -> Any:
    if not isinstance(document, Mapping):
        raise values.InvalidValue("the secret", "must be a JSON object")
    return cls(**{f.name: document[f.name] for f in fields(cls) if f.name in document})


@dataclass(frozen=True, slots=True, kw_only=True)
class PlatformSecrets:
    """Shared secrets, one per platform. An empty value means "not configured": reject all."""

    meta_app_secret: str = ""
    meta_verify_token: str = ""
    # The X app's API Key: only `socialcare connect x` uses it (with the secret, for the
    # app's bearer token); the webhook checks CRC and signatures with the secret alone.
    x_consumer_key: str = ""
    x_consumer_secret: str = ""
    telegram_secret_token: str = ""

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            values.text(name, getattr(self, name))

    @classmethod
    def from_document(cls, document: Any) -> Self:
        return _from_document(cls, document)


@dataclass(frozen=True, slots=True, kw_only=True)
class PlatformTokens:
    """The brand's access tokens for answering (PlatformTokensSecret). Empty: not set up."""

    # Page access tokens by page id; "*" for every page not listed.
    facebook_page_tokens: dict[str, str] = field(default_factory=dict)
    instagram_tokens: dict[str, str] = field(default_factory=dict)
    whatsapp_token: str = ""
    whatsapp_phone_number_id: str = ""
    # The WhatsApp Business Account the number belongs to: `socialcare connect meta`
    # subscribes the app to it (the functions never read it).
    whatsapp_business_account_id: str = ""
    # The Meta app's secret, for appsecret_proof on Graph calls (README, "Meta"): the same
    # value as PlatformSecrets' meta_app_secret. Empty: no proof is sent.
    meta_app_secret: str = ""
    x_access_token: str = ""
    x_refresh_token: str = ""
    x_client_id: str = ""
    x_client_secret: str = ""
    x_token_expires_at: float = 0
    telegram_bot_token: str = ""

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if name in ("facebook_page_tokens", "instagram_tokens"):
                values.text_map(name, value)
            elif name == "x_token_expires_at":
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise values.InvalidValue(name, "must be a number (Unix seconds)")
            else:
                values.text(name, value)

    @classmethod
    def from_document(cls, document: Any) -> Self:
        return _from_document(cls, document)
