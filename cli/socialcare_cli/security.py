"""`socialcare security expand`: the template as CloudFormation receives it (after the SAM
transform, with the roles SAM generates), and each IAM policy in it with its intrinsic
functions replaced by ARNs of the right shape, so that policy linters (parliament, checkov
in `make security`) judge what AWS will enforce, not what template.yaml reads like."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

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
    found = {}
    for logical_id, resource in resources.items():
        if resource["Type"] != "AWS::IAM::Role":
            continue
        for policy in resource["Properties"].get("Policies", []):
            document = _resolve(policy["PolicyDocument"], resources, expanded)
            found[f"{logical_id}-{policy['PolicyName']}"] = document
    return found


def managed_policies(expanded: dict[str, Any]) -> dict[str, list[str]]:
    """The AWS managed policies each role gets (SAM attaches some by itself)."""
    return {
        logical_id: resource["Properties"].get("ManagedPolicyArns", [])
        for logical_id, resource in expanded["Resources"].items()
        if resource["Type"] == "AWS::IAM::Role"
    }


def _arn(logical_id: str, resources: dict[str, Any], *, ref: bool) -> str:
    kind = resources[logical_id]["Type"]
    shape = _ARNS.get(kind)
    if shape is None or (ref and kind not in _REF_IS_ARN):
        return logical_id.lower()
    return shape.format(region=REGION, account=ACCOUNT, name=logical_id.lower())


def _resolve(value: Any, resources: dict[str, Any], template: dict[str, Any]) -> Any:
    if isinstance(value, list):
        return [v for v in (_resolve(v, resources, template) for v in value) if v is not None]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Ref"}:
        name = value["Ref"]
        if name == "AWS::NoValue":
            return None
        if name in _PSEUDO:
            return _PSEUDO[name]
        if name in resources:
            return _arn(name, resources, ref=True)
        return str(template.get("Parameters", {}).get(name, {}).get("Default", name))
    if set(value) == {"Fn::GetAtt"}:
        target = value["Fn::GetAtt"]
        logical_id, _ = target.split(".", 1) if isinstance(target, str) else target
        return _arn(logical_id, resources, ref=False)
    if set(value) == {"Fn::Sub"}:
        text, variables = value["Fn::Sub"], {}
        if isinstance(text, list):
            text, variables = text[0], _resolve(text[1], resources, template)

        def substitute(found: re.Match[str]) -> str:
            name = found.group(1)
            if name in variables:
                return str(variables[name])
            if "." in name:
                return str(_resolve({"Fn::GetAtt": name}, resources, template))
            return str(_resolve({"Ref": name}, resources, template))

        return re.sub(r"\$\{([^}!]+)\}", substitute, text)
    if set(value) == {"Fn::If"}:
        # Both branches are policies the stack may get: the "true" one is the larger.
        return _resolve(value["Fn::If"][1], resources, template)
    return {k: _resolve(v, resources, template) for k, v in value.items()}


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
