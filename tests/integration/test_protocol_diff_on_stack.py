"""`socialcare protocol diff` on the local stack, over cases delivered as real webhooks
with the held-out sets' texts (written by nobody here, for nothing in these rules): the
same configuration changes nothing; every complaint sent to legal moves exactly the
complaints that were elsewhere; halved deadlines show the answers that would have been
late; the stored cases are the same before and after, and a store that refuses every
write does not stop it."""

from __future__ import annotations

import io
import json
import shutil
import time
from argparse import Namespace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from socialcare.config.files import CONFIG_DIR
from socialcare.config.loaders import routing_config
from socialcare.domain.derivation import WaitPlan, plan_wait
from socialcare_cli.command_line import parse
from socialcare_cli.commands import run
from socialcare_cli.local.stack import LocalStack, local_secrets, project_root
from socialcare_cli.protocol_cli import main
from socialcare_cli.stack_target import StackTarget
from socialcare_cli.synthetic import deliveries
from tests.integration.workflow_helpers import act, email_to, link

HOLDOUT = project_root() / "triage" / "holdout"
KINDS = (
    *("department", "priority", "autonomy", "urgent", "authority", "needs_review"),
    *("automatic_actions", "deadline"),
)


def holdout_texts(complaints: int, others: int, skip: int = 0) -> tuple[str, ...]:
    """From each held-out file, its first complaints and other messages (questions,
    praise, leads...) past the first `skip` of each, as labelled by the set's authors."""
    texts = []
    for path in sorted(HOLDOUT.glob("*.jsonl")):
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        complaint = [m["text"] for m in lines if m["expect"]["category"] == "complaint"]
        other = [m["text"] for m in lines if m["expect"]["category"] != "complaint"]
        texts += complaint[skip : skip + complaints] + other[skip : skip + others]
    return tuple(texts)


def deliver_texts(stack: LocalStack, texts: tuple[str, ...]) -> list[dict[str, Any]]:
    """Each text as a signed webhook of one platform or another, triaged by the stack."""
    now = datetime.now(UTC)
    for delivery in deliveries(len(texts), local_secrets({}), project_root(), texts, at=now):
        response = stack.function("WebhookFunction").invoke(delivery.event)
        assert response["statusCode"] == 200, response
    return stack.wait_until_triaged(60)


def proposed(tmp_path: Path, edit=None) -> Path:
    """A copy of the configuration, `edit(routing.yaml's text)` applied."""
    folder = tmp_path / "proposed"
    shutil.copytree(CONFIG_DIR, folder, ignore=shutil.ignore_patterns("profiles"))
    if edit:
        routing = folder / "routing.yaml"
        routing.write_text(edit(routing.read_text(encoding="utf-8")), encoding="utf-8")
    return folder


def diff(
    stack: LocalStack,
    folder: Path,
    output: Path,
    target: StackTarget | None = None,
    *,
    retriage: bool = False,
    language: str | None = None,
):
    today = datetime.now(UTC).date().isoformat()
    arguments = Namespace(
        config_dir=folder,
        since=today,
        until=today,
        output=output,
        language=language,
        stack_name="socialcare",
        local=None,
        retriage=retriage,
    )
    target = target or StackTarget(
        stack.stack_outputs(), stack.endpoint_url, time_scale=stack.time_scale
    )
    out = io.StringIO()
    assert main(arguments, stack=target, out=out) == 0
    return json.loads(output.read_text()) if output.suffix == ".json" else out.getvalue()


def test_the_same_configuration_changes_nothing(
    stack: LocalStack, api: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    # Given cases of every kind, triaged by the stack
    cases = deliver_texts(stack, holdout_texts(1, 2))
    # When the configuration it runs is rehearsed on them
    report = diff(stack, proposed(tmp_path), tmp_path / "diff.json")
    # Then every case was read and no count moved
    assert report["cases_read"] == len(cases) > 20
    assert report["changes"] == dict.fromkeys([*KINDS, "approvals"], 0)
    assert report["cases_changed"] == 0 and report["moves"] == []
    # And so when triage reads every message again, as a new model would
    again = diff(stack, proposed(tmp_path / "again"), tmp_path / "again.json", retriage=True)
    assert again["cases_retriaged"] == len(cases)
    assert again["changes"] == report["changes"] and again["cases_changed"] == 0
    # And `config check --against-last` runs the same rehearsal after its checks
    arguments = ["config", "check", "--config-dir", str(proposed(tmp_path / "check"))]
    parsed = parse([*arguments, "--against-last", "1", "--local", api])
    capsys.readouterr()
    assert run(parsed) == 0
    printed = capsys.readouterr().out
    assert "configuration OK" in printed
    assert f"{len(cases)} cases read" in printed and "; 0 would change" in printed


TO_LEGAL = "rules:\n  - department: legal\n    categories: [complaint]\n"


def test_every_complaint_to_legal_moves_exactly_the_complaints_elsewhere(
    stack: LocalStack, tmp_path: Path
):
    # Given cases of every kind, some complaints among those a department answers
    cases = deliver_texts(stack, holdout_texts(2, 1, skip=2))
    elsewhere = {
        case["id"]
        for case in cases
        if case["triage"]["category"] == "complaint"
        and not case["triage"]["autonomous"]
        and case["triage"]["department"] != "legal"
    }
    assert len(elsewhere) >= 3
    # When a first rule sends every complaint to legal
    folder = proposed(tmp_path, lambda text: text.replace("rules:\n", TO_LEGAL, 1))
    report = diff(stack, folder, tmp_path / "diff.json")
    diff(stack, folder, tmp_path / "diff.csv")
    # Then exactly those complaints move, each to legal, and nothing else changes
    rows = (tmp_path / "diff.csv").read_text().splitlines()[1:]
    assert {row.split(",")[0] for row in rows} == elsewhere
    assert all(row.split(",")[2:5] == ["department", row.split(",")[3], "legal"] for row in rows)
    assert report["changes"]["department"] == len(elsewhere)
    assert {example["case_id"] for example in report["examples"]["department"]} <= elsewhere
    assert {move["to"] for move in report["moves"]} == {"legal"}
    assert sum(move["cases"] for move in report["moves"]) == len(elsewhere)
    others = {kind: count for kind, count in report["changes"].items() if kind != "department"}
    assert others == dict.fromkeys(others, 0)
    # And the same stored cases give the same bytes, in each file
    first = (tmp_path / "diff.json").read_bytes()
    diff(stack, folder, tmp_path / "diff.json")
    assert (tmp_path / "diff.json").read_bytes() == first
    for language in ("es", "en"):
        pages = []
        for _ in range(2):
            diff(stack, folder, tmp_path / "diff.html", language=language)
            pages.append((tmp_path / "diff.html").read_bytes())
        assert pages[0] == pages[1] and f'<html lang="{language}">'.encode() in pages[0]
        assert all(case_id.encode() in pages[0] for case_id in elsewhere)


def _halved(text: str) -> str:
    """Every department's deadlines halved (the default 24/24/48/48 written out)."""
    halved = text.replace(
        "sla_hours: {P1: 8, P2: 24, P3: 48, P4: 48}", "sla_hours: {P1: 4, P2: 12, P3: 24, P4: 24}"
    )
    halved = halved.replace(
        "sla_hours: {P1: 24, P2: 24, P3: 24, P4: 48}", "sla_hours: {P1: 12, P2: 12, P3: 12, P4: 24}"
    )
    return halved.replace(
        "    calendar: madrid\n    supervisor:",
        "    calendar: madrid\n    sla_hours: {P1: 12, P2: 12, P3: 24, P4: 24}\n    supervisor:",
    ).replace(
        "    calendar: lisbon_it\n    supervisor:",
        "    calendar: lisbon_it\n    sla_hours: {P1: 12, P2: 12, P3: 24, P4: 24}\n    supervisor:",
    )


@pytest.fixture
def answerable_scale(stack: LocalStack):
    """Business time sped up so that a 24-hour deadline from now is about 30 seconds."""
    routing = routing_config()
    now = datetime.now(UTC)
    plan = plan_wait(
        routing,
        department="customer_service",
        priority="P2",
        level=0,
        now=now,
        time_scale=1,
        reason="derived",
    )
    deadline = datetime.fromisoformat(plan.deadline.replace("Z", "+00:00"))
    before = stack.time_scale
    stack.set_time_scale((deadline - now).total_seconds() / 30)
    yield stack
    stack.set_time_scale(before)


def test_halved_deadlines_show_the_answers_that_would_have_been_late(
    answerable_scale: LocalStack, tmp_path: Path
):
    stack = answerable_scale
    folder = proposed(tmp_path, _halved)
    halved = routing_config(folder)
    # Given derived complaints, each answered after its halved deadline but before its own
    texts = tuple(t for t in holdout_texts(1, 0, skip=5) if _complaint(t))[:4]
    cases = [c for c in deliver_texts(stack, texts) if c.get("wait_plan")]
    assert len(cases) >= 2
    answers = []
    for case in sorted(cases, key=lambda c: c["id"]):
        stored = WaitPlan.from_dict(case["wait_plan"])
        triaged_at = _at(case["triaged_at"])
        short = plan_wait(
            halved,
            department=stored.department,
            priority=stored.priority,
            level=0,
            now=triaged_at,
            time_scale=stack.time_scale,
            reason="derived",
        )
        email = email_to(stack, _address(stack, stored.department), case["id"])
        derived_at = _at(stack.get_case(case["id"])["derived_at"])
        when = derived_at + timedelta(seconds=(stored.timeout_seconds + short.timeout_seconds) / 2)
        latest = derived_at + timedelta(seconds=stored.timeout_seconds - 2)
        gap = stored.timeout_seconds - short.timeout_seconds
        answers.append((when, latest, email, case["id"], gap))
    for when, latest, email, case_id, gap in sorted(answers, key=lambda a: a[0]):
        assert gap >= 4, f"{case_id}: deadlines too close to tell apart ({gap} s)"
        time.sleep(max(0.0, (when - datetime.now(UTC)).total_seconds()))
        assert datetime.now(UTC) < latest, f"{case_id}: the test reached it past its deadline"
        assert act(stack, link(email, "resolved"), "resolved")[0] == 200
    # When the halved deadlines are rehearsed
    report = diff(stack, folder, tmp_path / "diff.json")
    # Then each answer would have been late, one escalation email each
    assert report["changes"]["deadline"] == len(answers)
    assert report["deadlines"]["would_be_late"] == len(answers)
    escalations = report["deadlines"]["escalation_emails"]
    assert escalations["before"] == 0 and escalations["after"] >= len(answers)
    others = {kind: n for kind, n in report["changes"].items() if kind != "deadline"}
    assert others == dict.fromkeys(others, 0)


def _complaint(text: str) -> bool:
    from socialcare.app.triage import Triager
    from socialcare.domain.messages import Channel

    # Departments whose deadlines are 24 business hours or more (claims' P1 is 8)
    assessed = Triager().assess(text, Channel.MESSENGER)
    return (
        not assessed.autonomous
        and not assessed.urgent
        and assessed.department in ("customer_service", "web_it")
    )


def _address(stack: LocalStack, department: str) -> str:
    return routing_config().departments[department].emails[0]


def _at(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def test_it_reads_only_and_runs_when_every_write_is_refused(stack: LocalStack, tmp_path: Path):
    # Given cases on the stack, and a table scan of every item as they are
    deliver_texts(stack, holdout_texts(1, 1, skip=7))
    before = _every_item(stack)
    # When the rehearsal runs through a client whose every write fails
    refusing = _WritesRefused(
        stack.stack_outputs(), stack.endpoint_url, time_scale=stack.time_scale
    )
    with pytest.raises(AssertionError, match="wrote"):  # the store does refuse writes
        refusing.client("dynamodb").delete_item(
            TableName=stack.cases_table, Key={"PK": {"S": "X"}, "SK": {"S": "X"}}
        )
    folder = proposed(tmp_path, lambda text: text.replace("rules:\n", TO_LEGAL, 1))
    report = diff(stack, folder, tmp_path / "diff.json", target=refusing)
    # Then it read every case, and the table holds exactly what it held
    assert report["cases_read"] == len(stack.list_cases())
    assert _every_item(stack) == before


class _WritesRefused(StackTarget):
    def client(self, service: str) -> Any:
        client = super().client(service)

        def refuse(**_kwargs: Any) -> None:
            raise AssertionError("the rehearsal wrote to DynamoDB")

        for operation in (
            "PutItem",
            "UpdateItem",
            "DeleteItem",
            "BatchWriteItem",
            "TransactWriteItems",
        ):
            client.meta.events.register(f"before-call.{service}.{operation}", refuse)
        return client


def _every_item(stack: LocalStack) -> list[dict[str, Any]]:
    client = stack.client("dynamodb")
    pages = client.get_paginator("scan").paginate(TableName=stack.cases_table)
    items = [item for page in pages for item in page["Items"]]
    return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
