"""What managers read of a report: cases.csv (personal data masked), report.html with its
charts, and the email with the links."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from socialcare.domain.personal_data import mask_personal_data
from socialcare.domain.ports import Email
from socialcare.domain.reporting import CaseFacts
from socialcare.presentation.charts import bar_chart, column_chart
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
    "hops",
    "authority_mentioned",
    "personal_data_exposed",
    "returning_customer",
    "first_response_business_hours",
    "department_action_business_hours",
    "resolution_business_hours",
)


class ReportFiles:
    """The report's presentation, as the report use case asks for it (ReportPresentation)."""

    csv_columns = CSV_COLUMNS

    @staticmethod
    def csv_row(item: dict[str, Any], facts: CaseFacts) -> list[Any]:
        return csv_row(item, facts)

    @staticmethod
    def html(kpis: dict[str, Any], language: str) -> str:
        return report_html(kpis, language)

    @staticmethod
    def email(kpis: dict[str, Any], links: dict[str, str], language: str) -> Email:
        return report_email(kpis, links, language)


def _masked_author(item: dict[str, Any]) -> str:
    """Initials only: the CSV leaves the platform ids and names in DynamoDB."""
    author = item.get("author") or {}
    name = author.get("display_name") or author.get("handle") or ""
    return " ".join(f"{part[0]}." for part in str(name).split() if part) or "-"


def csv_row(item: dict[str, Any], facts: CaseFacts) -> list[Any]:
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


def report_email(kpis: dict[str, Any], links: dict[str, str], language: str) -> Email:
    t = strings(language)["report"]
    subject = t["email_subject"].format(
        company=kpis["company"],
        kind=t[kpis["period"]["kind"]],
        first=kpis["period"]["first_day"],
        last=kpis["period"]["last_day"],
    )
    context = {
        "t": t,
        "kpis": kpis,
        "overall": kpis["overall"],
        "links": links,
        "language": language,
        "subject": subject,
    }
    return Email(
        subject, render("report_email.txt", **context), render("report_email.html", **context)
    )
