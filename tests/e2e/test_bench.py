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
    assert output.exists(), completed.stderr[-3000:]
    results = json.loads(output.read_text(encoding="utf-8"))
    assert "socialcare bench" in completed.stdout, completed.stderr[-2000:]
    assert completed.returncode == (0 if results["ok"] else 1), completed.stderr[-2000:]
    functions = {row["function"]: row for row in results["cold_start"]["functions"]}
    assert set(functions) == {
        "WebhookFunction",
        "TriageFunction",
        "WorkflowFunction",
        "ActionsFunction",
        "ReportFunction",
        "ReportLinksFunction",
    }
    # every first event handled, from the sam build artifact
    assert all(row["handled"] and row["floor_ms"] > 0 for row in functions.values())
    warm = results["warm_webhook"]
    assert warm["deliveries"] >= 20 and set(warm["by_kind"]) == {"new", "append", "duplicate"}

    # And the paths cost what the state machine says: transitions counted from history;
    # triage closes an autonomous case without any execution
    paths = results["workflow_cost"]["paths"]
    assert paths["autonomous"]["states"] == [] and paths["autonomous"]["status"] == "no execution"
    assert paths["derived_resolved"]["states"] == [
        "WaitForDepartment",
        "RecordAnswer",
        "Answered?",
        "Done",
    ]
    assert paths["escalated_l1"]["states"].count("Escalate") == 1
    assert paths["breached"]["states"][-2:] == ["Escalated?", "Done"]
    # autonomous cases measured as a burst (one email per triage batch, not per case);
    # department + copy when derived
    assert paths["autonomous"]["cases_measured_together"] == 40
    assert 0 < paths["autonomous"]["email_recipients"] < 1
    assert paths["derived_resolved"]["emails"] == 2
    # delivery; the social team's publish link (GET, POST); the department's (GET, POST)
    assert paths["derived_resolved"]["http_requests"] == 5
    # every published answer reached the emulated platform once, and so did the
    # satisfaction survey the department's closing asks; reads (an author's name from a
    # Messenger or Instagram profile) are counted apart
    writes = {name: p["platform_calls"] - p["platform_reads"] for name, p in paths.items()}
    assert writes["derived_resolved"] == 2 and writes["autonomous"] == 1
    assert paths["autonomous"]["platform_reads"] < 1
    assert paths["derived_resolved"]["dynamodb_index_write_units"] > 0
    assert all(p["usd_per_1000_by_item"]["logs"] > 0 for p in paths.values())

    # And the summary holds exactly the keys the targets are read against
    summary = results["summary"]
    assert set(summary) == {
        "cold_start_ratio",
        "cold_start_p75_ratio",
        "cold_start_ms",
        "warm_webhook_p50_ratio",
        "cost_per_1000_usd",
        "fixed_usd_per_month",
        "report_day_330k_projected_s",
        "report_timeout_s",
        "report_month_from_partials_s",
        "report_peak_mb_100k",
        "report_peak_mb_1m",
        "adversarial_text_ratio",
        "crisis",
    }
    assert summary["crisis"]["deliveries_per_s"] == 1000 and summary["crisis"]["seconds"] == 600
    # the protocol rehearsal measured beside reading the same cases, and re-read by triage
    rehearsal = results["protocol_diff"]
    assert rehearsal["cases"] == 1000 and rehearsal["changed"] > 0
    assert rehearsal["read_cases_per_second"] > 0 and rehearsal["retriage_cases_per_second"] > 0
    from socialcare_cli.bench.text_cost import PLATFORM_LIMITS

    assert set(summary["adversarial_text_ratio"]) == set(PLATFORM_LIMITS)
    names = {"webhook", "triage", "workflow", "actions", "report", "reportlinks"}
    assert set(summary["cold_start_ratio"]) == set(summary["cold_start_p75_ratio"]) == names
    assert set(summary["cold_start_ms"]) == names
    assert all(
        ms["floor_median"] > 0 and ms["median"] <= ms["p75"]
        for ms in summary["cold_start_ms"].values()
    )
    assert set(summary["cost_per_1000_usd"]) == {
        "autonomous",
        "derived_resolved",
        "escalated_l1",
        "breached",
        "mix",
        "platform_fees_mix",
        "mix_low_volume",
        "storage_included",
    }
    # storage and PITR are in every path; one at a time, an autonomous case costs more
    assert summary["cost_per_1000_usd"]["storage_included"] is True
    assert all(p["usd_per_1000_by_item"]["dynamodb_storage"] > 0 for p in paths.values())
    alone = paths["autonomous_alone"]
    assert alone["usd_per_1000_cases_low_volume"] > paths["autonomous"]["usd_per_1000_cases"]
    low_mix = sum(
        share * paths[name]["usd_per_1000_cases_low_volume"]
        for name, share in {
            "autonomous_alone": 0.6,
            "derived_resolved": 0.3,
            "escalated_l1": 0.1,
        }.items()
    )
    assert abs(summary["cost_per_1000_usd"]["mix_low_volume"] - low_mix) < 1e-3
    mix = sum(
        share * summary["cost_per_1000_usd"][name]
        for name, share in {"autonomous": 0.6, "derived_resolved": 0.3, "escalated_l1": 0.1}.items()
    )
    assert abs(summary["cost_per_1000_usd"]["mix"] - mix) < 1e-3

    # And reports are measured beside their floor, and from partials
    runs = results["reports"]["runs"]
    assert [r["cases"] for r in runs] == [500, 2000]
    assert all(r["peak_rss_mb"] > 0 and r["floor_microseconds_per_case"] > 0 for r in runs)
    assert summary["report_day_330k_projected_s"] > 0 and summary["report_timeout_s"] == 900
    assert results["triage"]["messages"] >= 200 and results["triage"]["ratio"] > 1
