"""`make security`'s parliament step: parliament's findings on the expanded policies, less
the few that AWS's own documentation asks for, each named here by policy file and action
with its URL. (parliament's own `ignore_locations` never matches a location read from a
YAML config: its make_list only accepts jsoncfg nodes.) Exit 1 on any other finding, or
when parliament itself fails.

    python -m socialcare_cli.parliament_gate PARLIAMENT POLICIES_DIR
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# (issue, policy file, actions): what AWS documents, with where it says so.
DOCUMENTED = {
    # Step Functions writes the log group's resource policy when it sets up logging; AWS's
    # example policy for a state machine that logs lists the action, on "*".
    # https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html
    (
        "PERMISSIONS_MANAGEMENT_ACTIONS",
        "CaseWorkflowRole-CaseWorkflowRolePolicy0.json",
        ("logs:putresourcepolicy",),
    ),
}


# (policy file, action) whose resource is AWS's documented ARN that parliament cannot
# match: a Bedrock foundation model's ARN ends in its model id, which has a colon of its own
# ("anthropic.claude-3-haiku-20240307-v1:0",
# https://docs.aws.amazon.com/bedrock/latest/userguide/models-supported.html), and the
# format is arn:${Partition}:bedrock:${Region}::foundation-model/${ResourceId}
# (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonbedrock.html).
UNMATCHABLE_ARNS = {("TriageFunctionRole-TriageFunctionRolePolicy0.json", "bedrock:invokemodel")}


def undocumented(findings: list[dict]) -> list[dict]:
    return [
        finding
        for finding in findings
        if (
            finding["issue"],
            Path(finding["location"].get("filepath", "")).name,
            tuple(finding["location"].get("actions", ())),
        )
        not in DOCUMENTED
        and not _unmatchable(finding)
    ]


def _unmatchable(finding: dict) -> bool:
    if finding["issue"] != "RESOURCE_MISMATCH" or not isinstance(finding.get("detail"), list):
        return False
    policy = Path(finding["location"].get("filepath", "")).name
    actions = {str(d.get("action", "")).lower() for d in finding["detail"]}
    return bool(actions) and all((policy, a) in UNMATCHABLE_ARNS for a in actions)


def main(parliament: str, policies: str) -> int:
    ran = subprocess.run(  # noqa: S603 (the Makefile's own linter binary)
        [
            parliament,
            "--directory",
            policies,
            "--include_policy_extension",
            "json",
            "--include-community-auditors",
            "--json",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        check=False,
    )
    if ran.returncode not in (0, 1) or ran.stderr.strip():
        print(f"parliament failed ({ran.returncode}): {ran.stderr.strip()}", file=sys.stderr)
        return 1
    findings = [json.loads(line) for line in ran.stdout.splitlines() if line.strip()]
    remaining = undocumented(findings)
    for finding in remaining:
        print(json.dumps(finding))
    count = len(list(Path(policies).glob("*.json")))
    excused = len(findings) - len(remaining)
    print(
        f"parliament: {len(remaining)} findings in {count} policies ({excused} documented by AWS)"
    )
    return 1 if remaining else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
