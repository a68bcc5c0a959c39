"""Fuzzing: random HTTP requests, the OpenAPI description (schemathesis), parser properties."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from collections import Counter
from urllib.parse import urlencode

from socialcare_cli.local.stack import LocalStack, local_secrets, project_root
from socialcare_cli.samples import http_request


def http_fuzz(stack: LocalStack, api: str, requests: int) -> dict:
    """Random methods (also undocumented ones), paths of the API's routes, queries, headers
    and raw bodies (bytes that are not UTF-8, 5 kB of one letter): no 5xx."""
    rng = random.Random(4)
    routes = [r.route_key.split(" ", 1)[1] for r in stack.template.http_routes()]
    junk = [
        "",
        "{}",
        "[]",
        "null",
        '{"object":"page","entry":[{}]}',
        "\x00\xff",
        "a" * 5000,
        json.dumps({"update_id": 1, "message": {"text": "x" * 100}}),
        "%%%",
        "ñ€😀",
    ]
    statuses: Counter[int | str] = Counter()  # a status, or the error of no answer
    without_nosniff = 0
    for _ in range(requests):
        path = re.sub(
            r"\{[^}]+\}",
            lambda _: rng.choice(["meta", "x", "telegram", "zz", "a" * 40, "..", "%2e"]),
            rng.choice(routes),
        )
        query = urlencode(
            {
                rng.choice(["hub.mode", "crc_token", "do", "x"]): rng.choice(
                    ["subscribe", "", "ñ", "1" * 300]
                )
            }
        )
        method = rng.choice(["GET", "POST", "PUT", "DELETE"])
        headers = {
            rng.choice(
                [
                    "content-type",
                    "x-hub-signature-256",
                    "x-twitter-webhooks-signature",
                    "x-telegram-bot-api-secret-token",
                ]
            ): rng.choice(["", "sha256=00", "application/json", "ñ"])
        }
        body = rng.choice(junk).encode("utf-8", errors="surrogatepass") if method != "GET" else None
        try:
            answer = http_request(method, f"{api}{path}?{query}", headers, body)
        except Exception as error:
            statuses[type(error).__name__] += 1
            continue
        statuses[answer.status] += 1
        without_nosniff += answer.headers.get("x-content-type-options") != "nosniff"
    return {
        "sent": {"requests": requests, "routes": routes},
        "found": {
            "statuses": {str(k): v for k, v in statuses.items()},
            "without_nosniff": without_nosniff,
        },
        "ok": all(isinstance(k, int) and k < 500 for k in statuses) and without_nosniff == 0,
    }


def openapi(api: str, examples: int) -> dict:
    """schemathesis over api/openapi.yaml, positive and negative cases per operation."""
    from socialcare_cli.openapi_fuzz import fuzz

    return fuzz(api, examples, local_secrets({}), project_root() / "api" / "openapi.yaml")


def properties(examples: int) -> dict:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/unit/test_properties.py",
        ],
        cwd=project_root(),
        env={**os.environ, "FUZZ_EXAMPLES": str(examples)},
        capture_output=True,
        text=True,
        check=False,
    )
    return {
        "sent": {"examples_per_property": examples},
        "found": {"pytest": result.stdout.strip().splitlines()[-1:]},
        "ok": result.returncode == 0,
    }
