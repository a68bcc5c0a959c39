"""The KPI report use case: read a period's cases day by day, aggregate as a stream,
write kpis.json, cases.csv and report.html, refresh reports/latest/, email the managers."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import IO, Any

from socialcare.domain.clock import Clock, utc_iso
from socialcare.domain.personal_data import mask_personal_data
from socialcare.domain.ports import CaseDays, EmailSender, ReportStore
from socialcare.domain.report_links import LINK_DAYS, signed_link
from socialcare.domain.reporting import (
    CaseFacts,
    KpiAggregator,
    Period,
    PeriodKind,
    iter_in_period,
    with_previous,
)
from socialcare.domain.routing import RoutingConfig
from socialcare.presentation.charts import bar_chart, column_chart
from socialcare.presentation.rendering import render, strings

FILES = {
    "kpis.json": "application/json",
    "cases.csv": "text/csv; charset=utf-8",
    "report.html": "text/html; charset=utf-8",
}
CSV_COLUMNS = (
    "case_id",
    "created_at",
    "channel",
    "author",
    "category",
    "relation",
    "priority",
    "department",
    "status",
    "derived",
    "escalated_level_1",
    "escalated_level_2",
    "sla_breached",
    "hops",
    "authority_mentioned",
    "personal_data_exposed",
    "returning_customer",
    "first_response_business_hours",
    "department_action_business_hours",
    "resolution_business_hours",
)


@dataclass
class ReportDependencies:
    days: CaseDays
    store: ReportStore
    email: EmailSender | None
    routing: RoutingConfig
    clock: Clock
    links: Callable[[str], str]  # a report file's key -> the link the managers get


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


def run_report(period: Period, deps: ReportDependencies) -> dict[str, Any]:
    now = deps.clock()
    config = deps.routing.reports
    calendar = deps.routing.report_calendar()
    current = KpiAggregator(calendar, now, config.first_response_target_hours)
    previous = KpiAggregator(calendar, now, config.first_response_target_hours)
    with tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024, mode="w+b") as spool:
        _aggregate_and_list(period, deps, current, spool)
        for item in _cases(period.previous(), deps):
            previous.add(item, period.timezone)
        return _publish(period, deps, current, previous, spool, now)


def _aggregate_and_list(
    period: Period, deps: ReportDependencies, aggregator: KpiAggregator, spool: IO[bytes]
) -> None:
    """One pass over the period's cases: the indicators, and cases.csv into the spool."""
    text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
    rows = csv.writer(text)
    rows.writerow(CSV_COLUMNS)
    for item in _cases(period, deps):
        facts = aggregator.add(item, period.timezone)
        rows.writerow(_csv_row(item, facts))
    text.flush()
    text.detach()
    spool.seek(0)


def _publish(
    period: Period,
    deps: ReportDependencies,
    current: KpiAggregator,
    previous: KpiAggregator,
    spool: IO[bytes],
    now: datetime,
) -> dict[str, Any]:
    config = deps.routing.reports
    this, before = current.result(config.top_topics), previous.result(config.top_topics)
    kpis = {
        "company": deps.routing.company,
        "period": _period_info(period),
        "previous_period": _period_info(period.previous()),
        "generated_at": utc_iso(now),
        "business_hours_calendar": deps.routing.report_calendar().timezone,
        "first_response_target_hours": config.first_response_target_hours,
        **with_previous(this, before),
        "volume_by_day": this["volume_by_day"],
        "statuses": this["statuses"],
        "top_complaint_topics": this["top_complaint_topics"],
        "previous_top_complaint_topics": before["top_complaint_topics"],
    }
    prefix = f"reports/{period.kind.value}/{period.key}"
    html = report_html(kpis, config.language)
    deps.store.put(f"{prefix}/kpis.json", json.dumps(kpis, indent=2).encode(), FILES["kpis.json"])
    deps.store.put(f"{prefix}/cases.csv", spool, FILES["cases.csv"])
    deps.store.put(f"{prefix}/report.html", html.encode(), FILES["report.html"])
    latest = f"reports/latest/{period.kind.value}"
    for name in FILES:
        deps.store.copy(f"{prefix}/{name}", f"{latest}/{name}")
    keys = [f"{prefix}/{name}" for name in FILES]
    emailed = _email_managers(kpis, keys, deps)
    return {"period": kpis["period"], "bucket": deps.store.bucket, "keys": keys, "emailed": emailed}


def _cases(period: Period, deps: ReportDependencies) -> Iterator[dict[str, Any]]:
    for day in period.utc_days():
        yield from iter_in_period(deps.days.cases_created_on(day), period)


def _period_info(period: Period) -> dict[str, str]:
    return {
        "kind": period.kind.value,
        "first_day": period.first_day.isoformat(),
        "last_day": period.last_day.isoformat(),
        "timezone": period.timezone,
        "start": utc_iso(period.start),
        "end": utc_iso(period.end),
    }


def _masked_author(item: dict[str, Any]) -> str:
    """Initials only: the CSV leaves the platform ids and names in DynamoDB."""
    author = item.get("author") or {}
    name = author.get("display_name") or author.get("handle") or ""
    return " ".join(f"{part[0]}." for part in str(name).split() if part) or "-"


def _csv_row(item: dict[str, Any], facts: CaseFacts) -> list[Any]:
    def hours(name: str) -> str:
        return f"{facts.times[name][0]:.2f}" if name in facts.times else ""

    # Every text read from the item is masked; labels (channel, category...) repeat on
    # every row, so each distinct one is scanned once. Flags, counts and hours are ours.
    return [
        mask_personal_data(facts.id),
        mask_personal_data(str(item.get("created_at", ""))),
        _masked_label(facts.channel),
        mask_personal_data(_masked_author(item)),
        _masked_label(facts.category),
        _masked_label(facts.relation),
        _masked_label(facts.priority),
        _masked_label(facts.department),
        _masked_label(facts.status),
        facts.derived,
        facts.escalated_l1,
        facts.escalated_l2,
        facts.breached,
        facts.hops,
        facts.authority,
        facts.personal_data,
        facts.returned,
        hours("first_response"),
        hours("department_action"),
        hours("resolution"),
    ]


@lru_cache(maxsize=4096)
def _masked_label(value: str) -> str:
    return mask_personal_data(value)


def report_html(kpis: dict[str, Any], language: str) -> str:
    t = strings(language)["report"]
    overall = kpis["overall"]

    def pair(name: str) -> tuple[float | None, float | None]:
        return overall[name]["value"], overall[name]["previous"]

    def median(name: str) -> tuple[float | None, float | None]:
        business = overall[f"{name}_hours"]["business"]["median"]
        return business["value"], business["previous"]

    categories = kpis["by"]["category"]
    charts = {
        "volume": column_chart(t["volume_by_day"], list(kpis["volume_by_day"].items())),
        "categories": bar_chart(
            t["by_category"],
            [
                (key, v["cases_received"]["value"], v["cases_received"]["previous"])
                for key, v in categories.items()
            ],
        ),
        "times": bar_chart(
            t["times"],
            [
                (t[name], *median(name))
                for name in ("first_response", "department_action", "resolution")
            ],
            unit=" h",
        ),
        "sla": bar_chart(
            t["sla"],
            [
                (t[name], *pair(name))
                for name in (
                    "first_response_within_target_pct",
                    "escalation_l1_rate_pct",
                    "escalation_l2_rate_pct",
                    "sla_breach_rate_pct",
                )
            ],
            unit=" %",
        ),
    }
    return render("report.html", t=t, kpis=kpis, charts=charts, language=language)


def _email_managers(kpis: dict[str, Any], keys: list[str], deps: ReportDependencies) -> list[str]:
    managers = deps.routing.reports.managers
    if not managers or deps.email is None:
        return []
    language = deps.routing.reports.language
    t = strings(language)["report"]
    links = {key.rsplit("/", 1)[1]: deps.links(key) for key in keys}
    overall = kpis["overall"]
    context = {
        "t": t,
        "kpis": kpis,
        "overall": overall,
        "links": links,
        "language": language,
    }
    subject = t["email_subject"].format(
        company=kpis["company"],
        kind=t[kpis["period"]["kind"]],
        first=kpis["period"]["first_day"],
        last=kpis["period"]["last_day"],
    )
    context["subject"] = subject
    deps.email.send(
        list(managers),
        subject,
        render("report_email.txt", **context),
        render("report_email.html", **context),
    )
    return list(managers)


def parse_day(value: str | None) -> date | None:
    return datetime.strptime(value, "%Y-%m-%d").date() if value else None
