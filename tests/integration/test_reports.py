"""The report function against the local stack: what it reads, what it writes, who it tells."""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import date, datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import boto3
import pytest
from botocore.config import Config

from socialcare.adapters.dynamodb.day_index import MAX_DAY_INDEX_SHARDS
from socialcare.adapters.dynamodb.report_days import DynamoDBCaseDays
from socialcare.adapters.s3_reports import S3ReportStore
from socialcare.adapters.ses import SesEmailSender
from socialcare.app.reports import ReportDependencies
from socialcare.app.triage import Triager
from socialcare.domain.clock import system_clock
from socialcare.presentation.report_files import ReportRenderer
from socialcare_cli.local.http import to_http_api_event
from socialcare_cli.local.stack import LocalStack
from socialcare_cli.samples import http_request
from tests.conftest import sample, sample_payload, signed_event
from tests.integration.test_case_workflow import (
    SUPPORT,
    act,
    derived_case,
    emails_to,
    link,
    wait_for,
)

MANAGERS = ["direccion.clientes@segurosmarea.example", "redes@segurosmarea.example"]


def day_key_of(params: dict) -> str:
    """The GSI1PK a Query asked for."""
    return str(params["ExpressionAttributeValues"][":day"]["S"])


def today() -> str:
    return datetime.now(ZoneInfo("Europe/Madrid")).date().isoformat()


@pytest.fixture
def a_day_of_cases(stack: LocalStack) -> list[dict]:
    """A resolved complaint, a sales lead still waiting, an autonomous praise."""
    resolved = derived_case(stack)
    act(stack, link(emails_to(stack, SUPPORT, resolved["id"])[0], "resolved"), "resolved")
    wait_for(stack, resolved["id"], lambda c: "closed_at" in c)
    stack.function("WebhookFunction").invoke(sample("x_dm"))
    praise = sample_payload("meta_facebook_comment")
    praise["entry"][0]["changes"][0]["value"]["message"] = "¡Enhorabuena, gracias por todo!"
    stack.function("WebhookFunction").invoke(signed_event("meta", praise))
    return stack.wait_until_triaged()


def test_the_daily_report_is_written_copied_to_latest_and_sent(stack, a_day_of_cases):
    # When today's daily report runs
    result = stack.run_report("daily", today())
    # Then its three files are in the bucket, and in reports/latest/daily/
    prefix = f"reports/daily/{today()}"
    assert result["keys"] == [f"{prefix}/kpis.json", f"{prefix}/cases.csv", f"{prefix}/report.html"]
    for name in ("kpis.json", "cases.csv", "report.html"):
        assert stack.report_file(f"reports/latest/daily/{name}") == stack.report_file(
            f"{prefix}/{name}"
        )
    # And the figures match the cases, with yesterday beside them
    kpis = json.loads(stack.report_file(f"{prefix}/kpis.json"))
    overall = kpis["overall"]
    cases = stack.list_cases()
    assert overall["cases_received"] == {"value": len(cases), "previous": 0}
    handled = [c for c in cases if c["status"] in ("resolved", "contacted", "autonomous")]
    assert overall["resolved_pct"]["value"] == round(100 * len(handled) / len(cases), 1)
    assert overall["autonomy_rate_pct"]["value"] == round(100 / len(cases), 1)
    assert kpis["by"]["channel"]["telegram"]["cases_received"]["value"] == 1
    assert kpis["period"]["first_day"] == kpis["period"]["last_day"] == today()
    # And cases.csv has one row per case, headed in the managers' language, and no
    # personal data
    rows = list(csv.DictReader(io.StringIO(stack.report_file(f"{prefix}/cases.csv").decode())))
    assert list(rows[0])[:3] == ["Caso", "Creado (UTC)", "Canal"]
    assert sorted(r["Caso"] for r in rows) == sorted(c["id"] for c in cases)
    text = stack.report_file(f"{prefix}/cases.csv").decode()
    for case in cases:
        author = case["author"]
        for value in (author.get("display_name"), author.get("handle"), author.get("id")):
            assert not value or value not in text
    # And the managers got a summary with a 7-day link to each of the three files
    [email] = [m for m in stack.outbox() if m["to"] == MANAGERS]
    assert "informe diario" in email["subject"]
    links = [urlsplit(u) for u in email["links"]]
    assert [u.path.rsplit("/", 1)[1] for u in links] == ["kpis.json", "cases.csv", "report.html"]
    expires = int(parse_qs(links[0].query)["expires"][0])
    assert 7 * 86400 - 60 < expires - time.time() <= 7 * 86400
    # When a manager follows one, it is exchanged for a short S3 link to the file
    status, headers = follow(stack, email["links"][2])
    assert status == 302 and "X-Amz-Expires=300" in headers["Location"]
    assert http_request("GET", headers["Location"], {}).body == stack.report_file(
        f"{prefix}/report.html"
    )


def follow(stack: LocalStack, url: str) -> tuple[int, dict]:
    """A request to the report-links route, as API Gateway passes it."""
    parts = urlsplit(url)
    _, _, period, day, name = parts.path.split("/")
    event = to_http_api_event(
        "GET",
        parts.path,
        parts.query,
        {},
        b"",
        "GET /reports/{period}/{day}/{file}",
        {"period": period, "day": day, "file": name},
    )
    response = stack.function("ReportLinksFunction").invoke(event)
    return response["statusCode"], response.get("headers", {})


def test_forged_expired_and_unknown_report_links_are_refused(stack):
    # Given a real link to a report that exists
    result = stack.run_report("daily", today())
    [email] = [m for m in stack.outbox() if m["to"] == MANAGERS]
    good = email["links"][0]
    parts = urlsplit(good)
    query = parse_qs(parts.query)
    expires, signature = query["expires"][0], query["signature"][0]
    base = f"{parts.scheme}://{parts.netloc}"
    # Then a changed file, expiry or signature is forged; an old one expired; others unknown
    forged_file = good.replace("kpis.json", "cases.csv")
    later = good.replace(f"expires={expires}", f"expires={int(expires) + 60}")
    wrong = good.replace(signature, "0" * 64)
    assert follow(stack, good)[0] == 302
    assert follow(stack, forged_file)[0] == 403
    assert follow(stack, later)[0] == 403
    assert follow(stack, wrong)[0] == 403
    from socialcare.domain.report_links import signed_link

    secret = stack.client("secretsmanager").get_secret_value(
        SecretId=stack.refs["ReportLinkSecret"]
    )["SecretString"]
    old = signed_link(base, result["keys"][0], int(time.time()) - 1, secret)
    assert follow(stack, old)[0] == 410
    assert (
        follow(stack, f"{base}/reports/daily/{today()}/secrets.txt?expires=1&signature=x")[0] == 404
    )


def test_the_report_reads_day_partitions_and_never_scans(stack, a_day_of_cases):
    # Given a DynamoDB client that notes every call
    calls: list[tuple[str, str | None, str]] = []
    dynamodb = boto3.client(
        "dynamodb",
        endpoint_url=stack.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    dynamodb.meta.events.register(
        "provide-client-params.dynamodb.*",
        lambda params, model, **_: calls.append(
            (model.name, params.get("IndexName"), day_key_of(params))
        ),
    )
    deps = ReportDependencies(
        days=DynamoDBCaseDays(dynamodb, stack.cases_table),
        store=S3ReportStore(
            boto3.client(
                "s3",
                endpoint_url=stack.endpoint_url,
                region_name="us-east-1",
                aws_access_key_id="local",
                aws_secret_access_key="local",
                config=Config(signature_version="s3v4"),
            ),
            stack.reports_bucket,
        ),
        email=SesEmailSender(stack.client("sesv2"), "socialcare@example.com"),
        routing=Triager().routing,
        clock=system_clock,
        links=lambda key: f"https://reports.example/{key}",
        files=ReportRenderer(Triager().routing),
    )
    # When a weekly report runs
    result = stack.function("ReportFunction").invoke(
        {"period": "weekly", "date": today()}, dependencies=deps
    )
    # Then, with no day's partial stored yet, it computed each day from the day index (a
    # local day spans two UTC days), this week and last, and nothing else: each day read
    # from its unsharded key (items written before the shards) and every one of its shards
    assert {name for name, _, _ in calls} == {"Query"} and {i for _, i, _ in calls} == {"GSI1"}
    day_reads = [key for _, _, key in calls if key.count("#") == 1]
    assert 14 <= len(day_reads) <= 28
    assert len(calls) == len(day_reads) * (1 + MAX_DAY_INDEX_SHARDS)
    monday = date.fromisoformat(today())
    monday = monday.fromordinal(monday.toordinal() - monday.weekday())
    assert result["keys"][0] == f"reports/weekly/{monday.isoformat()}/kpis.json"
    # And run again, it reads only the days not over yet: the others are partials now
    first = len(day_reads)
    calls.clear()
    again = stack.function("ReportFunction").invoke(
        {"period": "weekly", "date": today()}, dependencies=deps
    )
    days_not_over = 7 - date.fromisoformat(today()).weekday()
    assert len([key for _, _, key in calls if key.count("#") == 1]) <= 2 * days_not_over < first
    assert (
        json.loads(stack.report_file(again["keys"][0]))["overall"]
        == json.loads(stack.report_file(result["keys"][0]))["overall"]
    )


@pytest.mark.parametrize("event", [{}, {"period": "yearly"}, {"period": "daily", "date": "24/11"}])
def test_a_report_request_without_a_valid_period_is_refused(stack, event):
    # The handler's own BadRequest: the scheduler's retries and DLQ would not help
    with pytest.raises(Exception) as raised:
        stack.run_report(**{"period": event.get("period"), "day": event.get("date")})
    assert type(raised.value).__name__ == "BadRequest"
    assert stack.report_file("reports/latest/daily/kpis.json") is None


def test_a_period_with_no_cases_still_gets_a_report(stack):
    result = stack.run_report("monthly", "2026-01-15")
    kpis = json.loads(stack.report_file(result["keys"][0]))
    assert kpis["overall"]["cases_received"] == {"value": 0, "previous": 0}
    assert kpis["overall"]["resolved_pct"] == {"value": None, "previous": None}
    assert b"<svg" in stack.report_file(result["keys"][2])
