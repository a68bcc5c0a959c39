"""The pieces that must agree with each other: template, handlers, state machine, samples."""

from __future__ import annotations

import json
import re

import pytest

from socialcare.platforms.base import PlatformSecrets
from socialcare.webhooks import PLATFORMS
from socialcare_cli.local.stack import local_secrets
from socialcare_cli.local.template import Template
from socialcare_cli.samples import SIGNATURE_HEADERS, raw_body, signature_for
from tests.conftest import EVENTS, ROOT

TEMPLATE = Template.load(ROOT)


@pytest.mark.parametrize("logical_id", sorted(TEMPLATE.functions()))
def test_every_function_has_its_handler(logical_id):
    props = TEMPLATE.functions()[logical_id]["Properties"]
    module, attribute = props["Handler"].rsplit(".", 1)
    source = (ROOT / props["CodeUri"] / f"{module}.py").read_text()
    assert f"def {attribute}(" in source


def test_state_machine_substitutions_are_all_provided():
    [machine] = TEMPLATE.of_type("AWS::Serverless::StateMachine").values()
    definition = (ROOT / machine["Properties"]["DefinitionUri"]).read_text()
    json.loads(definition)
    used = set(re.findall(r"\$\{(\w+)\}", definition))
    assert used == set(machine["Properties"]["DefinitionSubstitutions"])


def test_the_http_api_routes_cover_every_platform_method():
    routes = {r.route_key for r in TEMPLATE.http_routes()}
    assert routes == {
        "GET /webhooks/{platform}",
        "POST /webhooks/{platform}",
        "GET /actions/{id}",
        "POST /actions/{id}",
        "GET /reports/{period}/{day}/{file}",
    }
    assert set(PLATFORMS) == {"meta", "x", "telegram"}


@pytest.mark.parametrize("path", sorted(EVENTS.glob("*.json")), ids=lambda p: p.stem)
def test_every_sample_is_signed_with_the_local_secrets(path):
    # `socialcare events sign` rewrites them after an edit
    event = json.loads(path.read_text())
    platform = event["pathParameters"]["platform"]
    if event["requestContext"]["http"]["method"] != "POST":
        return
    expected = signature_for(platform, raw_body(event), local_secrets({}))
    assert event["headers"][SIGNATURE_HEADERS[platform]] == expected


def test_local_secrets_come_from_the_environment_or_the_documented_defaults():
    defaults = PlatformSecrets(**local_secrets({}))
    assert defaults.meta_app_secret == "local-meta-app-secret"
    overridden = local_secrets({"SOCIALCARE_X_CONSUMER_SECRET": "mine"})
    assert overridden["x_consumer_secret"] == "mine"


def test_the_report_schedules_run_in_the_report_time_zone_of_the_config():
    from socialcare.triage_service import Triager

    assert TEMPLATE.parameter_defaults()["ReportTimezone"] == Triager().routing.reports.timezone
    events = TEMPLATE.functions()["ReportFunction"]["Properties"]["Events"]
    assert {e["Properties"]["Input"] for e in events.values()} == {
        '{"period": "daily"}',
        '{"period": "weekly"}',
        '{"period": "monthly"}',
    }
    for event in events.values():
        assert event["Type"] == "ScheduleV2"
        assert event["Properties"]["RetryPolicy"]["MaximumRetryAttempts"] > 0
        assert "DeadLetterConfig" in event["Properties"]
