"""`socialcare report run|download` as ops use it: against the local stack's HTTP server,
and against a "deployed" stack found by name (CloudFormation outputs in the emulator)."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from socialcare_cli.main import main
from socialcare_cli.samples import http_request
from tests.conftest import sample

pytestmark = pytest.mark.e2e


def cli(*words: str) -> int:
    return main(["report", *words])


def deployed_stack(stack, monkeypatch, name: str, outputs: dict[str, str]) -> None:
    """A "deployed" stack in the emulator's CloudFormation, and AWS pointed at it."""
    template = {
        "Resources": {"Placeholder": {"Type": "AWS::SQS::Queue"}},
        "Outputs": {k: {"Value": v} for k, v in outputs.items()},
    }
    stack.client("cloudformation").create_stack(StackName=name, TemplateBody=json.dumps(template))
    for variable, value in {
        "AWS_ENDPOINT_URL": stack.endpoint_url,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
    }.items():
        monkeypatch.setenv(variable, value)


def printed_json(out: str) -> dict:
    """The command's pretty JSON, among the handlers' one-line JSON logs."""
    return json.JSONDecoder().raw_decode(out[out.index("{\n") :])[0]


def today() -> str:
    return datetime.now(ZoneInfo("Europe/Madrid")).date().isoformat()


def test_run_and_download_through_the_local_routes(stack, api, tmp_path, capsys):
    # Given a case of today
    stack.function("WebhookFunction").invoke(sample("telegram_message"))
    stack.wait_until_triaged()
    # When ops run the daily report and download the latest one
    assert cli("run", "--period", "daily", "--local", api) == 0
    printed = printed_json(capsys.readouterr().out)
    assert (
        cli("download", "--period", "daily", "--latest", "--local", api, "-o", str(tmp_path)) == 0
    )
    # Then the three files are there; scheduled runs report yesterday, on-demand any day
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.csv", "kpis.json", "report.html"]
    kpis = json.loads((tmp_path / "kpis.json").read_text())
    assert kpis["period"] == printed["period"]
    assert cli("run", "--period", "daily", "--date", today(), "--local", api) == 0
    capsys.readouterr()
    dated = tmp_path / "dated"
    assert (
        cli("download", "--period", "daily", "--date", today(), "--local", api, "-o", str(dated))
        == 0
    )
    assert json.loads((dated / "kpis.json").read_text())["overall"]["cases_received"]["value"] == 1
    # And the local routes answer plainly when asked for what is not there
    assert http_request("POST", f"{api}/_local/reports/run?period=yearly", {}).status == 400
    missing = http_request("GET", f"{api}/_local/reports/latest/weekly/report.html", {})
    assert missing.status == 404
    page = http_request("GET", f"{api}/_local/reports/latest/daily/report.html", {})
    assert page.status == 200 and page.content_type.startswith("text/html")


def test_run_and_download_against_a_stack_found_by_name(stack, tmp_path, capsys, monkeypatch):
    # Given a stack whose outputs name the report function and bucket
    outputs = {
        "ReportFunctionName": stack.refs["ReportFunction"],
        "ReportsBucketName": stack.reports_bucket,
    }
    deployed_stack(stack, monkeypatch, "socialcare-e2e", outputs)
    # When ops run and download the weekly report of a given day
    assert (
        cli("run", "--period", "weekly", "--date", "2026-11-26", "--stack-name", "socialcare-e2e")
        == 0
    )
    result = printed_json(capsys.readouterr().out)
    assert (
        cli(
            "download",
            "--period",
            "weekly",
            "--date",
            "2026-11-26",
            "--stack-name",
            "socialcare-e2e",
            "-o",
            str(tmp_path),
        )
        == 0
    )
    # Then the week is Monday 23 to Sunday 29 November, and its files came from the bucket
    assert result["keys"][0] == "reports/weekly/2026-11-23/kpis.json"
    assert json.loads((tmp_path / "kpis.json").read_text())["period"]["last_day"] == "2026-11-29"
    # And an unknown stack is a clear error
    assert cli("run", "--period", "daily", "--stack-name", "nope") == 1
    assert "stack 'nope'" in capsys.readouterr().err


def test_the_local_run_without_a_date_reports_today_so_far(stack, api):
    stack.function("WebhookFunction").invoke(sample("x_dm"))
    stack.wait_until_triaged()
    answer = http_request("POST", f"{api}/_local/reports/run?period=daily", {})
    assert answer.status == 200 and answer.json()["period"]["first_day"] == today()
    kpis = http_request("GET", f"{api}/_local/reports/latest/daily/kpis.json", {}).json()
    assert kpis["overall"]["cases_received"]["value"] == 1


def test_replay_against_a_stack_found_by_name_and_the_local_one(stack, api, monkeypatch):
    # Given a delivery parked in the failed-deliveries queue
    queue = stack.refs["FailedDeliveriesQueue"]
    parked = json.dumps({"reason": "StorageUnavailable", "event": sample("x_dm")})
    stack.client("sqs").send_message(QueueUrl=queue, MessageBody=parked)
    outputs = {
        "FailedDeliveriesQueueUrl": queue,
        "WebhookFunctionName": stack.refs["WebhookFunction"],
        "TriageFailuresQueueUrl": stack.refs["TriageFailuresQueue"],
        "TriageFunctionName": stack.refs["TriageFunction"],
    }
    deployed_stack(stack, monkeypatch, "socialcare-replay", outputs)
    # When ops replay against the stack
    assert main(["replay", "--stack-name", "socialcare-replay"]) == 0
    # Then the case exists and the queue is empty; a local replay finds nothing more
    assert [c["channel"] for c in stack.list_cases()] == ["x_dm"]
    assert stack.parked_deliveries() == 0
    answer = http_request("POST", f"{api}/_local/replay", {})
    assert (answer.status, answer.json()) == (200, {})
