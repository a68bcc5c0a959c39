"""What the cost model adds beyond a case's requests, each against a case worked by hand:
storage and PITR over the retention, X-Ray at Lambda's sampling, Secrets Manager reads
and init at each volume, the mixes, and the summary's keys."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from socialcare_cli.bench import summary
from socialcare_cli.bench.aws_costs import PRICES
from socialcare_cli.bench.volume_costs import (
    BURST,
    LOW,
    TABLE_CLASSES,
    Index,
    Traces,
    Volume,
    retention_days,
    secrets_usd,
    storage,
    stored_days,
    table_class,
    table_indexes,
    template_traces,
    traced_share,
    volume_items,
)
from socialcare_cli.bench.workflow_cost import _mix_by_item
from socialcare_cli.local.template import Template

ROOT = Path(__file__).resolve().parents[3]
NOW = 1_800_000_000.0
# 1,000 bytes of names and values: PK (2 + 6), SK (2 + 4), GSI1PK (6 + 10), body (4 + 966).
CASE = {
    "PK": {"S": "CASE#1"},
    "SK": {"S": "CASE"},
    "GSI1PK": {"S": "DAY#2026-1"},
    "body": {"S": "x" * 966},
}
GSI1 = Index("GSI1", ("GSI1PK",), "ALL")
GSI2 = Index("GSI2", ("GSI2PK",), "KEYS_ONLY")


def test_an_item_is_stored_in_the_table_and_in_each_index_that_copies_it():
    # Given a 1,000-byte item with GSI1's key but not GSI2's, kept for 730 days
    # When its storage over the retention is priced
    stored = storage([CASE], [GSI1, GSI2], NOW, 730)
    # Then the table and GSI1 hold 1,100 bytes each (100 of overhead), GSI2 nothing;
    # storage bills both for 24 months at $0.25, PITR the table's only at $0.20
    months = 730 / (365 / 12)
    assert (stored["table_bytes"], stored["index_bytes"]) == (1100, 1100)
    assert stored["storage_usd"] == pytest.approx(2200 / 1024**3 * months * 0.25)
    assert stored["pitr_usd"] == pytest.approx(1100 / 1024**3 * months * 0.20)
    assert stored["storage_usd"] * 1000 == pytest.approx(0.01230, abs=1e-5)


def test_standard_ia_stores_for_less_and_leaves_pitr_as_it_is():
    # Given the same item under the Standard-IA table class
    infrequent = TABLE_CLASSES["STANDARD_INFREQUENT_ACCESS"]
    # When its storage over the retention is priced
    stored = storage([CASE], [GSI1, GSI2], NOW, 730, infrequent)
    standard = storage([CASE], [GSI1, GSI2], NOW, 730)
    # Then storage bills $0.10 a GB-month (0.4 of Standard's), PITR the same, and requests
    # are billed 25% dearer
    assert stored["storage_usd"] == pytest.approx(standard["storage_usd"] * 0.10 / 0.25)
    assert stored["pitr_usd"] == standard["pitr_usd"]
    assert infrequent.request_factor == 1.25


def test_the_table_class_is_the_one_the_template_declares():
    # Given templates naming no class, and Standard-IA
    def with_class(properties: dict) -> SimpleNamespace:
        return SimpleNamespace(resources={"CasesTable": {"Properties": properties}})

    # When the cost model reads them
    # Then Standard by default, the declared class otherwise
    assert table_class(with_class({})).name == "STANDARD"
    declared = {"TableClass": "STANDARD_INFREQUENT_ACCESS"}
    assert table_class(with_class(declared)).storage_gb_month == 0.10


def test_a_keys_only_index_stores_the_keys_and_the_tables_keys():
    # Given an item in GSI2 (keys only) with a long attribute besides
    item = {"PK": {"S": "P"}, "SK": {"S": "S"}, "GSI2PK": {"S": "G"}, "long": {"S": "x" * 900}}
    # When GSI2's share is taken
    # Then it is the three keys' names and values plus the 100 bytes of overhead
    assert GSI2.projected_bytes(item) == (2 + 1) + (2 + 1) + (6 + 1) + 100


def test_an_item_with_a_ttl_is_stored_until_it_expires_never_past_the_retention():
    # Given items expiring in 7 days, in 5 years, and one without a TTL
    week = {"expires_at": {"N": str(int(NOW + 7 * 86_400))}}
    years = {"expires_at": {"N": str(int(NOW + 5 * 365 * 86_400))}}
    # When their stored days are taken under a 730-day retention
    # Then 7, 730 (capped) and 730
    assert [stored_days(i, NOW, 730) for i in (week, years, {})] == [7.0, 730.0, 730.0]


def test_an_email_owed_to_the_digest_is_stored_until_it_goes_not_for_the_retention():
    # Given an email owed to the social team's digest, left by a path's end
    owed = {"PK": {"S": "CASE#1"}, "SK": {"S": "EMAIL_OWED#team"}}
    # When its stored days are taken
    # Then a day (the run that sends it deletes it), not 730
    assert stored_days(owed, NOW, 730) == 1.0


def test_xray_records_one_a_second_and_five_percent_of_the_rest():
    # Given 21 invocations a second, then one every few seconds, then unknown (one at a time)
    # When the traced share is taken
    # Then (1 + 0.05 x 20) / 21, and every one below a second's reservoir
    assert traced_share(21.0) == pytest.approx(2 / 21)
    assert traced_share(0.2) == traced_share(None) == 1.0


def test_traces_count_active_functions_per_invocation_and_the_state_machine_per_execution():
    # Given the webhook in Active mode, the workflow function in PassThrough, a traced
    # state machine, and a case that invoked the webhook once and the workflow twice
    traces = Traces(frozenset({"WebhookFunction"}), state_machine=True)
    by_function = {"WebhookFunction": 1, "WorkflowFunction": 2}
    # When its traces are counted one case at a time
    recorded = traces.recorded(by_function, executions=1, volume=LOW, cases=1)
    # Then the webhook's and the execution's (the workflow's segments are inside it)
    assert recorded == 2.0


def test_init_and_traces_change_with_the_volume():
    # Given one case's 2 invocations of a 512 MB function whose init takes 500 ms
    by_function = {"F": 2}
    traces = Traces(frozenset({"F"}), state_machine=False)

    def items(volume: Volume) -> dict[str, float]:
        return volume_items(by_function, 0, {"F": 512}, {"F": 500.0}, traces, volume, PRICES)

    # When priced one at a time, then at 8 cases a second (16 invocations a second)
    low, burst = items(LOW), items(BURST)
    # Then at low volume both start cold (0.5 GB-s) and both are traced; at volume 2%
    # start cold and (1 + 0.05 x 15) / 16 of them are traced
    assert low["lambda_init"] == pytest.approx(0.5 * PRICES["lambda_gb_second"])
    assert low["xray"] == pytest.approx(2 * PRICES["xray_trace"])
    assert burst["lambda_init"] == pytest.approx(0.02 * 0.5 * PRICES["lambda_gb_second"])
    assert burst["xray"] == pytest.approx(2 * 1.75 / 16 * PRICES["xray_trace"])


def test_secrets_are_read_at_each_cold_start_and_cache_expiry():
    # Given a function that reads 2 secrets, invoked 4 times for a case
    by_function, secrets = {"F": 4}, {"F": 2}
    # When priced one at a time (every start cold), then at volume (2%, expiries as many)
    # Then 8 reads at $0.05 per 10,000, then 4 x 0.02 x 2 x 2 = 0.32 reads
    assert secrets_usd(by_function, secrets, LOW) == pytest.approx(8 * 0.05 / 10_000)
    assert secrets_usd(by_function, secrets, BURST) == pytest.approx(0.32 * 0.05 / 10_000)


def test_the_template_decides_indexes_retention_and_traces():
    # Given the project's template and routing file
    template = Template.load(ROOT)
    # When the cost model reads them
    indexes = {index.name: index for index in table_indexes(template)}
    traces = template_traces(template)
    # Then it finds the cases table's indexes and class, the 730-day retention and what
    # traces
    assert set(indexes) >= {"GSI1", "GSI2"}
    assert table_class(template).name == "STANDARD_INFREQUENT_ACCESS"
    assert retention_days(ROOT) == 730
    assert traces.state_machine
    assert all(name in template.functions() for name in traces.active_functions)


def test_a_mix_adds_each_paths_items_at_its_share():
    # Given two paths' items and a 60/40 mix
    results = {
        "a": {"by": {"ses": 0.1, "xray": 0.01}},
        "b": {"by": {"ses": 0.3, "xray": 0.02}},
    }
    # When the mix's items are taken
    # Then each is the weighted sum
    assert _mix_by_item(results, {"a": 0.6, "b": 0.4}, "by") == {"ses": 0.18, "xray": 0.014}


def test_the_summary_reports_both_mixes_and_that_storage_is_included():
    # Given a bench run's results (only what the summary reads)
    path = {"usd_per_1000_cases": 0.1}
    results = {
        "cold_start": {"functions": []},
        "warm_webhook": {"ratio_p50": 1.0},
        "workflow_cost": {
            "paths": {name: path for name in ("autonomous", "derived_resolved")}
            | {name: path for name in ("escalated_l1", "breached")},
            "mix": {"usd_per_1000_cases": 0.24, "platform_fees_usd_per_1000_cases": 2.0},
            "mix_low_volume": {"usd_per_1000_cases": 0.33},
            "fixed": {"usd_per_month": 15.2},
        },
        "reports": {
            "day_330k_projected_s": 1.0,
            "timeout_s": 900,
            "month_from_partials_s": 0.2,
            "peak_mb": {},
        },
        "text_cost": {"limits": {}},
        "crisis": {"summary": {}},
    }
    # When the summary is made
    cost = summary(results)["cost_per_1000_usd"]
    # Then it holds the mix, the low-volume mix, and says storage is counted
    assert (cost["mix"], cost["mix_low_volume"], cost["storage_included"]) == (0.24, 0.33, True)
