"""PlatformTokenInvalid reaches the Metrics of the handler running, and nothing else's."""

from __future__ import annotations

import json

from aws_lambda_powertools import Metrics

from socialcare.adapters.alarms import MetricTokenAlarm, counted_in
from socialcare.domain.platform_errors import TokenProblem


def _isolated(service: str) -> Metrics:
    """A handler's Metrics with sets of its own (as the local stack gives each container)."""
    metrics = Metrics(namespace="socialcare", service=service)
    metrics.provider.metric_set = metrics.metric_set = {}
    metrics.provider.metadata_set = metrics.metadata_set = {}
    return metrics


def test_a_token_problem_is_counted_in_the_running_handlers_metrics_only(capsys):
    # Given two handlers' metrics, and the alarm the adapters share
    actions, triage = _isolated("actions"), _isolated("triage")
    alarm = MetricTokenAlarm()
    # When a token problem is raised while the actions handler runs, and one outside any
    with counted_in(actions):
        alarm.token_invalid("x", TokenProblem.REFRESH_REFUSED)
    alarm.token_invalid("telegram", TokenProblem.MISSING)
    actions.flush_metrics()
    # Then the actions handler's record carries it, with the platform and the problem
    [record] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert record["service"] == "actions"
    assert record["PlatformTokenInvalid"] == [1.0]
    assert record["token_problem"] == "x refresh_refused"
    assert triage.metric_set == {}
