"""Which use case a record of the cases table's stream goes to: a new case's CASE item is
triaged, a low satisfaction score's LOW_SCORE item alerts the social team, a SURVEY_OWED
item asks the owed survey again, a customer message's MSG# item goes into the search
index, and a CASE item DynamoDB's TTL deleted (REMOVE) purges the rest of the expired
case. The batch's autonomous cases are closed together at its end
(one email to the social team per batch, not per case: emails are most of a case's cost)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from socialcare.app.case_triage import Triaged
from socialcare.app.search_index import MessageIndexed

if TYPE_CHECKING:
    from socialcare.app.case_triage import TriageDependencies
    from socialcare.app.retention import ExpiredCases
    from socialcare.app.search_index import SearchIndexDependencies
    from socialcare.app.surveys import SurveyDependencies
    from socialcare.domain.cases import Case
    from socialcare.domain.email_delivery import EmailHold

T = TypeVar("T")
# The CASE item's key, as the webhook writes it: CASE#<yyyymmdd>-<16 hex>.
_CASE_KEY = re.compile(r"CASE#(\d{8}-[0-9a-f]{16})")
_ITEMS = ("CASE", "LOW_SCORE", "SURVEY_OWED")
_MESSAGE = "MSG#"


class NotACase(ValueError):
    """A record the filter should have kept out: reported failed, never guessed at."""


class AnswersOwed(RuntimeError):
    """The case is triaged, but an automatic answer could not go out now: the record is
    reported failed so the stream brings it back and the answer follows (once)."""


class EveryRecordFailed(RuntimeError):
    """Every record of the batch failed: the invocation fails, and Lambda retries the
    whole batch (halved first: BisectBatchOnFunctionError), as Powertools' BatchProcessor
    did. Its message carries each record's error (the log shows them)."""


class SurveyOwed(RuntimeError):
    """A closed case's satisfaction survey still cannot go (a token to renew, a platform
    down): reported failed, so the stream (past its retries, `socialcare replay`) brings
    it back and it goes once."""


@dataclass(frozen=True)
class Purged:
    case_id: str
    items: int


@dataclass(frozen=True)
class SurveyAsked:
    case_id: str


@dataclass(frozen=True)
class LowScoreAlert:
    case_id: str
    alerted: bool  # False: alerted already, or the case is gone


StreamOutcome = Purged | SurveyAsked | LowScoreAlert | Triaged | MessageIndexed


@dataclass(frozen=True)
class BatchClosed:
    """The batch's autonomous cases closed: the emails SES held; or, when closing failed,
    the sequence numbers of their records (they come back: still triaged, they are told
    and closed then) and why."""

    held: tuple[EmailHold, ...] = ()
    unclosed: tuple[str, ...] = ()
    failure: Exception | None = None

    def unreported(self, failures: Sequence[Mapping[str, object]]) -> list[str]:
        """The unclosed cases' records the batch's item failures do not report yet."""
        reported = {failure["itemIdentifier"] for failure in failures}
        return [number for number in self.unclosed if number not in reported]


def handle_each(
    records: Sequence[dict[str, Any]], handle: Callable[[dict[str, Any]], object]
) -> list[tuple[str, Exception]]:
    """Each record through `handle`, in order; (sequence number, error) of those that
    failed. Later records are handled even after a failure: Lambda retries from the lowest
    reported sequence number (the ones after it come again, and find their work done:
    https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html ).
    Raises EveryRecordFailed when no record was handled."""
    failed = []
    for record in records:
        try:
            handle(record)
        except Exception as error:  # the record is reported failed; the batch goes on
            failed.append((sequence_number(record), error))
    if records and len(failed) == len(records):
        reasons = "; ".join(f"{number}: {error!r}" for number, error in failed)
        raise EveryRecordFailed(f"every record of the batch failed ({reasons})") from failed[0][1]
    return failed


def sequence_number(record: dict[str, Any]) -> str:
    """The record's id in a partial batch response. A record without one cannot be
    reported alone: an empty or missing itemIdentifier fails the whole batch anyway."""
    number = (record.get("dynamodb") or {}).get("SequenceNumber")
    if not number:
        raise NotACase("a stream record without a sequence number")
    return str(number)


def item_of(record: dict[str, Any]) -> tuple[str, str]:
    """(case id, "CASE", "LOW_SCORE", "SURVEY_OWED" or a message's "MSG#..." key)."""
    keys = (record.get("dynamodb") or {}).get("Keys") or {}
    pk = (keys.get("PK") or {}).get("S", "")
    sk = (keys.get("SK") or {}).get("S", "")
    match = _CASE_KEY.fullmatch(pk)
    if match is None or (sk not in _ITEMS and not sk.startswith(_MESSAGE)):
        raise NotACase("the record's keys are not a case's")
    return match.group(1), sk


class StreamBatch:
    """One batch's records, each to its use case. Each dependency bundle is asked for
    once, when a record first needs it (most batches purge or survey nothing)."""

    def __init__(
        self,
        triage: Callable[[], TriageDependencies],
        surveys: Callable[[], SurveyDependencies],
        expired: Callable[[], ExpiredCases],
        search: Callable[[], SearchIndexDependencies],
    ) -> None:
        self._providers: dict[str, Callable[[], Any]] = {
            "triage": triage,
            "surveys": surveys,
            "expired": expired,
            "search": search,
        }
        self._built: dict[str, Any] = {}
        self._to_close: dict[str, Case] = {}  # sequence number -> an autonomous case

    def handle(self, record: dict[str, Any]) -> StreamOutcome:
        """Raises NotACase, SurveyOwed, or what the use case raised (the record fails)."""
        from socialcare.app.case_triage import triage_case

        case_id, item = item_of(record)
        if record.get("eventName") == "REMOVE":  # only TTL's, by the filter
            from socialcare.app.retention import purge_expired_case

            return Purged(case_id, purge_expired_case(case_id, self._deps("expired")))
        if item.startswith(_MESSAGE):
            from socialcare.app.search_index import index_message

            return index_message(case_id, item, self._deps("search"))
        if item == "SURVEY_OWED":
            from socialcare.app.surveys import ask_owed_survey

            if not ask_owed_survey(case_id, self._deps("surveys")):
                raise SurveyOwed(f"case {case_id}: its satisfaction survey is still owed")
            return SurveyAsked(case_id)
        deps: TriageDependencies = self._deps("triage")
        if item == "LOW_SCORE":
            from socialcare.app.low_scores import alert_low_score

            return LowScoreAlert(case_id, alert_low_score(case_id, deps))
        triaged = triage_case(case_id, deps, batch=True)
        if triaged.to_close is not None:
            self._to_close[sequence_number(record)] = triaged.to_close
        return triaged

    def close_autonomous(self) -> BatchClosed:
        """The batch's autonomous cases, closed in one go (one email to the social team)."""
        from socialcare.app.case_triage import close_autonomous

        if not self._to_close:
            return BatchClosed()
        try:
            return BatchClosed(
                close_autonomous(list(self._to_close.values()), self._deps("triage"))
            )
        except Exception as error:  # their records come back, as the handler reports them
            return BatchClosed(unclosed=tuple(self._to_close), failure=error)

    def _deps(self, name: str) -> Any:
        if name not in self._built:
            self._built[name] = self._providers[name]()
        return self._built[name]
