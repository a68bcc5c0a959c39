"""The README's performance table, written from `bench/results.json`'s summary between
two markers, so the figures in the README are always the last `make bench`'s."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

START, END = "<!-- bench:summary:start -->", "<!-- bench:summary:end -->"
COLD_TARGETS = {"webhook": 1.3}  # every other function: 1.6
COLD_TARGET = 1.6


def markdown(summary: dict[str, Any], when: str) -> str:
    def mark(ok: bool) -> str:
        return "met" if ok else "**missed**"

    cost = summary["cost_per_1000_usd"]
    rows = [
        f"Figures of `make bench` on {when} (`bench/results.json`, `summary`).",
        "",
        "| Figure | Value | Target | |",
        "|---|---|---|---|",
    ]
    p75s, ms = summary.get("cold_start_p75_ratio", {}), summary.get("cold_start_ms", {})
    for name, ratio in summary["cold_start_ratio"].items():
        target = COLD_TARGETS.get(name, COLD_TARGET)
        p75 = p75s.get(name, ratio)
        met = mark(max(ratio, p75) <= target)
        times = ms.get(name)
        within = (
            f" ({times['median']:.0f} / {times['p75']:.0f} ms, floor {times['floor_median']:.0f})"
            if times
            else ""
        )
        rows.append(
            f"| Cold start, {name}: median / p75 ratio to floor{within} | {ratio} / {p75} "
            f"| ≤ {target} | {met} |"
        )
    warm = summary["warm_webhook_p50_ratio"]
    rows.append(f"| Warm webhook p50 (ratio to floor) | {warm} | ≤ 1.3 | {mark(warm <= 1.3)} |")
    for name in ("autonomous", "derived_resolved", "escalated_l1", "breached"):
        rows.append(f"| $ per 1,000 cases, {name} | {cost[name]:.4f} | | |")
    rows.append(
        f"| $ per 1,000 cases, mix 60/30/10 at volume (storage and PITR included) "
        f"| {cost['mix']:.4f} | ≤ 0.25 | {mark(cost['mix'] <= 0.25)} |"
    )
    if "mix_low_volume" in cost:
        rows.append(
            f"| $ per 1,000 cases, mix at low volume (one at a time, every start cold) "
            f"| {cost['mix_low_volume']:.4f} | ≤ 0.35 | {mark(cost['mix_low_volume'] <= 0.35)} |"
        )
    if "platform_fees_mix" in cost:
        rows.append(
            f"| Platform fees per 1,000 cases, mix (X posts; beside AWS) "
            f"| {cost['platform_fees_mix']:.4f} | | |"
        )
    rows.append(f"| Fixed $ per month | {summary['fixed_usd_per_month']} | | |")
    day, timeout = summary["report_day_330k_projected_s"], summary["report_timeout_s"]
    rows.append(
        f"| Report of one day of 330,000 cases, projected (s) | {day} | ≤ {timeout / 2:g} "
        f"| {mark(day <= timeout / 2)} |"
    )
    month = summary["report_month_from_partials_s"]
    rows.append(f"| Monthly report from 31 partials (s) | {month} | ≤ 30 | {mark(month <= 30)} |")
    low, high = summary["report_peak_mb_100k"], summary["report_peak_mb_1m"]
    rows.append(
        f"| Report peak memory, 100,000 / 1,000,000 cases (MB) | {low} / {high} | flat "
        f"| {mark(high - low <= 20)} |"
    )
    for platform, (length, ratio, spread) in summary.get("adversarial_text_ratio", {}).items():
        rows.append(
            f"| Adversarial text, {platform} ({length:,} characters): worst shape's cost "
            f"(ratio to normal text, run-to-run spread) | {ratio} (± {spread}) | ≤ 5 "
            f"| {mark(ratio <= 5)} |"
        )
    if "crisis" in summary:
        rows += _crisis_rows(summary["crisis"], mark)
    return "\n".join(rows)


def _crisis_rows(crisis: dict[str, Any], mark: Any) -> list[str]:
    """The crisis simulator's figures (README "Crisis simulator")."""
    burst = f"{crisis['deliveries_per_s']:,}/s for {crisis['seconds']} s"
    wcu, gsi = crisis["peak_partition_wcu_per_s"], crisis["peak_gsi_partition_wcu_per_s"]
    rcu, refused = crisis["peak_partition_rcu_per_s"], crisis["webhook_429_pct"]
    emails, quota = crisis["emails_per_s_peak"], crisis["ses_quota_per_s"]
    return [
        f"| Crisis {burst}: busiest table partition (WCU/s) | {wcu:,} | ≤ 700 "
        f"| {mark(wcu <= 700)} |",
        f"| Crisis: busiest index partition (WCU/s) | {gsi:,} | ≤ 700 | {mark(gsi <= 700)} |",
        f"| Crisis: busiest partition (RCU/s) | {rcu:,} | ≤ 2,100 | {mark(rcu <= 2100)} |",
        f"| Crisis: webhook deliveries answered 429 (%) | {refused} | 0 | {mark(refused == 0)} |",
        f"| Crisis: emails a second at peak (SES quota) | {emails} ({quota}) | ≤ quota "
        f"| {mark(emails <= quota)} |",
        f"| Crisis: workflow starts a second at peak | {crisis['sfn_starts_per_s_peak']} | | |",
    ]


def update(readme: Path, summary: dict[str, Any], when: str) -> bool:
    """True when the README had the markers and now holds the table."""
    text = readme.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        return False
    table = f"{START}\n{markdown(summary, when)}\n{END}"
    readme.write_text(pattern.sub(lambda _: table, text), encoding="utf-8")
    return True
