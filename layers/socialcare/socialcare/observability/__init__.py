"""What the handlers log and count (EMF metrics) about their use cases' outcomes, one
module per function. The handler owns its Powertools `Logger` and `Metrics` (flushed with
its service dimension) and passes them in; every metric name is written here literally,
so tests/unit/test_dashboard_metrics.py can prove the dashboard and alarms see it."""
