"""Fixtures of the tests against the local stack."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from socialcare_cli.local.stack import LocalStack
from tests.integration.workflow_helpers import FAST


@pytest.fixture
def fast_deadlines(stack: LocalStack) -> Iterator[LocalStack]:
    before = stack.time_scale
    stack.set_time_scale(FAST)
    yield stack
    stack.set_time_scale(before)
