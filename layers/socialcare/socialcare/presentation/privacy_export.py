"""What `socialcare privacy export` writes for a subject access request: everything the
stack holds about the person, case by case, readable (texts, times, channels,
departments, what the brand sent and what they answered), without the stack's
capabilities, which are not about them and act for whoever holds them: an action link's
id opens the department's page and closes the case as the department. One rule, on the
whole document (socialcare.domain.capabilities): every capability the person's items
keep is gathered first, then left out wherever it is, under whatever field name."""

from __future__ import annotations

from typing import Any

from socialcare.domain.capabilities import capabilities_in, without_capabilities
from socialcare.domain.privacy import Held, HoldingKind, PersonalData

# The stack's bookkeeping: keys, expiries, a send's lease.
_INTERNAL = frozenset({"PK", "SK", "entity", "expires_at", "author_key", "lease_until"})
_PER_CASE = {
    HoldingKind.MESSAGE: "messages",
    HoldingKind.TIMELINE_ENTRY: "timeline",
    HoldingKind.ACTION_LINK: "action_links",
    HoldingKind.OUTBOUND_MESSAGE: "messages_sent_by_the_brand",
    HoldingKind.UNCERTAIN_SEND: "sends_not_confirmed",
    HoldingKind.LOW_SCORE: "low_score_alerts",
    HoldingKind.CRISIS_ITEM: "crisis_counts",
    HoldingKind.DEDUP_RECORD: "duplicate_detection_records",
    HoldingKind.OPEN_CASE_POINTER: "open_case_pointer",
}


def export_document(data: PersonalData, exported_at: str) -> dict[str, Any]:
    capabilities = capabilities_in([item.data for item in data.held])
    return without_capabilities(_document(data, exported_at), capabilities)


def _document(data: PersonalData, exported_at: str) -> dict[str, Any]:
    cases: dict[str, dict[str, Any]] = {}
    for case in data.of_kind(HoldingKind.CASE):
        cases[str(case.case_id)] = {
            "case": _readable(case.data),
            **{v: [] for v in _PER_CASE.values()},
        }
    for item in data.held:
        section = _PER_CASE.get(item.kind)
        if section and item.case_id in cases:
            cases[item.case_id][section].append(_readable(item.data or {"case_id": item.case_id}))
    for exported in cases.values():
        exported["messages"].sort(key=lambda m: str(m.get("sent_at", "")))
        exported["timeline"].sort(key=lambda e: str(e.get("at", "")))
    return {
        "subject": [
            {"platform": person.platform.value, "author_id": person.author_id}
            for person in data.people
        ],
        "exported_at": exported_at,
        "summary": {
            kind: count
            for kind, count in data.counts().items()
            if kind != HoldingKind.SEARCH_INDEX_ENTRY.value
        },
        "cases": list(cases.values()),
        "customer_entries": [_readable(c.data) for c in data.of_kind(HoldingKind.CUSTOMER_ENTRY)],
        "parked_deliveries": [_readable(p.data) for p in data.of_kind(HoldingKind.PARKED_DELIVERY)],
        "report_files": [_report(r) for r in data.of_kind(HoldingKind.REPORT_FILE)],
    }


def _report(held: Held) -> dict[str, Any]:
    return {
        "file": held.data.get("key"),
        "cases": held.data.get("cases"),
        "lines": held.data.get("lines"),
    }


def _readable(item: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in sorted(item.items()) if key not in _INTERNAL}
