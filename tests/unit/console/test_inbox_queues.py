"""The inbox's rules: which queues a case is in, the filters, the order, the ETag."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from socialcare.domain.clock import utc_iso
from socialcare.domain.console_inbox import BadFilter, InboxCase, InboxFilter, inbox

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def _case(case_id: str, **item) -> InboxCase:
    base = {"id": case_id, "status": "triaged", "channel": "telegram", "created_at": utc_iso(NOW)}
    return InboxCase.from_item({**base, **item}, first_response_hours=3)


def test_each_queue_takes_the_cases_the_issue_names():
    # Given cases in each situation
    cases = {
        "new": _case("new"),
        "review": _case("review", needs_review=True, assignee="luis"),
        "approval": _case("approval", approval_pending=1, assignee="luis"),
        "mine": _case("mine", assignee="ana"),
        "claimed": _case(
            "claimed", assignee="luis", lease_holder="ana", lease_until=int(NOW.timestamp()) + 60
        ),
        "waiting": _case("waiting", status="derived", deadline=utc_iso(NOW + timedelta(days=1))),
        "soon": _case("soon", status="derived", deadline=utc_iso(NOW + timedelta(hours=1))),
        "late": _case("late", status="escalated", deadline=utc_iso(NOW - timedelta(hours=1))),
        "crisis": _case("crisis", crisis_topic="outage", assignee="luis"),
    }

    # When Ana's queues are worked out
    queues = {name: case.queues("ana", NOW) for name, case in cases.items()}

    # Then each is where the team looks for it
    assert "new" in queues["new"] and "new" not in queues["mine"]
    assert "needs_review" in queues["review"]
    assert "needs_approval" in queues["approval"]
    assert "mine" in queues["mine"] and "mine" in queues["claimed"]
    assert "mine" not in queues["review"]
    assert "waiting_department" in queues["waiting"] and "due_soon" not in queues["waiting"]
    assert "due_soon" in queues["soon"] and "breached" not in queues["soon"]
    assert "breached" in queues["late"] and "due_soon" not in queues["late"]
    assert "crisis" in queues["crisis"]


def test_a_case_whose_review_was_confirmed_leaves_the_review_queue():
    # Given a case triage was unsure of, confirmed since (its low confidence stays a flag)
    confirmed = _case("confirmed", needs_review=False, flags=["low_confidence"])
    # Then it is no longer waiting for a review
    assert "needs_review" not in confirmed.queues("ana", NOW)


def test_an_expired_claim_is_nobody_s():
    case = _case("c", lease_holder="ana", lease_until=int(NOW.timestamp()) - 1)
    assert case.held_by(NOW) is None and "mine" not in case.queues("ana", NOW)


def test_a_case_without_a_department_s_deadline_is_due_at_the_first_response_target():
    # Given a case created now with no department's deadline (3 h first-response target)
    case = _case("c")
    # Then its deadline is three hours on
    assert case.deadline == utc_iso(NOW + timedelta(hours=3))


def test_filters_keep_only_matching_cases_and_the_counts_follow_them():
    # Given cases on two channels, one urgent
    cases = [
        _case("a", channel="telegram", flags=["urgent"], priority="P1"),
        _case("b", channel="telegram", priority="P3"),
        _case("c", channel="whatsapp", flags=["urgent"], priority="P1"),
    ]

    # When the inbox is filtered by channel and flag
    wanted = InboxFilter.from_query({"channel": "telegram", "flags": "urgent"})
    found = inbox(cases, wanted, "ana", NOW)

    # Then only the urgent Telegram case is shown and counted
    assert [row.case.id for row in found.rows] == ["a"]
    assert found.total == 1 and found.counts["new"] == 1


def test_a_queue_narrows_the_list_but_every_queue_keeps_its_count():
    cases = [_case("a"), _case("b", assignee="ana")]
    found = inbox(cases, InboxFilter.from_query({"queue": "mine"}), "ana", NOW)
    assert [row.case.id for row in found.rows] == ["b"]
    assert found.counts["new"] == 1 and found.counts["mine"] == 1 and found.total == 2


def test_cases_are_sorted_by_deadline_the_earliest_first():
    cases = [
        _case("later", deadline="2026-11-24T15:00:00.000Z"),
        _case("first", deadline="2026-11-24T09:00:00.000Z"),
        _case("middle", deadline="2026-11-24T12:00:00.000Z"),
    ]
    found = inbox(cases, InboxFilter(), "ana", NOW)
    assert [row.case.id for row in found.rows] == ["first", "middle", "later"]


def test_the_etag_changes_when_a_case_changes_and_only_then():
    # Given an inbox and the same cases read again
    cases = [_case("a"), _case("b")]
    first = inbox(cases, InboxFilter(), "ana", NOW).etag
    same = inbox([_case("a"), _case("b")], InboxFilter(), "ana", NOW).etag
    # When one case is assigned
    changed = inbox([_case("a", assignee="luis"), _case("b")], InboxFilter(), "ana", NOW).etag
    # Then only the change gives a new ETag
    assert first == same and changed != first


def test_the_etag_changes_when_a_case_becomes_breached_with_time():
    cases = [_case("a", deadline=utc_iso(NOW + timedelta(minutes=1)))]
    before = inbox(cases, InboxFilter(), "ana", NOW).etag
    after = inbox(cases, InboxFilter(), "ana", NOW + timedelta(minutes=2)).etag
    assert before != after


@pytest.mark.parametrize("query", [{"queue": "everything"}, {"channel": "x" * 201}])
def test_a_filter_the_inbox_cannot_apply_is_refused(query):
    with pytest.raises(BadFilter):
        InboxFilter.from_query(query)
