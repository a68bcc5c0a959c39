"""The one configuration model, read from the environment once per container.

Each function gets from the template only the variables it needs, so the names of
resources are optional here and `required` is asked for by the adapter that uses one:
a function missing its table fails when its adapters are built, naming the variable,
not later with an empty string."""

from __future__ import annotations

import os
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    cases_table_name: str | None = Field(None, alias="CASES_TABLE_NAME", min_length=1)
    case_workflow_arn: str | None = Field(None, alias="CASE_WORKFLOW_ARN", min_length=1)
    platform_secrets_id: str | None = Field(None, alias="PLATFORM_SECRETS_ID", min_length=1)
    # How long a container keeps the secrets before reading them again (picks up values
    # set after deployment and rotations without a redeploy).
    secrets_max_age_seconds: int = Field(300, alias="SECRETS_MAX_AGE_SECONDS", ge=0)
    telegram_bot_id: str = Field("socialcare_bot", alias="TELEGRAM_BOT_ID", min_length=1)
    customers_table_name: str | None = Field(None, alias="CUSTOMERS_TABLE_NAME", min_length=1)
    # Deliveries that could not be recorded are parked here for `socialcare replay`.
    failed_deliveries_queue_url: str | None = Field(None, alias="FAILED_DELIVERIES_QUEUE_URL")
    # The key that seals parked deliveries (they keep no platform secret, so the seal
    # is what authenticates them on replay).
    delivery_seal_secret_id: str | None = Field(None, alias="DELIVERY_SEAL_SECRET_ID", min_length=1)
    # The key that signs the 7-day links to report files.
    report_link_secret_id: str | None = Field(None, alias="REPORT_LINK_SECRET_ID", min_length=1)
    reports_bucket_name: str | None = Field(None, alias="REPORTS_BUCKET_NAME", min_length=1)
    sender_email: str | None = Field(None, alias="SENDER_EMAIL", min_length=1)
    # Emails a second every function together may send (configured wins; unset: SES's
    # MaxSendRate for the account, read by GetAccount).
    ses_max_send_rate: float | None = Field(None, alias="SES_MAX_SEND_RATE", gt=0)
    # Where the department's action links point (the HTTP API's URL).
    actions_base_url: str | None = Field(None, alias="ACTIONS_BASE_URL", min_length=1)
    # Language, sentiment and personal data: the rules in config/ alone, or Amazon
    # Comprehend first with the rules as fallback.
    text_analysis: Literal["rules", "comprehend"] = Field("rules", alias="TEXT_ANALYSIS")
    comprehend_min_score: float = Field(0.8, alias="COMPREHEND_MIN_SCORE", ge=0, le=1)
    # Answering on the platforms: the brand's access tokens, and whether anything is sent
    # (a deployed stack starts in dry_run: each action recorded as it would have gone).
    platform_tokens_secret_id: str | None = Field(
        None, alias="PLATFORM_TOKENS_SECRET_ID", min_length=1
    )
    outbound_mode: Literal["live", "dry_run"] = Field("dry_run", alias="OUTBOUND_MODE")
    # The platforms' API roots (the local stack points them at its emulator).
    meta_graph_api_url: str = Field("https://graph.facebook.com/v21.0", alias="META_GRAPH_API_URL")
    x_api_url: str = Field("https://api.x.com", alias="X_API_URL")
    telegram_api_url: str = Field("https://api.telegram.org", alias="TELEGRAM_API_URL")
    # How long a platform's answer is awaited before its fate counts as unknown.
    outbound_timeout_seconds: float = Field(10.0, alias="OUTBOUND_TIMEOUT_SECONDS", gt=0, le=30)
    # How many partitions the day index (GSI1) spreads each day's cases over: a crisis's
    # case writes must stay under DynamoDB's 1,000 WCU/s per partition (the arithmetic:
    # adapters/dynamodb/day_index.py). Readers always read every shard up to the ceiling
    # (64), so raising or lowering it never hides a case.
    day_index_shards: int = Field(32, alias="DAY_INDEX_SHARDS", ge=1, le=64)
    # Local stack only: how many times faster than the wall clock business time runs.
    time_scale: float = Field(1.0, alias="SOCIALCARE_TIME_SCALE", gt=0)


class MissingSetting(RuntimeError):
    """A variable the function needs is not set (the template or the local stack forgot it)."""


@cache
def get_settings() -> Settings:
    return Settings.model_validate(dict(os.environ))
