"""The one configuration model: a variable a function needs and lacks is named at once."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest

from socialcare.bootstrap import Root, adapters
from socialcare.settings import MissingSetting, Settings, get_settings


@pytest.fixture
def environment(monkeypatch):
    def use(**variables):
        for name in ("CASES_TABLE_NAME", "SENDER_EMAIL", "CASE_WORKFLOW_ARN"):
            monkeypatch.delenv(name, raising=False)
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
        get_settings.cache_clear()

    yield use
    get_settings.cache_clear()


def test_a_missing_table_name_fails_when_the_adapters_are_built_naming_the_variable(environment):
    # Given a function started without its table's name
    environment(SENDER_EMAIL="care@example.com")
    # When its store is built, Then the error names the variable (not an empty-name call later)
    with pytest.raises(MissingSetting, match=r"^CASES_TABLE_NAME is not set"):
        adapters.cases_table(Root())


def test_an_empty_variable_is_as_missing_as_an_absent_one(environment):
    environment(SENDER_EMAIL="")
    with pytest.raises(Exception, match="SENDER_EMAIL"):
        adapters.email_sender(Root())


def test_a_variable_that_is_set_is_used(environment):
    environment(CASES_TABLE_NAME="cases-prod")
    assert adapters.cases_table(Root()).name == "cases-prod"


@pytest.mark.parametrize(
    ("variable", "value", "why"),
    [
        ("SECRETS_MAX_AGE_SECONDS", "five", "must be a whole number"),
        ("SECRETS_MAX_AGE_SECONDS", "-1", "must be at least 0"),
        ("COMPREHEND_MIN_SCORE", "1.5", "must be at most 1"),
        ("COMPREHEND_MIN_SCORE", "high", "must be a number"),
        ("OUTBOUND_TIMEOUT_SECONDS", "0", "must be above 0"),
        ("OUTBOUND_TIMEOUT_SECONDS", "31", "must be at most 30"),
        ("SOCIALCARE_TIME_SCALE", "nan", "must be finite"),
        ("TEXT_ANALYSIS", "llm", "must be one of rules, comprehend"),
        ("OUTBOUND_MODE", "LIVE", "must be one of dry_run, live"),
        ("CASES_TABLE_NAME", "", "must have at least 1 character"),
        ("TELEGRAM_BOT_ID", "", "must have at least 1 character"),
    ],
)
def test_a_bad_value_is_refused_naming_its_variable_never_defaulted(variable, value, why):
    # Given a variable set to what its setting cannot hold
    # When the settings are read, Then the error names the variable and why
    with pytest.raises(ValueError, match=rf"^{variable}: {why}"):
        Settings.from_environment({variable: value})


def test_values_in_bounds_are_read_typed_and_unknown_variables_ignored():
    settings = Settings.from_environment(
        {
            "SECRETS_MAX_AGE_SECONDS": "0",
            "COMPREHEND_MIN_SCORE": "1",
            "OUTBOUND_TIMEOUT_SECONDS": "30",
            "OUTBOUND_MODE": "live",
            "FAILED_DELIVERIES_QUEUE_URL": "",
            "PATH": "/usr/bin",
        }
    )
    assert settings.secrets_max_age_seconds == 0 and settings.comprehend_min_score == 1.0
    assert settings.outbound_timeout_seconds == 30.0 and settings.outbound_mode == "live"
    assert settings.failed_deliveries_queue_url == "" and settings.text_analysis == "rules"


def test_values_set_in_code_are_checked_as_the_environment_s_are():
    # Given settings built in code (the CLI, the local stack), then changed
    settings = Settings(cases_table_name="cases")
    # When a value is out of its type or bounds, Then it is refused as from the environment
    with pytest.raises(ValueError, match=r"^OUTBOUND_MODE: "):
        replace(settings, outbound_mode="everything")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^SECRETS_MAX_AGE_SECONDS: must be a whole number"):
        Settings(secrets_max_age_seconds="300")  # type: ignore[arg-type]
    assert replace(settings, outbound_mode="live").cases_table_name == "cases"


def test_every_setting_names_its_variable():
    assert Settings.variable("sender_email") == "SENDER_EMAIL"
    assert len({Settings.variable(spec.name) for spec in fields(Settings)}) == len(fields(Settings))
