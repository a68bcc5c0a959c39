"""The crisis simulator: a burst of deliveries through the real handlers and adapters, on a
simulated clock, with AWS answered in this process and every call counted.

Each simulated second: `rate` deliveries through the webhook's handler (spread over the
second on the clock), then the table's stream as the event source mapping delivers it
(template.yaml's filter, batch size and lanes) to the stream function's handler, then the
first step of each workflow triage started (the derivation and its email), invoked as the
state machine would. What the adapters call is counted by crisis_aws.py; what it means
against AWS's limits is crisis_report.py's.

    python -m socialcare_cli.bench.crisis --seconds 600 --rate 1000
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import zlib
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# A weekday morning in the departments' hours (routing.yaml's calendar).
_START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


class Simulation:
    """`fraction` of the burst's deliveries, spread over the whole simulated span (see
    crisis_ledger.Ledger for how shared keys are read then)."""

    def __init__(
        self, root: Path, rate: int, seconds: int, fraction: float = 1.0, seed: int = 32
    ) -> None:
        self.root, self.rate, self.seconds, self.seed = root, rate, seconds, seed
        self.fraction = fraction
        self.durations: dict[str, list[tuple[int, float, int]]] = defaultdict(list)
        self.statuses: dict[str, int] = defaultdict(int)
        self.kinds: dict[str, int] = defaultdict(int)
        self.invocations: dict[str, int] = defaultdict(int)

    def run(self) -> dict[str, Any]:
        from moto import mock_aws

        from socialcare import bootstrap
        from socialcare_cli.bench.crisis_report import report
        from socialcare_cli.bench.crisis_stack import CrisisStack, SimulatedClock
        from socialcare_cli.bench.warm_webhook import quiet_stdout
        from socialcare_cli.local import fast_queries, fast_transactions
        from socialcare_cli.local.stack import local_secrets

        saved = dict(os.environ)  # the functions' environment, for this run only
        for name in [name for name in os.environ if name.startswith("AWS_ENDPOINT_URL")]:
            del os.environ[name]  # a local stack's, run before in this process: moto here
        os.environ.update(
            AWS_ACCESS_KEY_ID="crisis",
            AWS_SECRET_ACCESS_KEY="crisis",  # noqa: S106 (moto answers: nothing is sent)
            AWS_DEFAULT_REGION="us-east-1",
        )
        # The local stack's fixes of moto's costs that grow with the table (see each).
        fast_transactions.install()
        fast_queries.install()
        began = time.perf_counter()
        try:
            with mock_aws(), quiet_stdout():
                self.clock = SimulatedClock(_START)
                secrets = local_secrets({})
                self.stack = CrisisStack(self.root, self.clock, secrets, self.fraction)
                self.stack.provision()
                _forget_settings()  # the handlers read the settings of this environment
                self._simulate(secrets)
        finally:
            os.environ.clear()
            os.environ.update(saved)
            _forget_settings()
            bootstrap.reset()
        wall = time.perf_counter() - began
        return report(self, wall)

    def _simulate(self, secrets: dict[str, str]) -> None:
        from socialcare_cli.bench.crisis_traffic import Traffic

        stack = self.stack
        deps = stack.dependencies()
        handlers = {name: stack.handler(name) for name in ("webhook", "case_stream", "workflow")}
        traffic = Traffic(self.root, secrets, self.seed)
        stream = StreamLanes(stack)
        schedules = stack.schedules(set(handlers))
        per_second = self.rate * self.fraction
        due = 0.0
        for second in range(self.seconds):
            due += per_second
            count, due = int(due), due - int(due)
            for slot in range(count):
                self.clock.offset = second + slot / count
                arrival = traffic.next()
                self.kinds[arrival.kind] += 1
                stack.aws.ledger.deliveries += 1
                answer = self._invoke("webhook", handlers, second, arrival.event, deps["webhook"])
                self.statuses[str(answer["statusCode"])] += 1
            self.clock.offset = second + 0.999
            self._downstream(handlers, deps, stream.batches(second + 1.0), second)
            for function, period, event in schedules:  # as EventBridge Scheduler would
                if (second + 1) % period == 0:
                    stack.aws.scheduled = True  # its reads do not grow with the burst's rate
                    self._invoke(function, handlers, second, event, deps[_DEPENDENCIES[function]])
                    stack.aws.scheduled = False
        self._downstream(handlers, deps, stream.batches(float("inf")), self.seconds - 1)

    def _downstream(self, handlers, deps, batches, second: int) -> None:
        """Triage of the stream's batches due, then each workflow it started (its first
        step, as the state machine invokes it)."""
        aws = self.stack.aws
        for batch in batches:
            self._invoke("case_stream", handlers, second, {"Records": batch}, deps["triage"])
        while self._started < len(aws.started_executions):
            execution = aws.started_executions[self._started]
            self._started += 1
            event = {
                "step": "derive",
                "case_id": execution["case_id"],
                "plan": execution["plan"],
                "task_token": f"crisis-token-{self._started}",
            }
            self._invoke("workflow", handlers, second, event, deps["workflow"])

    _started = 0

    def _invoke(self, name: str, handlers: dict[str, Any], second: int, event, deps) -> Any:
        from socialcare_cli.local.functions import LambdaContext

        aws = self.stack.aws
        context = LambdaContext(
            f"crisis-{name}", f"arn:aws:lambda:us-east-1:{_ACCOUNT}:function:{name}"
        )
        fake, calls = aws.fake_seconds, aws.aws_calls_in_handler
        began = time.perf_counter()
        answer = handlers[name](event, context, dependencies=deps)
        spent = time.perf_counter() - began - (aws.fake_seconds - fake)
        self.durations[name].append((second, spent, aws.aws_calls_in_handler - calls))
        self.invocations[name] += 1
        return answer


_ACCOUNT = "123456789012"


def _forget_settings() -> None:
    """The handlers read the settings once a process (as a container): read them again."""
    from socialcare.settings import get_settings

    getattr(get_settings, "cache_clear", lambda: None)()


_DEPENDENCIES = {"webhook": "webhook", "case_stream": "triage", "workflow": "workflow"}


class StreamLanes:
    """The table's stream as its event source mapping reads it: template.yaml's filter,
    a key's records in one lane of `ParallelizationFactor`, a lane's batch going when it
    holds `BatchSize` records or its oldest has waited `MaximumBatchingWindowInSeconds`."""

    def __init__(self, stack: Any) -> None:
        self.mapping = stack.stream_mapping()
        self.window = stack.batching_window()
        self._shard = stack.stream_shard()
        self._position = 0
        self._lanes: list[list[tuple[float, dict[str, Any]]]] = [
            [] for _ in range(self.mapping.parallelization)
        ]
        self._clock = stack.clock

    def batches(self, until: float) -> list[list[dict[str, Any]]]:
        records = self._shard.items[self._position :]
        self._position += len(records)
        now = self._clock.offset
        for stream_record in records:
            record = _lambda_record(stream_record)
            if self.mapping.admits(record):
                key = json.dumps(record["dynamodb"]["Keys"], sort_keys=True).encode()
                self._lanes[zlib.crc32(key) % len(self._lanes)].append((now, record))
        due = []
        size = self.mapping.batch_size
        for lane in self._lanes:
            while len(lane) >= size or (lane and lane[0][0] + self.window <= until):
                due.append([record for _, record in lane[:size]])
                del lane[:size]
        return due


def _lambda_record(stream_record: Any) -> dict[str, Any]:
    """As Lambda delivers a DynamoDB stream record (streams.py's reading of moto's)."""
    from socialcare_cli.triage_replay import epoch_seconds

    record = json.loads(json.dumps(stream_record.to_json(), default=epoch_seconds))
    record["eventSourceARN"] = (
        f"arn:aws:dynamodb:us-east-1:{_ACCOUNT}:table/crisis-CasesTable/stream/1"
    )
    return record


# The crisis's share simulated at full scale: 3,000 of its 600,000 deliveries, spread over
# its ten minutes (moto answers a call in about a millisecond; README "Crisis simulator").
FRACTION_AT_FULL_SCALE = 0.005


def measure(scale: float = 1.0) -> dict[str, Any]:
    """`make bench`'s step: the issue's burst, in a process of its own (moto's backends,
    the functions' environment)."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "crisis.json"
        arguments = ["--rate", "1000", "--seconds", "600"]
        arguments += ["--fraction", str(FRACTION_AT_FULL_SCALE * scale), "-o", str(output)]
        completed = subprocess.run(  # noqa: S603 (this interpreter, our module)
            [sys.executable, "-m", "socialcare_cli.bench.crisis", *arguments],
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode not in (0, 1) or not output.exists():
            raise RuntimeError(f"crisis simulator failed:\n{completed.stderr[-2000:]}")
        return json.loads(output.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    from socialcare_cli.local.stack import project_root

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=int, default=1000, help="deliveries a second")
    parser.add_argument("--seconds", type=int, default=600, help="simulated seconds")
    parser.add_argument(
        "--fraction",
        type=float,
        default=1.0,
        help="share of the deliveries simulated (shared keys scaled back: README)",
    )
    parser.add_argument("--seed", type=int, default=32)
    parser.add_argument("-o", "--output", type=Path, help="write the results here (JSON)")
    args = parser.parse_args(argv)
    results = Simulation(project_root(), args.rate, args.seconds, args.fraction, args.seed).run()
    text = json.dumps(results, indent=2, ensure_ascii=False)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
    from socialcare_cli.bench.crisis_report import table_lines

    print("\n".join(table_lines(results)))
    return 0 if results["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
