"""Cold start: what a new container pays before its first event, beside the floor.

Each sample is a fresh interpreter, as a new Lambda container is, run with the function's
folder and the layer on the path (no editable install, no test tooling) by a Python that
has only what Lambda has: boto3 and the layer's requirements (`make bench` builds that
environment). Ours, in one interpreter: import the handler module (`import`), then build
its production adapters (`setup`: settings, clients, configuration), which the first
invocation would otherwise pay. The floor, in another: `import boto3` and create the
clients the function needs. Samples alternate between ours and the floor so that noise
from other work on the machine falls on both.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
from pathlib import Path

# The clients each function's production adapters create (see adapters/wiring.py).
CLIENTS = {
    "WebhookFunction": ("webhook", ("dynamodb", "stepfunctions", "secretsmanager", "sqs")),
    "WorkflowFunction": ("workflow", ("dynamodb", "sesv2")),
    "ActionsFunction": ("actions", ("dynamodb", "stepfunctions")),
    "ReportFunction": ("report", ("dynamodb", "s3", "sesv2", "secretsmanager")),
    "ReportLinksFunction": ("report_links", ("secretsmanager", "s3")),
}
TARGETS = {"WebhookFunction": 1.5}  # the others: 2.0
DEFAULT_TARGET = 2.0

_OURS = """
import time
start = time.perf_counter()
import app
imported = time.perf_counter()
app._default_dependencies()
ready = time.perf_counter()
print(f'{{"import": {imported - start}, "total": {ready - start}}}')
"""

_FLOOR = """
import time
start = time.perf_counter()
import boto3
for service in SERVICES:
    boto3.client(service)
ready = time.perf_counter()
print(f'{{"total": {ready - start}}}')
"""

# What the template gives every function, with names of resources that need not exist:
# creating clients and adapters makes no AWS call.
_ENVIRONMENT = {
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "POWERTOOLS_SERVICE_NAME": "socialcare",
    "POWERTOOLS_METRICS_NAMESPACE": "socialcare",
    "CASES_TABLE_NAME": "bench-cases",
    "CASE_WORKFLOW_ARN": "arn:aws:states:us-east-1:123456789012:stateMachine:bench",
    "PLATFORM_SECRETS_ID": "bench-platform-secrets",
    "FAILED_DELIVERIES_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/bench",
    "REPORT_LINK_SECRET_ID": "bench-report-link-secret",
    "DELIVERY_SEAL_SECRET_ID": "bench-delivery-seal-secret",
    "CUSTOMERS_TABLE_NAME": "bench-customers",
    "REPORTS_BUCKET_NAME": "bench-reports",
    "SENDER_EMAIL": "care@example.com",
    "ACTIONS_BASE_URL": "https://bench.execute-api.us-east-1.amazonaws.com",
}


def _sample(python: str, code: str, cwd: Path, layer: Path) -> dict[str, float]:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": os.pathsep.join([str(cwd), str(layer)]),
        **_ENVIRONMENT,
    }
    completed = subprocess.run(  # noqa: S603 (our own code, run by the chosen interpreter)
        [python, "-c", code],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"cold start sample failed in {cwd}:\n{completed.stderr[-2000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def measure(python: str, root: Path, runs: int = 10) -> list[dict]:
    root = root.resolve()
    # Absolute (each sample runs in its function's folder), links kept: a venv's python
    # is a link, and following it would leave the venv.
    python = os.path.abspath(python)
    layer = root / "layers" / "socialcare"
    rows = []
    for function, (folder, services) in CLIENTS.items():
        cwd = root / "functions" / folder
        # One unmeasured run of each writes the bytecode caches, as a deployment package has.
        _sample(python, _OURS, cwd, layer)
        _sample(python, _FLOOR.replace("SERVICES", repr(services)), cwd, layer)
        ours, floor = [], []
        for _ in range(runs):
            ours.append(_sample(python, _OURS, cwd, layer))
            floor.append(_sample(python, _FLOOR.replace("SERVICES", repr(services)), cwd, layer))
        imported = statistics.median(o["import"] for o in ours) * 1000
        total = statistics.median(o["total"] for o in ours) * 1000
        baseline = statistics.median(f["total"] for f in floor) * 1000
        target = TARGETS.get(function, DEFAULT_TARGET)
        rows.append(
            {
                "function": function,
                "clients": list(services),
                "runs": runs,
                "import_ms": round(imported, 1),
                "import_and_setup_ms": round(total, 1),
                "floor_ms": round(baseline, 1),
                "ratio": round(total / baseline, 2),
                "target": target,
                "ok": total / baseline <= target,
            }
        )
    return rows
