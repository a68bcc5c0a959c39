"""Every secret the stack outputs present and well shaped, and the outbound mode. A
secret's value is never printed: only which keys are empty or malformed."""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

from socialcare_cli.doctor.checks import Check
from socialcare_cli.doctor.stack_facts import function_environment
from socialcare_cli.stack_target import StackTarget

# Tokens a brand may well leave empty: an X public client has no secret; the expiry is
# written by the stack when it refreshes; the Meta app secret's copy is needed only when
# the app requires appsecret_proof ("Require App Secret" in the app's settings); the
# WhatsApp account id only serves `connect meta` (the platform checks name it when a
# WhatsApp token is set without it).
_OPTIONAL_TOKENS = {
    "x_client_secret",
    "x_token_expires_at",
    "meta_app_secret",
    "whatsapp_business_account_id",
}


# GetSecretValue's errors that are about the secret, not about the caller
# (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html):
# InvalidRequestException is "the secret is scheduled for deletion" (among others).
_UNREADABLE = {
    "ResourceNotFoundException": "does not exist (deleted?)",
    "InvalidRequestException": "cannot be read: scheduled for deletion? (restore-secret)",
}


def secret_checks(target: StackTarget) -> list[Check]:
    from botocore.exceptions import ClientError

    secrets = target.client("secretsmanager")
    checks = []
    for output, arn in sorted(target.outputs.items()):
        if not output.endswith(("SecretArn", "SecretsArn")):
            continue
        name = f"secret {output.removesuffix('Arn')}"
        try:
            value = secrets.get_secret_value(SecretId=arn).get("SecretString", "")
        except ClientError as error:
            problem = _UNREADABLE.get(error.response["Error"]["Code"])
            if problem is None:
                raise
            checks.append(Check(name, False, f"{arn} {problem}"))
            continue
        checks.append(secret_shape_check(name, output, value))
    return checks


def secret_shape_check(name: str, output: str, value: str) -> Check:
    from socialcare.domain.credentials import PlatformSecrets, PlatformTokens
    from socialcare.domain.values import InvalidValue

    shapes: dict[str, tuple[type[PlatformSecrets] | type[PlatformTokens], set[str]]] = {
        "PlatformSecretsArn": (PlatformSecrets, set()),
        "PlatformTokensSecretArn": (PlatformTokens, _OPTIONAL_TOKENS),
    }
    if output not in shapes:
        return Check(name, bool(value.strip()), "set" if value.strip() else "empty")
    model, optional = shapes[output]
    try:
        document = json.loads(value)
    except ValueError:
        return Check(name, False, "not JSON (put-secret-value with a JSON object)")
    if not isinstance(document, dict):
        return Check(name, False, "not a JSON object")
    try:
        model.from_document(document)
    except InvalidValue as error:  # its message names the field, never the input
        return Check(name, False, f"not well shaped: {error}")
    keys = [f.name for f in fields(model)]
    empty = [k for k in keys if _empty(document.get(k))]
    required = [k for k in empty if k not in optional]
    if required:
        return Check(name, False, f"empty: {', '.join(required)}")
    return Check(name, True, f"{len(keys) - len(empty)} of {len(keys)} keys set")


def _empty(value: Any) -> bool:
    if isinstance(value, dict):
        return not value or any(_empty(v) for v in value.values())
    return value is None or (isinstance(value, str) and not value.strip())


def outbound_checks(target: StackTarget) -> list[Check]:
    """Informational: dry_run is where a deployed stack starts (README), not a fault."""
    mode = function_environment(target).get("OUTBOUND_MODE", "")
    if mode == "live":
        return [Check("outbound mode", True, "live: answers are sent on the platforms")]
    if mode == "dry_run":
        return [
            Check(
                "outbound mode",
                True,
                "dry_run: answers are only recorded on their cases; deploy with "
                "OutboundMode=live once the tokens are set and the dry run reads right",
            )
        ]
    return [Check("outbound mode", False, f"unknown OUTBOUND_MODE {mode!r} (dry_run or live)")]
