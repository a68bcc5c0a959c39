"""The one configuration model, read from the environment once per container.

Each function gets from the template only the variables it needs, so the names of
resources are optional here and `required` is asked for by the adapter that uses one:
a function missing its table fails when its adapters are built, naming the variable,
not later with an empty string.

A frozen dataclass, each field declared once with its variable, default and bounds
(`_name`, `_whole`, `_number`, `_choice`, `_text` below): a value out of its type or
bounds is refused naming the variable, whether it comes from the environment
(`from_environment`) or from code (`Settings(...)`, `dataclasses.replace`). Not pydantic:
its import and schema building cost every cold start about 85 ms (docs/architecture.md)."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any, Literal

from socialcare.domain import values
from socialcare.domain.values import InvalidValue

_VARIABLE = "variable"
_PARSE = "parse"
_CHECK = "check"


def _setting(
    variable: str,
    default: Any,
    check: Callable[[str, Any], None],
    parse: Callable[[str, str], Any] = lambda _variable, raw: raw,
) -> Any:
    return field(default=default, metadata={_VARIABLE: variable, _PARSE: parse, _CHECK: check})


def _name(variable: str, *, min_length: int = 1) -> Any:
    """A resource's name or address: absent until a function needs it; never empty."""

    def check(variable: str, value: Any) -> None:
        values.text(variable, value, optional=True, min_length=min_length)

    return _setting(variable, None, check)


def _text(variable: str, default: str) -> Any:
    return _setting(variable, default, lambda name, value: values.text(name, value, min_length=1))


def _choice(variable: str, default: str, *others: str) -> Any:
    allowed = (default, *others)

    def check(variable: str, value: Any) -> None:
        if value not in allowed:
            raise InvalidValue(variable, f"must be one of {', '.join(allowed)}")

    return _setting(variable, default, check)


def _whole(variable: str, default: int, *, low: int, high: int | None = None) -> Any:
    def parse(variable: str, raw: str) -> int:
        try:
            return int(raw)
        except ValueError:
            raise InvalidValue(variable, "must be a whole number") from None

    return _setting(
        variable, default, lambda name, value: values.whole(name, value, low=low, high=high), parse
    )


def _number(
    variable: str,
    default: float | None,
    *,
    low: float | None = None,
    above: float | None = None,
    high: float | None = None,
) -> Any:
    """A finite number within [low, high], or (above, high]; None when that is its
    default (unset: decided elsewhere)."""

    def parse(variable: str, raw: str) -> float:
        try:
            return float(raw)
        except ValueError:
            raise InvalidValue(variable, "must be a number") from None

    def check(variable: str, value: Any) -> None:
        if value is None and default is None:
            return
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InvalidValue(variable, "must be a number")
        if not math.isfinite(value):
            raise InvalidValue(variable, "must be finite")
        if (low is not None and value < low) or (above is not None and value <= above):
            raise InvalidValue(
                variable, f"must be above {above}" if low is None else f"must be at least {low}"
            )
        if high is not None and value > high:
            raise InvalidValue(variable, f"must be at most {high}")

    return _setting(variable, default, check, parse)


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    cases_table_name: str | None = _name("CASES_TABLE_NAME")
    case_workflow_arn: str | None = _name("CASE_WORKFLOW_ARN")
    platform_secrets_id: str | None = _name("PLATFORM_SECRETS_ID")
    # How long a container keeps the secrets before reading them again (picks up values
    # set after deployment and rotations without a redeploy).
    secrets_max_age_seconds: int = _whole("SECRETS_MAX_AGE_SECONDS", 300, low=0)
    telegram_bot_id: str = _text("TELEGRAM_BOT_ID", "socialcare_bot")
    customers_table_name: str | None = _name("CUSTOMERS_TABLE_NAME")
    # Deliveries that could not be recorded are parked here for `socialcare replay`.
    failed_deliveries_queue_url: str | None = _name("FAILED_DELIVERIES_QUEUE_URL", min_length=0)
    # The key that seals parked deliveries (they keep no platform secret, so the seal
    # is what authenticates them on replay).
    delivery_seal_secret_id: str | None = _name("DELIVERY_SEAL_SECRET_ID")
    # The key that signs the 7-day links to report files.
    report_link_secret_id: str | None = _name("REPORT_LINK_SECRET_ID")
    reports_bucket_name: str | None = _name("REPORTS_BUCKET_NAME")
    sender_email: str | None = _name("SENDER_EMAIL")
    # Emails a second every function together may send (configured wins; unset: SES's
    # MaxSendRate for the account, read by GetAccount).
    ses_max_send_rate: float | None = _number("SES_MAX_SEND_RATE", None, above=0)
    # Where the department's action links point (the HTTP API's URL).
    actions_base_url: str | None = _name("ACTIONS_BASE_URL")
    # Language, sentiment and personal data: the rules in config/ alone, or Amazon
    # Comprehend first with the rules as fallback.
    text_analysis: Literal["rules", "comprehend"] = _choice("TEXT_ANALYSIS", "rules", "comprehend")
    comprehend_min_score: float = _number("COMPREHEND_MIN_SCORE", 0.8, low=0, high=1)
    # Answering on the platforms: the brand's access tokens, and whether anything is sent
    # (a deployed stack starts in dry_run: each action recorded as it would have gone).
    platform_tokens_secret_id: str | None = _name("PLATFORM_TOKENS_SECRET_ID")
    outbound_mode: Literal["live", "dry_run"] = _choice("OUTBOUND_MODE", "dry_run", "live")
    # The platforms' API roots (the local stack points them at its emulator).
    meta_graph_api_url: str = _text("META_GRAPH_API_URL", "https://graph.facebook.com/v21.0")
    x_api_url: str = _text("X_API_URL", "https://api.x.com")
    telegram_api_url: str = _text("TELEGRAM_API_URL", "https://api.telegram.org")
    # How long a platform's answer is awaited before its fate counts as unknown.
    outbound_timeout_seconds: float = _number("OUTBOUND_TIMEOUT_SECONDS", 10.0, above=0, high=30)
    # How many partitions the day index (GSI1) spreads each day's cases over: a crisis's
    # case writes must stay under DynamoDB's 1,000 WCU/s per partition (the arithmetic:
    # adapters/dynamodb/day_index.py). Readers always read every shard up to the ceiling
    # (64), so raising or lowering it never hides a case.
    day_index_shards: int = _whole("DAY_INDEX_SHARDS", 32, low=1, high=64)
    # Local stack only: how many times faster than the wall clock business time runs.
    time_scale: float = _number("SOCIALCARE_TIME_SCALE", 1.0, above=0)
    # The console's sign-in (issue 33, identity): the user pool and its app client, the
    # managed login's base URL, the pool's keys (unset: the issuer's JWKS; the local stack
    # names its emulator's), the key of the forms' CSRF tokens, and the app client's
    # access-token validity (sign-out keeps a session refused that long).
    user_pool_id: str | None = _name("USER_POOL_ID")
    user_pool_client_id: str | None = _name("USER_POOL_CLIENT_ID")
    console_login_url: str | None = _name("CONSOLE_LOGIN_URL")
    cognito_jwks_url: str | None = _name("COGNITO_JWKS_URL")
    console_csrf_secret_id: str | None = _name("CONSOLE_CSRF_SECRET_ID")
    console_access_token_minutes: int = _whole("CONSOLE_ACCESS_TOKEN_MINUTES", 15, low=5, high=1440)
    # Issue 34 (review slice): a language model's second opinion on the messages triage is
    # unsure of (off, or Amazon Bedrock's Converse API), its model, and how long it is
    # awaited: connect and read each, one attempt, so a batch of 10 such messages stays
    # within the triage function's 60 s (10 x 2 x 2.5 s = 50 s at most).
    second_opinion: Literal["off", "bedrock"] = _choice("SECOND_OPINION", "off", "bedrock")
    second_opinion_model_id: str = _text(
        "SECOND_OPINION_MODEL_ID", "anthropic.claude-3-haiku-20240307-v1:0"
    )
    second_opinion_timeout_seconds: float = _number(
        "SECOND_OPINION_TIMEOUT_SECONDS", 2.0, above=0, high=2.5
    )

    def __post_init__(self) -> None:
        for spec in fields(self):
            spec.metadata[_CHECK](spec.metadata[_VARIABLE], getattr(self, spec.name))

    @classmethod
    def from_environment(cls, environment: Mapping[str, str]) -> Settings:
        """The settings the variables set; the others at their defaults, unknown ignored."""
        found = {
            spec.name: spec.metadata[_PARSE](spec.metadata[_VARIABLE], environment[variable])
            for spec in fields(cls)
            if (variable := spec.metadata[_VARIABLE]) in environment
        }
        return cls(**found)

    @staticmethod
    def variable(name: str) -> str:
        """The environment variable of setting `name`."""
        return str(next(spec.metadata[_VARIABLE] for spec in fields(Settings) if spec.name == name))


class MissingSetting(RuntimeError):
    """A variable the function needs is not set (the template or the local stack forgot it)."""


@cache
def get_settings() -> Settings:
    return Settings.from_environment(os.environ)
