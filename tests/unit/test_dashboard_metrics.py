"""The dashboard and the alarms watch metrics the handlers emit, with the service dimension
each handler's Powertools `Metrics(service=...)` gives them: a name or a service that
differs plots nothing and alarms on nothing, silently."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import fields
from pathlib import Path

from socialcare.adapters import alarms
from socialcare.app.ingestion import IngestReport
from socialcare.domain.cases import RecordOutcome
from socialcare_cli.local.template import Template
from tests.conftest import ROOT

TEMPLATE = Template.load(ROOT)
_OBSERVABILITY = "socialcare.observability"
OBSERVABILITY = ROOT / "layers" / "socialcare" / "socialcare" / "observability"
NAMESPACE = "socialcare"


def _strings(node: ast.AST, module: ast.Module) -> set[str]:
    """The metric names an expression can evaluate to: literals, names assigned in the
    module (dict values, loop sources) and f"Messages_{outcome}"."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.JoinedStr):
        [prefix, _] = node.values
        assert isinstance(prefix, ast.Constant) and prefix.value == "Messages_"
        outcomes = {o.value for o in RecordOutcome}
        outcomes |= {f.name for f in fields(IngestReport) if f.type in {"int", int}}
        return {f"Messages_{outcome}" for outcome in outcomes}
    if isinstance(node, ast.Dict):
        return set().union(*(_strings(v, module) for v in node.values))
    if isinstance(node, ast.Name):
        return set().union(set(), *(_strings(v, module) for v in _sources(node.id, module)))
    if isinstance(node, ast.Subscript):
        return _strings(node.value, module)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):  # {...}.get(x)
        return _strings(node.func.value, module)
    children = [c for c in ast.iter_child_nodes(node) if not isinstance(c, ast.Attribute)]
    return set().union(set(), *(_strings(c, module) for c in children))


def _sources(name: str, module: ast.Module) -> list[ast.AST]:
    found: list[ast.AST] = []
    for node in ast.walk(module):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                found.append(node.value)
        is_loop = isinstance(node, ast.For) and isinstance(node.target, ast.Name)
        if is_loop and node.target.id == name:  # type: ignore[union-attr]
            found.append(node.iter)  # type: ignore[union-attr]
    return found


def _emitted_by(source: str) -> tuple[set[str], set[str]]:
    """(services, metric names) of one module: a handler's, or one it logs and counts with."""
    module = ast.parse(source)
    services, names = set(), set()
    for node in ast.walk(module):
        if not isinstance(node, ast.Call):
            continue
        callee = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id  # type: ignore[attr-defined]
        keywords = {k.arg: k.value for k in node.keywords}
        if callee == "Metrics":
            services |= _strings(keywords["service"], module)
        elif callee == "add_metric":
            names |= _strings(keywords["name"], module)
        elif callee == "_count":
            names |= set().union(set(), *(_strings(a, module) for a in node.args))
        elif callee == "counted_in":  # token problems, added by adapters/alarms.py
            names.add(alarms.METRIC)
    return services, names


def _observability_of(source: str) -> set[Path]:
    """The socialcare/observability/ modules `source` imports (they emit the metrics of
    the handler that passes them its Metrics)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(_OBSERVABILITY):
            parts = node.module.split(".")[1:]  # type: ignore[union-attr]
            for alias in node.names:
                package = OBSERVABILITY.joinpath(*parts[1:])
                module = package / f"{alias.name}.py"
                found.add(module if module.exists() else package.with_suffix(".py"))
    return found


def emitted() -> set[tuple[str, str]]:
    pairs = set()
    for app in sorted((ROOT / "functions").glob("*/app.py")):
        source = app.read_text(encoding="utf-8")
        if "Metrics(" not in source:
            continue
        [service], names = _emitted_by(source)
        read, pending = set(), _observability_of(source)
        while pending:  # and the modules those import
            module = pending.pop()
            read.add(module)
            used = module.read_text(encoding="utf-8")
            names |= _emitted_by(used)[1]
            pending |= _observability_of(used) - read
        pairs |= {(name, service) for name in names}
    return pairs


def plotted() -> set[tuple[str, str]]:
    [dashboard] = TEMPLATE.of_type("AWS::CloudWatch::Dashboard").values()
    body = dashboard["Properties"]["DashboardBody"]["Fn::Sub"]
    widgets = json.loads(re.sub(r"\$\{[^}]+\}", "x", body))["widgets"]
    pairs = set()
    for widget in widgets:
        for metric in widget["properties"].get("metrics", []):
            if metric[0] == NAMESPACE:
                dimensions = dict(zip(metric[2:-1:2], metric[3::2], strict=False))
                pairs.add((metric[1], dimensions["service"]))
    return pairs


def alarmed() -> set[tuple[str, str]]:
    pairs = set()
    for alarm in TEMPLATE.of_type("AWS::CloudWatch::Alarm").values():
        properties = alarm["Properties"]
        if properties["Namespace"] == NAMESPACE:
            dimensions = {d["Name"]: d["Value"] for d in properties["Dimensions"]}
            pairs.add((properties["MetricName"], dimensions["service"]))
    return pairs


def test_the_handlers_emit_what_the_reader_expects():
    # Given the handlers' metrics as the AST reads them
    pairs = emitted()
    # Then the reader found each handler's known metrics (it cannot pass by reading nothing)
    assert {
        ("CasesAutonomous", "triage"),
        ("Derivations", "workflow"),
        ("Escalations", "workflow"),
        ("Messages_created", "webhook"),
        ("Messages_responses", "webhook"),
        ("DeliveriesForOtherAccounts", "webhook"),
        ("PlatformTokenInvalid", "actions"),
        ("PlatformTokenInvalid", "triage"),
    } <= pairs


def test_every_metric_the_dashboard_plots_is_emitted_with_that_service():
    # Given the dashboard's custom metrics and the handlers' metrics
    # Then each plotted (name, service) is one a handler emits
    assert plotted() - emitted() == set()
    assert len(plotted()) >= 9


def test_every_alarm_on_a_custom_metric_watches_one_that_is_emitted():
    assert alarmed() - emitted() == set()
    assert alarmed()
