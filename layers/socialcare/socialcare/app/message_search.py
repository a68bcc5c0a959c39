"""The console's search over the customers' messages of the last 90 days: the plan's first
word's postings (its 4 shards, newest first, a page cap), the cases holding the other words
too (their messages read), then those cases, open and closed, as the inbox's rows."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from socialcare.domain.message_search import SEARCH_CASES, SearchPlan, newest_cases

if TYPE_CHECKING:
    from socialcare.ports.search import MessageSearch

_READERS = 8  # cases whose messages are read at once (I/O bound)


@dataclass(frozen=True)
class Found:
    cases: list[dict[str, Any]]
    # As many postings as one shard's page holds: older cases may be left out.
    may_be_more: bool


def search_cases(plan: SearchPlan, search: MessageSearch) -> Found:
    postings = search.postings(plan.first, plan.since, SEARCH_CASES)
    candidates = newest_cases(postings, SEARCH_CASES)
    may_be_more = len(postings) >= SEARCH_CASES
    if plan.others and candidates:
        with ThreadPoolExecutor(max_workers=min(_READERS, len(candidates))) as pool:
            texts = list(pool.map(lambda case_id: search.texts(case_id, plan.since), candidates))
        candidates = [c for c, held in zip(candidates, texts, strict=True) if plan.matches(held)]
    return Found(search.cases(candidates), may_be_more)
