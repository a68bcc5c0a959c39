"""The bench bills every custom metric the functions emit: it reads the same places the
dashboard's test reads (the handlers and socialcare/observability/)."""

from __future__ import annotations

from socialcare_cli.bench.aws_costs import custom_metrics
from tests.unit.test_dashboard_metrics import ROOT, emitted


def test_every_metric_a_function_emits_is_billed_by_the_bench():
    # Given the metrics the handlers emit, as the dashboard's test reads them (by AST)
    names = {name for name, _service in emitted()}
    # When the bench lists the custom metrics it bills
    billed = custom_metrics(ROOT)
    # Then none is left out of the fixed monthly cost
    assert names - billed == set()
