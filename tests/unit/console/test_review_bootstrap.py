"""The review area as the console function builds it: with the variables the template
gives that function, a confirmation can finish what triage would have done (its email,
its automatic answers, its close) without a setting missing at the first press."""

from __future__ import annotations

from unittest.mock import MagicMock

from socialcare.bootstrap import Root
from socialcare.bootstrap.console_review import dependencies
from socialcare.settings import Settings
from socialcare_cli.local.template import Template
from tests.conftest import ROOT


def test_the_console_function_has_every_setting_a_confirmation_needs():
    # Given the console function's environment as the template sets it (values stand-ins)
    body = Template.load(ROOT).body
    names = set(body["Globals"]["Function"]["Environment"]["Variables"])
    function = body["Resources"]["ConsoleFunction"]["Properties"]
    names |= set(function["Environment"]["Variables"])
    environment = {name: "https://example.com" for name in names}
    typed = {"DAY_INDEX_SHARDS": "32", "OUTBOUND_MODE": "dry_run", "SENDER_EMAIL": "a@b.es"}
    environment.update({name: value for name, value in typed.items() if name in names})
    root = Root(Settings.from_environment(environment), client=lambda _service: MagicMock())
    # When the review area and triage's bundle are built
    review = dependencies(root)
    # Then nothing is missing
    assert review.triage().triager.routing.social_team.emails
