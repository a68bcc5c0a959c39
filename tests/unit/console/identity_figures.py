"""The identity slice's figures (not a test: nothing here asserts a time). Run from the
repository's root:

    PYTHONPATH=. .venv/bin/python -m tests.unit.console.identity_figures

`identify` warm: the median and p95 of 1,000 calls on one API request, the pool's keys in
memory, a fake revoked-session store (production adds one GetItem). Cold imports: the
median of 10 fresh interpreters importing what the console function's identity imports,
and joserfc for comparison (PYTHON=.venv-lambda/bin/python to use Lambda's build)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from socialcare.app.console_access import identify
from socialcare.presentation.console.requests import ConsoleRequest
from tests.unit.console.identity_tokens import access_dependencies, access_token

IMPORTS = {
    "cryptography's RSA (the JWKS adapter's)": (
        "from cryptography.exceptions import InvalidSignature; "
        "from cryptography.hazmat.primitives import hashes; "
        "from cryptography.hazmat.primitives.asymmetric import padding, rsa"
    ),
    "joserfc (not used)": "import joserfc.jwt, joserfc.jwk",
    "the identity area (use cases, adapters, routes)": (
        "import socialcare.app.console_access, socialcare.adapters.cognito_tokens, "
        "socialcare.adapters.cognito_login, socialcare.presentation.console.access_routes"
    ),
}


def warm_identify(calls: int = 1000) -> tuple[float, float]:
    deps = access_dependencies()
    request = ConsoleRequest(
        "GET", "/console/api/cases", headers={"authorization": f"Bearer {access_token()}"}, api=True
    )
    identify(request, deps)  # the keys, read once
    samples = []
    for _ in range(calls):
        started = time.perf_counter()
        identify(request, deps)
        samples.append((time.perf_counter() - started) * 1e6)
    samples.sort()
    return statistics.median(samples), samples[int(calls * 0.95) - 1]


def cold_import(statement: str, runs: int = 10) -> tuple[float, float, float]:
    python = os.environ.get("PYTHON", sys.executable)
    timing = f"import time; t=time.perf_counter(); {statement}; print((time.perf_counter()-t)*1000)"
    environment = {**os.environ, "PYTHONPATH": "layers/socialcare"}
    found = sorted(
        float(
            subprocess.run(  # noqa: S603 (our interpreter, our statement)
                [python, "-c", timing], capture_output=True, text=True, check=True, env=environment
            ).stdout
        )
        for _ in range(runs)
    )
    return statistics.median(found), found[0], found[-1]


if __name__ == "__main__":
    median, p95 = warm_identify()
    print(f"identify warm: median {median:.0f} us, p95 {p95:.0f} us (1,000 calls)")
    for name, statement in IMPORTS.items():
        middle, low, high = cold_import(statement)
        print(f"cold import, {name}: median {middle:.1f} ms (min {low:.1f}, max {high:.1f})")
