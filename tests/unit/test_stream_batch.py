"""The stream function's partial batch response, without Powertools' batch utility: a
failed record is reported by its sequence number and holds back none of the others; a
batch where every record failed fails the invocation (Lambda retries it, halved)."""

from __future__ import annotations

from typing import Any

import pytest

from socialcare.app.stream_records import EveryRecordFailed, NotACase, handle_each


def record(number: str) -> dict[str, Any]:
    return {"eventName": "INSERT", "dynamodb": {"SequenceNumber": number}}


def failing_on(*numbers: str) -> tuple[list[str], Any]:
    handled: list[str] = []

    def handle(one: dict[str, Any]) -> None:
        number = one["dynamodb"]["SequenceNumber"]
        if number in numbers:
            raise RuntimeError(f"record {number} cannot be handled now")
        handled.append(number)

    return handled, handle


def test_a_failed_record_is_reported_and_the_ones_after_it_are_handled():
    # Given a batch whose second record fails
    handled, handle = failing_on("2")
    # When the batch is handled
    failed = handle_each([record("1"), record("2"), record("3")], handle)
    # Then only the second is reported, and the third was handled all the same
    assert [number for number, _ in failed] == ["2"]
    assert isinstance(failed[0][1], RuntimeError) and handled == ["1", "3"]


def test_a_batch_where_every_record_failed_fails_the_invocation():
    # Given a batch whose every record fails
    _, handle = failing_on("1", "2")
    # When it is handled, then the invocation fails with each record's error in its message
    with pytest.raises(EveryRecordFailed, match=r"1: RuntimeError.*2: RuntimeError"):
        handle_each([record("1"), record("2")], handle)


def test_an_empty_batch_reports_nothing():
    # Given no records, when handled, then nothing is reported
    assert handle_each([], failing_on()[1]) == []


def test_a_failed_record_without_a_sequence_number_fails_the_batch():
    # Given a failing record Lambda could not be told about (no sequence number)
    _, handle = failing_on("2")
    broken = {"eventName": "INSERT", "dynamodb": {}}

    def handle_or_fail(one: dict[str, Any]) -> None:
        if one is broken:
            raise RuntimeError("unhandled")
        handle(one)

    # When the batch is handled, then it fails as a whole (an empty itemIdentifier would)
    with pytest.raises(NotACase, match="sequence number"):
        handle_each([record("1"), broken], handle_or_fail)
