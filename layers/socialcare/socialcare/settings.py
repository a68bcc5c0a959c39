"""The one configuration model, read from the environment once per container."""

from __future__ import annotations

import os
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    cases_table_name: str = Field("socialcare-cases", alias="CASES_TABLE_NAME")
    case_workflow_arn: str = Field("", alias="CASE_WORKFLOW_ARN")
    platform_secrets_id: str = Field("", alias="PLATFORM_SECRETS_ID")
    # How long a container keeps the secrets before reading them again (picks up values
    # set after deployment and rotations without a redeploy).
    secrets_max_age_seconds: int = Field(300, alias="SECRETS_MAX_AGE_SECONDS", ge=0)
    telegram_bot_id: str = Field("socialcare_bot", alias="TELEGRAM_BOT_ID", min_length=1)
    customers_table_name: str = Field("socialcare-customers", alias="CUSTOMERS_TABLE_NAME")
    # Deliveries that could not be recorded are parked here for `socialcare replay`.
    failed_deliveries_queue_url: str = Field("", alias="FAILED_DELIVERIES_QUEUE_URL")
    # The key that seals parked deliveries (they keep no platform secret, so the seal
    # is what authenticates them on replay).
    delivery_seal_secret_id: str = Field("", alias="DELIVERY_SEAL_SECRET_ID")
    # The key that signs the 7-day links to report files.
    report_link_secret_id: str = Field("", alias="REPORT_LINK_SECRET_ID")
    reports_bucket_name: str = Field("socialcare-reports", alias="REPORTS_BUCKET_NAME")
    sender_email: str = Field("socialcare@example.com", alias="SENDER_EMAIL")
    # Where the department's action links point (the HTTP API's URL).
    actions_base_url: str = Field("http://localhost:3000", alias="ACTIONS_BASE_URL")
    # Language, sentiment and personal data: the rules in config/ alone, or Amazon
    # Comprehend first with the rules as fallback.
    text_analysis: Literal["rules", "comprehend"] = Field("rules", alias="TEXT_ANALYSIS")
    comprehend_min_score: float = Field(0.8, alias="COMPREHEND_MIN_SCORE", ge=0, le=1)
    # Local stack only: how many times faster than the wall clock business time runs.
    time_scale: float = Field(1.0, alias="SOCIALCARE_TIME_SCALE", gt=0)


@cache
def get_settings() -> Settings:
    return Settings.model_validate(dict(os.environ))
