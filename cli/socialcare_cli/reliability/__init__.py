"""`make reliability`: the scenarios of the reliability issue against the local stack, each
stating what it sent and what it found; results in reliability/results.json and a table.

--scale 1 is the full size (10,000 deliveries...); `make test` runs reduced versions of
each scenario as ordinary tests."""

from socialcare_cli.reliability.runner import run

__all__ = ["run"]
