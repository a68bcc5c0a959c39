"""What managers read of a report: cases.csv (personal data masked, headers in the
report's language), report.html with its charts, and the email with the headline figures
and the links. Every code in the reader's words, every figure in the reader's locale."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from socialcare.domain.case_facts import CaseFacts, ReportedCase
from socialcare.domain.case_rows import CaseRow
from socialcare.domain.clock import utc_iso
from socialcare.domain.emails import Email
from socialcare.domain.personal_data import mask_personal_data
from socialcare.domain.privacy import ERASED
from socialcare.domain.report_kpis import Kpis
from socialcare.domain.routing import RoutingConfig
from socialcare.domain.text_controls import neutralise
from socialcare.presentation.charts import bar_chart, column_chart
from socialcare.presentation.formatting import Formats
from socialcare.presentation.labels import Labels
from socialcare.presentation.rendering import render, strings

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
    "resolved_late",
    "hops",
    "authority_mentioned",
    "personal_data_exposed",
    "returning_customer",
    "first_response_business_hours",
    "department_action_business_hours",
    "resolution_business_hours",
    "survey_score",  # the score only: a customer's comment stays on the case
)
# How each indicator is written: a count, a percentage, a mean score, a decimal.
KINDS = {
    "cases_received": "count",
    "problems": "count",
    "problems_solved_pct": "pct",
    "satisfaction_pct": "pct",
    "satisfaction_mean": "score",
    "survey_response_rate_pct": "pct",
    "surveys_sent": "count",
    "survey_answers": "count",
    "resolved_pct": "pct",
    "autonomy_rate_pct": "pct",
    "derivation_rate_pct": "pct",
    "escalation_l1_rate_pct": "pct",
    "escalation_l2_rate_pct": "pct",
    "sla_breach_rate_pct": "pct",
    "first_response_within_target_pct": "pct",
    "mean_hops": "decimal",
    "resolved_late": "count",
    "authority_mentions": "count",
    "personal_data_exposed": "count",
    "crisis_alerts": "count",
    "returning_customers": "count",
}
SUMMARY = (
    "cases_received",
    "problems_solved_pct",
    "satisfaction_pct",
    "satisfaction_mean",
    "survey_response_rate_pct",
    "first_response_within_target_pct",
    "autonomy_rate_pct",
    "derivation_rate_pct",
    "escalation_l1_rate_pct",
    "escalation_l2_rate_pct",
    "sla_breach_rate_pct",
    "resolved_late",
    "mean_hops",
    "authority_mentions",
    "personal_data_exposed",
    "crisis_alerts",
    "returning_customers",
)
HEADLINE = (
    "cases_received",
    "problems_solved_pct",
    "satisfaction_pct",
    "satisfaction_mean",
    "survey_response_rate_pct",
    "first_response_within_target_pct",
    "sla_breach_rate_pct",
)
SPLIT_COLUMNS = (
    "cases_received",
    "problems_solved_pct",
    "satisfaction_pct",
    "satisfaction_mean",
    "survey_response_rate_pct",
    "sla_breach_rate_pct",
)
SPLITS = ("channel", "category", "relation", "priority", "department")
BREACHED_IN_EMAIL = 10  # the email names the first ones; report.html lists up to 50


class ReportRenderer:
    """Renders a report's CSV rows, HTML and email, as the report use case asks for them
    (ReportPresentation). Not the stored files erasure rewrites: that port is ReportFiles."""

    def __init__(self, routing: RoutingConfig) -> None:
        self.routing = routing
        language = routing.reports.language
        self.csv_columns = tuple(strings(language)["report"]["csv"][c] for c in CSV_COLUMNS)

    @staticmethod
    def csv_row(case: ReportedCase, facts: CaseFacts) -> list[Any]:
        return csv_row(case, facts)

    def html(self, kpis: Kpis, language: str) -> str:
        return report_html(kpis, language, self.routing)

    def email(self, kpis: Kpis, links: dict[str, str], language: str) -> Email:
        return report_email(kpis, links, language, self.routing)


def _masked_author(name: str) -> str:
    """Initials only: the CSV leaves the platform ids and names in the store."""
    return " ".join(f"{part[0]}." for part in name.split() if part) or "-"


def csv_row(case: ReportedCase, facts: CaseFacts) -> list[Any]:
    def hours(name: str) -> str:
        return f"{facts.times[name][0]:.2f}" if name in facts.times else ""

    # Every text read from the case is masked (and made inert: no control reorders the
    # cell or its neighbours); labels (channel, category...) repeat on every row, so each
    # distinct one is scanned once. Flags, counts and hours are ours. An erased case's row
    # has its day, not its time (see report_redaction.py).
    row = case if isinstance(case, CaseRow) else None
    created = row.created_at if row else utc_iso(facts.created)
    erased = facts.id == ERASED
    author = _masked_author(row.author_name) if row else "-"
    return [
        neutralise(mask_personal_data(facts.id)),
        created[:10] if erased else neutralise(mask_personal_data(created)),
        _masked_label(facts.channel),
        ERASED if erased else neutralise(mask_personal_data(author)),
        _masked_label(facts.category),
        _masked_label(facts.relation),
        _masked_label(facts.priority),
        _masked_label(facts.department),
        _masked_label(facts.status),
        facts.derived,
        facts.escalated_l1,
        facts.escalated_l2,
        facts.breached,
        facts.resolved_late,
        facts.hops,
        facts.authority,
        facts.personal_data,
        facts.returned,
        hours("first_response"),
        hours("department_action"),
        hours("resolution"),
        facts.survey_score if facts.survey_score is not None else "",
    ]


@lru_cache(maxsize=4096)
def _masked_label(value: str) -> str:
    return neutralise(mask_personal_data(value))


class Figures:
    """An indicator as the reader writes it."""

    def __init__(self, formats: Formats) -> None:
        self.F = formats

    def show(self, name: str, value: Any) -> str:
        kind = KINDS.get(name, "decimal")
        if kind == "pct":
            return self.F.percent(value)
        if kind == "count":
            return self.F.number(value, 0)
        return self.F.number(value, 2)

    def change(self, pair: dict[str, Any]) -> str:
        return self.F.change(pair.get("value"), pair.get("previous"))


def _context(kpis: Kpis, language: str, routing: RoutingConfig) -> dict[str, Any]:
    t = strings(language)["report"]
    formats = Formats(language, kpis.period.timezone)
    labels = Labels(language, routing)
    top = kpis.top_complaint_topics[0] if kpis.top_complaint_topics else None
    return {
        "t": t,
        "kpis": kpis,
        "overall": kpis.overall,
        "language": language,
        "F": formats,
        "L": labels,
        "V": Figures(formats),
        "summary": SUMMARY,
        "headline": HEADLINE,
        "split_columns": SPLIT_COLUMNS,
        "splits": SPLITS,
        "top_complaint": top,
        "compressed": (kpis.time_scale or 1) > 1,
        "breached": kpis.breached_cases,
    }


def report_html(kpis: Kpis, language: str, routing: RoutingConfig) -> str:
    context = _context(kpis, language, routing)
    t, formats, labels, figures = context["t"], context["F"], context["L"], context["V"]
    overall = kpis.overall

    def median(name: str) -> tuple[float | None, float | None]:
        business = overall[f"{name}_hours"]["business"]["median"]
        return business["value"], business["previous"]

    volume = kpis.volume_by_day
    previous_volume = list(kpis.previous_volume_by_day.values())
    categories = kpis.by["category"]
    channels = kpis.by["channel"]
    charts = {
        "volume": column_chart(
            t["volume_by_day"],
            [(formats.short_day(day), count) for day, count in volume.items()],
            previous_volume,
        ),
        "categories": bar_chart(
            t["by_category"],
            [
                (
                    labels.category(key),
                    v["cases_received"]["value"],
                    v["cases_received"]["previous"],
                    formats.number(v["cases_received"]["value"], 0),
                )
                for key, v in categories.items()
            ],
        ),
        "satisfaction": bar_chart(
            t["satisfaction_by_channel"],
            [
                (
                    labels.channel(key),
                    v["satisfaction_pct"]["value"],
                    v["satisfaction_pct"]["previous"],
                    formats.percent(v["satisfaction_pct"]["value"]),
                )
                for key, v in channels.items()
                if v["survey_answers"]["value"] or v["survey_answers"]["previous"]
            ],
            empty=t["none"],
        ),
        "times": bar_chart(
            t["times"],
            [
                (t[name], *median(name), formats.hours(median(name)[0]))
                for name in ("first_response", "department_action", "resolution")
            ],
        ),
        "sla": bar_chart(
            t["sla"],
            [
                (
                    t[name],
                    overall[name]["value"],
                    overall[name]["previous"],
                    figures.show(name, overall[name]["value"]),
                )
                for name in (
                    "problems_solved_pct",
                    "first_response_within_target_pct",
                    "escalation_l1_rate_pct",
                    "escalation_l2_rate_pct",
                    "sla_breach_rate_pct",
                )
            ],
        ),
    }
    return render("report.html", **context, charts=charts)


def report_email(kpis: Kpis, links: dict[str, str], language: str, routing: RoutingConfig) -> Email:
    context = _context(kpis, language, routing)
    t, formats = context["t"], context["F"]
    subject = t["email_subject"].format(
        company=kpis.company,
        kind=t[kpis.period.kind],
        first=formats.day(kpis.period.first_day),
        last=formats.day(kpis.period.last_day),
    )
    context.update(links=links, subject=subject, files=t["file_names"])
    return Email(
        subject, render("report_email.txt", **context), render("report_email.html", **context)
    )
