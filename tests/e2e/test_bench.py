"""`socialcare bench` at its smallest scale: every figure measured and written, the
workflow's transitions counted from the real state machine's history. (No timing is
asserted: the machines are shared; the full figures come from `make bench`.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def test_bench_measures_every_figure_beside_its_floor(tmp_path: Path):
    # Given the smallest scale and two small report sizes
    output = tmp_path / "results.json"
    command = [sys.executable, "-m", "socialcare_cli.main", "bench", "--scale", "0.05"]
    command += ["--report-cases", "500", "2000", "-o", str(output)]
    # When the benchmark runs
    completed = subprocess.run(  # noqa: S603 (this interpreter, our command)
        command, capture_output=True, text=True, timeout=600, check=False
    )
    # Then it wrote its results, printed the table, and its exit status says whether
    # every target was met
    results = json.loads(output.read_text(encoding="utf-8"))
    assert "socialcare bench" in completed.stdout, completed.stderr[-2000:]
    assert completed.returncode == (0 if results["ok"] else 1), completed.stderr[-2000:]
    functions = {row["function"]: row for row in results["cold_start"]["functions"]}
    assert set(functions) == {
        "WebhookFunction",
        "WorkflowFunction",
        "ActionsFunction",
        "ReportFunction",
        "ReportLinksFunction",
    }
    assert all(row["floor_ms"] > 0 and row["ratio"] > 0 for row in functions.values())
    warm = results["warm_webhook"]
    assert warm["deliveries"] >= 20 and warm["messages"] >= warm["deliveries"]
    assert warm["floor_p50_ms"] > 0 and warm["ratio_p50"] > 0

    # And the paths cost what the state machine says: transitions counted from history
    paths = results["workflow_cost"]["paths"]
    assert paths["autonomous"]["states"] == ["Triage", "Derive?", "Done"]
    assert paths["derived_resolved"]["states"] == [
        "Triage",
        "Derive?",
        "WaitForDepartment",
        "RecordAnswer",
        "Answered?",
        "Done",
    ]
    assert paths["escalated_level_1"]["states"].count("Escalate") == 1
    assert paths["breached"]["states"][-2:] == ["Escalated?", "Done"]
    assert all(p["status"] == "SUCCEEDED" for p in paths.values())
    # one email to the social team for an autonomous case; department + copy when derived
    assert (paths["autonomous"]["emails"], paths["derived_resolved"]["emails"]) == (1, 2)
    assert paths["derived_resolved"]["http_requests"] == 3  # delivery, GET and POST link
    assert paths["derived_resolved"]["dynamodb_write_units"] > 0
    mix = results["workflow_cost"]["mix"]["usd_per_1000_cases"]
    expected = sum(
        share * paths[name]["usd_per_1000_cases"]
        for name, share in {
            "autonomous": 0.6,
            "derived_resolved": 0.3,
            "escalated_level_1": 0.1,
        }.items()
    )
    assert abs(mix - expected) < 1e-3

    # And reports and triage are measured beside their floors
    runs = results["reports"]["runs"]
    assert [r["cases"] for r in runs] == [500, 2000]
    assert all(r["peak_rss_mb"] > 0 and r["floor_microseconds_per_case"] > 0 for r in runs)
    assert results["triage"]["messages"] >= 200 and results["triage"]["ratio"] > 1
