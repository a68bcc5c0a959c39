"""The one configuration model: a variable a function needs and lacks is named at once."""

from __future__ import annotations

import pytest

from socialcare.bootstrap import Root, adapters
from socialcare.settings import MissingSetting, get_settings


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
