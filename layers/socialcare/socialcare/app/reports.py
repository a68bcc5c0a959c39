"""The KPI report use case: a day's report reads that day's cases, aggregates them as a
stream and keeps the result as a mergeable partial (reports/partials/<day>.json, with
the day's cases.csv beside it); a week or a month merges its days' partials (computing a
missing day first), so its cost does not grow with its cases. Then kpis.json, cases.csv
and report.html, reports/latest/, the managers' email. What the files and the email say
is presentation/report_files.py's."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import IO, TYPE_CHECKING, Any

from socialcare.domain.case_facts import ReportedCase
from socialcare.domain.clock import Clock, utc_iso
from socialcare.domain.report_kpis import Kpis, PeriodInfo, TopicCount
from socialcare.domain.report_links import LINK_DAYS, signed_link
from socialcare.domain.report_partials import PartialInvalid, merge_partial, partial_of
from socialcare.domain.reporting import (
    KpiAggregator,
    Period,
    PeriodKind,
    iter_in_period,
    with_previous,
)
from socialcare.domain.routing import RoutingConfig

if TYPE_CHECKING:
    from socialcare.ports.email import EmailSender
    from socialcare.ports.reports import CaseDays, ReportPresentation, ReportStore

FILES = {
    "kpis.json": "application/json",
    "cases.csv": "text/csv; charset=utf-8",
    "report.html": "text/html; charset=utf-8",
}


@dataclass
class ReportDependencies:
    days: CaseDays
    store: ReportStore
    email: EmailSender | None
    routing: RoutingConfig
    clock: Clock
    links: Callable[[str], str]  # a report file's key -> the link the managers get
    files: ReportPresentation
    # The stack's clock runs this many times faster (a local run): the report says so.
    time_scale: float = 1.0


@dataclass(frozen=True)
class ReportWritten:
    period: dict[str, str]
    bucket: str
    keys: list[str]
    emailed: list[str]  # the managers who got the email

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class SignedLinks:
    """Links through the HTTP API that last LINK_DAYS (see domain.report_links)."""

    def __init__(self, base_url: str, secret: Callable[[], str], clock: Clock) -> None:
        self._base_url = base_url
        self._secret = secret
        self._clock = clock

    def __call__(self, key: str) -> str:
        expires = int((self._clock() + timedelta(days=LINK_DAYS)).timestamp())
        return signed_link(self._base_url, key, expires, self._secret())


def period_for(kind: PeriodKind, day: date | None, deps: ReportDependencies) -> Period:
    """A given day's period, or (scheduled runs) the one that has just closed."""
    timezone = deps.routing.reports.timezone
    if day is None:
        return Period.just_closed(kind, deps.clock(), timezone)
    return Period.containing(kind, day, timezone)


PARTIALS = "reports/partials"


def run_report(period: Period, deps: ReportDependencies) -> ReportWritten:
    now = deps.clock()
    current, previous = _aggregator(deps, now), _aggregator(deps, now)
    if period.kind is PeriodKind.DAILY:
        _compute_day(period, deps, current, now)  # always afresh: the day's snapshot
    else:
        for day in period.days():
            _merge_day(day, deps, current, now)
    for day in period.previous().days():
        _merge_day(day, deps, previous, now)
    return _publish(period, deps, current, previous, now)


def _aggregator(deps: ReportDependencies, now: datetime) -> KpiAggregator:
    config = deps.routing.reports
    calendar = deps.routing.report_calendar()
    return KpiAggregator(calendar, now, config.first_response_target_hours)


def _merge_day(day: date, deps: ReportDependencies, into: KpiAggregator, now: datetime) -> None:
    """The day's stored partial, or (none yet, or of another version) the day computed."""
    stored = deps.store.get(f"{PARTIALS}/{day.isoformat()}.json")
    if stored is not None:
        try:
            # Merged into a scratch aggregate first: a damaged partial changes nothing.
            checked = _aggregator(deps, now)
            merge_partial(checked, json.loads(stored))
        except (PartialInvalid, ValueError, KeyError, TypeError, AttributeError):
            checked = None
        if checked is not None:
            merge_partial(into, json.loads(stored))
            return
    timezone = deps.routing.reports.timezone
    day_aggregate = _aggregator(deps, now)
    period = Period.containing(PeriodKind.DAILY, day, timezone)
    partial = _compute_day(period, deps, day_aggregate, now)
    merge_partial(into, {**partial, "complete": True})  # for this run, whatever its end


def _compute_day(
    day: Period, deps: ReportDependencies, aggregator: KpiAggregator, now: datetime
) -> dict[str, Any]:
    """One pass over the day's cases: its indicators into `aggregator`, its partial and
    its cases.csv stored under reports/partials/; the partial."""
    key = f"{PARTIALS}/{day.key}"
    with tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024, mode="w+b") as spool:
        _aggregate_and_list(day, deps, aggregator, spool)
        deps.store.put(f"{key}.csv", spool, FILES["cases.csv"])
    partial = partial_of(aggregator, day.key, complete=day.end <= now)
    body = json.dumps(partial, separators=(",", ":")).encode()
    deps.store.put(f"{key}.json", body, FILES["kpis.json"])
    return partial


def _aggregate_and_list(
    period: Period, deps: ReportDependencies, aggregator: KpiAggregator, spool: IO[bytes]
) -> None:
    """One pass over the period's cases: the indicators, and cases.csv into the spool."""
    text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
    rows = csv.writer(text)
    rows.writerow(deps.files.csv_columns)
    for case in _cases(period, deps):
        facts = aggregator.add(case, period.timezone)
        rows.writerow(deps.files.csv_row(case, facts))
    text.flush()
    text.detach()
    spool.seek(0)


def _publish(
    period: Period,
    deps: ReportDependencies,
    current: KpiAggregator,
    previous: KpiAggregator,
    now: datetime,
) -> ReportWritten:
    config = deps.routing.reports
    this, before = current.result(config.top_topics), previous.result(config.top_topics)
    compared = with_previous(this, before)
    kpis = Kpis(
        company=deps.routing.company,
        period=PeriodInfo.of(period),
        previous_period=PeriodInfo.of(period.previous()),
        generated_at=utc_iso(now),
        business_hours_calendar=deps.routing.report_calendar().timezone,
        first_response_target_hours=config.first_response_target_hours,
        overall=compared["overall"],
        by=compared["by"],
        volume_by_day=this["volume_by_day"],
        previous_volume_by_day=before["volume_by_day"],
        statuses=this["statuses"],
        breached_cases=current.listed(),
        time_scale=deps.time_scale,
        top_complaint_topics=_topics(current, config.top_topics),
        previous_top_complaint_topics=_topics(previous, config.top_topics),
    )
    prefix = f"reports/{period.kind.value}/{period.key}"
    html = deps.files.html(kpis, config.language)
    body = json.dumps(kpis.as_json(), indent=2).encode()
    deps.store.put(f"{prefix}/kpis.json", body, FILES["kpis.json"])
    days = [f"{PARTIALS}/{day.isoformat()}.csv" for day in period.days()]
    if len(days) == 1:
        deps.store.copy(days[0], f"{prefix}/cases.csv")
    else:
        header = _csv_header(deps)
        deps.store.concatenate(days, f"{prefix}/cases.csv", len(header), FILES["cases.csv"])
    deps.store.put(f"{prefix}/report.html", html.encode(), FILES["report.html"])
    latest = f"reports/latest/{period.kind.value}"
    for name in FILES:
        deps.store.copy(f"{prefix}/{name}", f"{latest}/{name}")
    keys = [f"{prefix}/{name}" for name in FILES]
    emailed = _email_managers(kpis, keys, deps)
    return ReportWritten(kpis.period.as_json(), deps.store.bucket, keys, emailed)


def _topics(aggregator: KpiAggregator, top: int) -> tuple[TopicCount, ...]:
    return tuple(TopicCount(topic, count) for topic, count in aggregator.top_complaints(top))


def _csv_header(deps: ReportDependencies) -> bytes:
    """cases.csv's first line, as csv.writer writes it in every day's file."""
    text = io.StringIO()
    csv.writer(text).writerow(deps.files.csv_columns)
    return text.getvalue().encode("utf-8")


def _cases(period: Period, deps: ReportDependencies) -> Iterator[ReportedCase]:
    since, until = utc_iso(period.start), utc_iso(period.end - timedelta(milliseconds=1))
    for day in period.utc_days():
        yield from iter_in_period(deps.days.cases_created_on(day, since, until + "~"), period)


def _email_managers(kpis: Kpis, keys: list[str], deps: ReportDependencies) -> list[str]:
    managers = deps.routing.reports.managers
    if not managers or deps.email is None:
        return []
    links = {key.rsplit("/", 1)[1]: deps.links(key) for key in keys}
    email = deps.files.email(kpis, links, deps.routing.reports.language)
    deps.email.send(list(managers), email.subject, email.text, email.html)
    return list(managers)


def parse_day(value: str | None) -> date | None:
    return datetime.strptime(value, "%Y-%m-%d").date() if value else None
