"""`socialcare security expand`: the template as CloudFormation receives it (after the SAM
transform, with the roles SAM generates), and each IAM policy in it with its intrinsic
functions replaced by ARNs of the right shape, so that policy linters (parliament, checkov
in `make security`) judge what AWS will enforce, not what template.yaml reads like."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from socialcare_cli.local.template import resolve

REGION, ACCOUNT, STACK = "eu-west-1", "123456789012", "socialcare"
_PSEUDO = {
    "AWS::Partition": "aws",
    "AWS::Region": REGION,
    "AWS::AccountId": ACCOUNT,
    "AWS::StackName": STACK,
    "AWS::URLSuffix": "amazonaws.com",
}
# What Ref and GetAtt <id>.Arn give for each kind of resource, shaped as AWS shapes them.
_ARNS = {
    "AWS::DynamoDB::Table": "arn:aws:dynamodb:{region}:{account}:table/{name}",
    "AWS::SQS::Queue": "arn:aws:sqs:{region}:{account}:{name}",
    "AWS::SecretsManager::Secret": "arn:aws:secretsmanager:{region}:{account}:secret:{name}-AbCdEf",
    "AWS::Lambda::Function": "arn:aws:lambda:{region}:{account}:function:{name}",
    "AWS::StepFunctions::StateMachine": "arn:aws:states:{region}:{account}:stateMachine:{name}",
    "AWS::S3::Bucket": "arn:aws:s3:::{name}",
    "AWS::IAM::Role": "arn:aws:iam::{account}:role/{name}",
    "AWS::Logs::LogGroup": "arn:aws:logs:{region}:{account}:log-group:{name}:*",
    # https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncognitouserpools.html
    "AWS::Cognito::UserPool": "arn:aws:cognito-idp:{region}:{account}:userpool/{region}_AbCdEf123",
}
# Ref gives the ARN for these; a name (or URL) for the others.
_REF_IS_ARN = {
    "AWS::SecretsManager::Secret",
    "AWS::StepFunctions::StateMachine",
}


def expand(root: Path) -> dict[str, Any]:
    """The SAM transform of template.yaml, offline (local code paths become S3 URIs)."""
    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    from samtranslator.translator.transform import transform
    from samtranslator.yaml_helper import yaml_parse

    template = yaml_parse((root / "template.yaml").read_text(encoding="utf-8"))
    for resource in template["Resources"].values():
        properties = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri", "DefinitionUri"):
            if isinstance(properties.get(key), str):
                properties[key] = f"s3://{STACK}-artifacts/{key.lower()}"

    class NoManagedPolicyNames:
        """The template names no managed policy by name, so nothing needs looking up."""

        def load(self) -> dict[str, str]:
            return {}

    return transform(template, {}, NoManagedPolicyNames())


def policies(expanded: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every inline policy of every role, resolved: "<role>-<policy>" -> document."""
    resources = expanded["Resources"]
    refs = {**_PSEUDO, "AWS::NoValue": None}
    refs.update(
        {
            name: str(spec.get("Default", name))
            for name, spec in expanded.get("Parameters", {}).items()
        }
    )
    refs.update({logical_id: _arn(logical_id, resources, ref=True) for logical_id in resources})
    attributes = {f"{lid}.Arn": _arn(lid, resources, ref=False) for lid in resources}
    for lid, resource in resources.items():
        if resource["Type"] == "AWS::DynamoDB::Table":  # a stream's ARN: the table's, labelled
            # A real label is a time with colons; parliament splits ARNs on ":", so the
            # stand-in has none.
            label = "2026-01-01T00.00.00.000"
            attributes[f"{lid}.StreamArn"] = f"{attributes[f'{lid}.Arn']}/stream/{label}"
    found = {}
    for logical_id, resource in resources.items():
        if resource["Type"] != "AWS::IAM::Role":
            continue
        for policy in resource["Properties"].get("Policies", []):
            document = resolve(_either(policy["PolicyDocument"]), refs, attributes)
            found[f"{logical_id}-{policy['PolicyName']}"] = _without_none(document)
    return found


def _arn(logical_id: str, resources: dict[str, Any], *, ref: bool) -> str:
    kind = resources[logical_id]["Type"]
    shape = _ARNS.get(kind)
    if shape is None or (ref and kind not in _REF_IS_ARN):
        return logical_id.lower()
    return shape.format(region=REGION, account=ACCOUNT, name=logical_id.lower())


def _either(value: Any) -> Any:
    """Fn::If as its "true" branch: of the two policies the stack may get, the larger."""
    if isinstance(value, list):
        return [_either(v) for v in value]
    if isinstance(value, dict):
        if set(value) == {"Fn::If"}:
            return _either(value["Fn::If"][1])
        return {k: _either(v) for k, v in value.items()}
    return value


def _without_none(value: Any) -> Any:
    """What AWS::NoValue removes."""
    if isinstance(value, list):
        return [_without_none(v) for v in value if v is not None]
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    return value


def write(root: Path, output: Path) -> list[Path]:
    """The expanded template and one file per resolved policy under `output`."""
    expanded = expand(root)
    (output / "policies").mkdir(parents=True, exist_ok=True)
    for stale in (output / "policies").glob("*.json"):
        stale.unlink()
    written = [output / "expanded-template.json"]
    written[0].write_text(json.dumps(expanded, indent=1, default=str), encoding="utf-8")
    for name, document in policies(expanded).items():
        path = output / "policies" / f"{name}.json"
        path.write_text(json.dumps(document, indent=1), encoding="utf-8")
        written.append(path)
    return written
