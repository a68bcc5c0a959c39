"""The second opinion's cost per 1,000 cases (bench): measured on the corpus with the
request triage sends, paid only for the share of cases that need review."""

from __future__ import annotations

from socialcare_cli.bench import second_opinion_cost as cost
from socialcare_cli.local.stack import project_root


def test_a_longer_message_is_a_longer_request():
    short, long = cost.request_characters("hola"), cost.request_characters("hola " * 100)
    assert long - short == len("hola " * 100) - len("hola")


def test_the_cost_is_paid_only_for_the_cases_that_need_review():
    # Given the corpus, priced with 30% and with 15% of cases needing review
    at_30, at_15 = cost.measure(project_root(), 0.30), cost.measure(project_root(), 0.15)
    # Then every corpus message was measured, and half the share is half the cost
    assert at_30["messages"] > 3000 and at_30["input_tokens_estimated"] > 340
    assert 0 < at_15["usd_per_1000_cases"] < at_30["usd_per_1000_cases"]
    assert abs(at_30["usd_per_1000_cases"] - 2 * at_15["usd_per_1000_cases"]) < 1e-3
