"""SES: the sender verified, sending not paused, and in the sandbox every address the
stack emails verified too.

SES v2 GetAccount (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_GetAccount.html):
`ProductionAccessEnabled` false is the sandbox, where "you can only send email to verified
identities" (200 a day, 1 a second); `SendingEnabled` false: sending paused;
`EnforcementStatus` SHUTDOWN: paused by SES. ListEmailIdentities
(https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_ListEmailIdentities.html):
every identity, verified or not, with its `VerificationStatus` and `SendingEnabled`. An
address is verified by itself or through its verified domain.
"""

from __future__ import annotations

from typing import Any

from socialcare_cli.doctor.checks import Check
from socialcare_cli.doctor.stack_facts import function_environment
from socialcare_cli.stack_target import StackTarget

PRODUCTION_ACCESS = "https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html"


def ses_checks(target: StackTarget) -> list[Check]:
    from socialcare.config.loaders import routing_config

    sender = function_environment(target).get("SENDER_EMAIL", "")
    sesv2 = target.client("sesv2")
    account = sesv2.get_account()
    verified = verified_identities(sesv2)
    return [
        sender_check(sender, verified),
        sending_check(account),
        sandbox_check(account),
        recipients_check(account, verified, routing_config().email_addresses()),
    ]


def verified_identities(sesv2: Any) -> set[str]:
    """The identities SES sends from or, in the sandbox, to (lower-cased)."""
    found: set[str] = set()
    request: dict[str, Any] = {"PageSize": 1000}
    while True:
        page = sesv2.list_email_identities(**request)
        for identity in page.get("EmailIdentities", []):
            if identity.get("VerificationStatus") == "SUCCESS" and identity.get(
                "SendingEnabled", True
            ):
                found.add(identity["IdentityName"].lower())
        if not page.get("NextToken"):
            return found
        request["NextToken"] = page["NextToken"]


def is_verified(address: str, verified: set[str]) -> bool:
    address = address.lower()
    return address in verified or address.rpartition("@")[2] in verified


def sender_check(sender: str, verified: set[str]) -> Check:
    name = "ses sender verified"
    if not sender:
        return Check(name, False, "the functions have no SENDER_EMAIL (deploy this version)")
    if is_verified(sender, verified):
        return Check(name, True, sender)
    return Check(
        name,
        False,
        f"{sender} is not a verified identity: verify it (or its domain) in SES "
        "(aws sesv2 create-email-identity), then follow the link SES emails",
    )


def sending_check(account: dict[str, Any]) -> Check:
    name = "ses sending enabled"
    status = account.get("EnforcementStatus", "HEALTHY")
    if not account.get("SendingEnabled", False):
        return Check(
            name,
            False,
            f"sending is paused for the account (enforcement {status}): "
            "aws sesv2 put-account-sending-attributes --sending-enabled, or ask AWS if SES "
            "paused it",
        )
    if status == "SHUTDOWN":
        return Check(name, False, "SES shut sending down (enforcement SHUTDOWN): ask AWS")
    return Check(name, True, f"enforcement {status}")


def sandbox_check(account: dict[str, Any]) -> Check:
    """Informational: in the sandbox the stack still works, for verified addresses."""
    if account.get("ProductionAccessEnabled", False):
        return Check("ses production access", True, "any address")
    quota = account.get("SendQuota", {})
    return Check(
        "ses production access",
        True,
        f"sandbox: only verified addresses, {quota.get('Max24HourSend', 200):g} a day, "
        f"{quota.get('MaxSendRate', 1):g} a second; request production access "
        f"({PRODUCTION_ACCESS})",
    )


def recipients_check(
    account: dict[str, Any], verified: set[str], addresses: tuple[str, ...]
) -> Check:
    name = "ses recipients verified"
    if account.get("ProductionAccessEnabled", False):
        return Check(name, True, "production access: any address")
    missing = [a for a in addresses if not is_verified(a, verified)]
    if missing:
        return Check(
            name,
            False,
            f"in the sandbox SES sends only to verified addresses; not verified: "
            f"{', '.join(missing)} (verify each, or request production access)",
        )
    return Check(name, True, f"sandbox, all {len(addresses)} addresses in routing.yaml")
