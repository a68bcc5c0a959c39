"""A closed case's retention ran out: DynamoDB's TTL deleted its case item (the stream
says so) and everything else of it goes too, its messages, timeline and what points at
it from outside its partition, found by the case (never by a scan)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from socialcare.ports.retention import ExpiredCases


def purge_expired_case(case_id: str, store: ExpiredCases) -> int:
    return store.purge_case(case_id)
