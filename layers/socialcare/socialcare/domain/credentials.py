"""The platforms' shared secrets (checking webhooks) and the brand's access tokens
(answering), as read from Secrets Manager."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class PlatformSecrets(BaseModel):
    """Shared secrets, one per platform. An empty value means "not configured": reject all."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    meta_app_secret: str = ""
    meta_verify_token: str = ""
    # The X app's API Key: only `socialcare connect x` uses it (with the secret, for the
    # app's bearer token); the webhook checks CRC and signatures with the secret alone.
    x_consumer_key: str = ""
    x_consumer_secret: str = ""
    telegram_secret_token: str = ""


class PlatformTokens(BaseModel):
    """The brand's access tokens for answering (PlatformTokensSecret). Empty: not set up."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    # Page access tokens by page id; "*" for every page not listed.
    facebook_page_tokens: dict[str, str] = {}
    instagram_tokens: dict[str, str] = {}
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
