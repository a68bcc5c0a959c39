"""Writes of one item go as one conditional write, not a transaction of one (which bills
twice the units for the same guarantee), against the local stack's DynamoDB: an action is
claimed once and a second claim finds the first's item; a case that does not exist is
never marked as started."""

from __future__ import annotations

from datetime import timedelta

import pytest

from socialcare.adapters.dynamodb.case_states import DynamoDBCaseStates
from socialcare.adapters.dynamodb.outbound import DynamoDBOutboundActions
from socialcare.adapters.dynamodb.table import CasesTable
from socialcare.domain.outbound import OutboundStatus
from socialcare.domain.routing import Retention
from tests.outbound_fakes import NOW, an_action


class CountingClient:
    """The stack's DynamoDB client, with the operations called on it."""

    def __init__(self, client):
        self._client = client
        self.operations: list[str] = []

    def __getattr__(self, name):
        operation = getattr(self._client, name)

        def counted(**kwargs):
            self.operations.append(name)
            return operation(**kwargs)

        return counted


@pytest.fixture
def client(stack):
    return CountingClient(stack.client("dynamodb"))


def test_an_action_is_claimed_by_one_put_and_a_second_claim_finds_the_first(stack, client):
    # Given the outbound store on the stack's table, and an action never claimed
    outbound = DynamoDBOutboundActions(CasesTable(client, stack.cases_table))
    action = an_action(case_id="20261124-5ingle0put0claim0")
    # When it is claimed twice
    first = outbound.claim_outbound(action, {}, NOW, lease_seconds=60)
    second = outbound.claim_outbound(action, {}, NOW + timedelta(seconds=1), lease_seconds=60)
    # Then the first claim wins with one PutItem, and the second gets the first's item
    # from the refusal itself (no read, no transaction)
    assert first is None
    assert second is not None
    assert (second.id, second.status, second.attempts) == (action.id, OutboundStatus.SENDING, 1)
    assert client.operations == ["put_item", "put_item"]


def test_a_case_that_does_not_exist_is_never_marked_as_started(stack, client):
    # Given the case store on the stack's table, and a case id nobody created
    cases = DynamoDBCaseStates(CasesTable(client, stack.cases_table), retention=Retention())
    # When its workflow is marked as started
    # Then it is refused, by one conditional UpdateItem that wrote nothing
    with pytest.raises(LookupError):
        cases.mark_workflow_started("20261124-n0such0case000000", "arn:execution", NOW)
    assert client.operations == ["update_item"]
