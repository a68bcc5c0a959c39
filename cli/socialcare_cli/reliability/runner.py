"""`make reliability`: every scenario against one local stack; reliability/results.json."""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path
from typing import TextIO

from socialcare_cli import probes
from socialcare_cli.local.http import LocalApiServer
from socialcare_cli.local.stack import LocalStack, free_port, local_secrets
from socialcare_cli.reliability.action_links import action_links
from socialcare_cli.reliability.alert_probes import alert_probes
from socialcare_cli.reliability.connect_probes import connect_probes
from socialcare_cli.reliability.faults import faults
from socialcare_cli.reliability.forgery import forgery
from socialcare_cli.reliability.fuzzing import http_fuzz, openapi, properties
from socialcare_cli.reliability.graph_writes import graph_writes
from socialcare_cli.reliability.intake_probes import intake
from socialcare_cli.reliability.languages import languages
from socialcare_cli.reliability.linear_text import linear_text
from socialcare_cli.reliability.load import load
from socialcare_cli.reliability.outbound import outbound
from socialcare_cli.reliability.pages_probes import pages_probes
from socialcare_cli.reliability.personal_data import personal_data
from socialcare_cli.reliability.platform_answers import platform_answers
from socialcare_cli.reliability.privacy_probes import privacy_probes
from socialcare_cli.reliability.replies_probes import replies_probes
from socialcare_cli.reliability.token_rotation import token_rotation
from socialcare_cli.reliability.truth_probes import truth_probes
from socialcare_cli.reliability.whatsapp_statuses import whatsapp_statuses
from socialcare_cli.reliability.words_probes import words_probes
from socialcare_cli.reliability_scenarios import SCENARIOS


def _table(results: dict[str, dict]) -> str:
    lines = [f"{'scenario':16} {'ok':4} summary"]
    for name, result in results.items():
        summary = json.dumps(result.get("found", {}), ensure_ascii=False)[:110]
        lines.append(f"{name:16} {'yes' if result['ok'] else 'NO':4} {summary}")
    return "\n".join(lines)


def run(scale: float, output: Path, out: TextIO, only: frozenset[str] | None = None) -> int:
    """The scenarios (`only` those named, in their order); the handlers' logs go to a file
    that `personal_data`, last, scans (the logs of the scenarios run with it)."""
    chosen = frozenset(SCENARIOS) if only is None else only
    output.parent.mkdir(parents=True, exist_ok=True)
    log_path = output.parent / "handlers.log"
    real_stdout, real_stderr = sys.stdout, sys.stderr
    results: dict[str, dict] = {}
    started = time.monotonic()
    with log_path.open("w", encoding="utf-8") as log:
        # The handlers' loggers bind stdout when the stack loads them; the local HTTP
        # server's access log goes to stderr: both are scanned for personal data.
        sys.stdout = sys.stderr = log
        try:
            with LocalStack(secrets=local_secrets({})) as stack:
                server = LocalApiServer(stack, port=free_port())
                threading.Thread(target=server.serve_forever, daemon=True).start()
                api = f"http://127.0.0.1:{server.server_address[1]}"
                stack.set_api_base_url(api)
                steps = [
                    ("load", lambda: load(stack, api, max(50, round(10_000 * scale)))),
                    ("faults", lambda: faults(stack, max(20, round(1_000 * scale)))),
                    ("forgery", lambda: forgery(stack, api, max(60, round(1_000 * scale)))),
                    ("fuzz_http", lambda: http_fuzz(stack, api, max(100, round(2_000 * scale)))),
                    ("fuzz_openapi", lambda: openapi(api, max(5, round(100 * scale)))),
                    ("action_links", lambda: action_links(stack, api, max(20, round(200 * scale)))),
                    (
                        "signing_oracles",
                        lambda: probes.signing_oracles(stack, api, max(20, round(200 * scale))),
                    ),
                    ("odd_numbers", lambda: probes.odd_numbers(stack, api)),
                    ("headers", lambda: probes.headers_everywhere(stack, api)),
                    ("parking_queue", lambda: probes.parking_queue(stack, api)),
                    (
                        "late_answers",
                        lambda: probes.late_answers(stack, api, max(5, round(50 * scale))),
                    ),
                    ("outbound", lambda: outbound(stack, api, max(25, round(300 * scale)))),
                    (
                        "platform_answers",
                        lambda: platform_answers(stack, api, max(6, round(40 * scale))),
                    ),
                    ("intake", lambda: intake(stack, api, taps=30, posts=15)),
                    ("graph_writes", lambda: graph_writes(stack, api, max(6, round(30 * scale)))),
                    (
                        "wa_statuses",
                        lambda: whatsapp_statuses(stack, api, max(12, round(60 * scale))),
                    ),
                    ("words", lambda: words_probes(stack, api, log_path)),
                    ("replies", lambda: replies_probes(stack, api)),
                    ("truth", lambda: truth_probes(stack, api, max(8, round(40 * scale)))),
                    ("alerts", lambda: alert_probes(stack, api, wave=8)),
                    ("languages", lambda: languages(stack, api, max(6, round(30 * scale)))),
                    ("linear_text", lambda: linear_text(stack, api)),
                    ("pages", lambda: pages_probes(stack, api)),
                    ("privacy", lambda: privacy_probes(stack, api)),
                    ("token_rotation", lambda: token_rotation(stack, max(40, round(300 * scale)))),
                    ("connect", lambda: connect_probes(stack, api, max(3, round(20 * scale)))),
                    ("personal_data", lambda: personal_data(log_path, stack, api)),
                ]
                assert [name for name, _ in steps] == list(SCENARIOS[:-1])
                for name, step in steps:
                    if name not in chosen:
                        continue
                    print(f"  {name}...", file=real_stdout, flush=True)
                    stack.reset_data()
                    step_started = time.monotonic()
                    results[name] = {**step(), "seconds": round(time.monotonic() - step_started, 1)}
                server.shutdown()
        finally:
            sys.stdout, sys.stderr = real_stdout, real_stderr
    if "fuzz_properties" in chosen:
        print("  properties...", file=out, flush=True)
        results["fuzz_properties"] = properties(max(100, round(3_000 * scale)))
    summary = {
        "scale": scale,
        "seconds": round(time.monotonic() - started, 1),
        "scenarios": results,
    }
    output.write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    print(_table(results), file=out)
    print(f"\n{output} ({summary['seconds']} s)", file=out)
    return 0 if all(r["ok"] for r in results.values()) else 1
