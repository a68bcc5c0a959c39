"""The identity slice's AWS adapters against recording fakes: signed-out sessions in the
cases table, and the pool's people through Cognito's admin API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from botocore.exceptions import ClientError

from socialcare.adapters.cognito_users import CognitoConsoleUsers
from socialcare.adapters.dynamodb.console_sessions import DynamoDBRevokedSessions
from socialcare.domain.console_accounts import InvalidAccount, checked_email, username_for
from socialcare.domain.console_users import Role


@dataclass
class FakeDynamoDB:
    items: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    reads: list[dict[str, Any]] = field(default_factory=list)

    def put_item(self, TableName: str, Item: dict[str, Any]) -> None:
        self.items[(Item["PK"]["S"], Item["SK"]["S"])] = Item

    def get_item(self, **request: Any) -> dict[str, Any]:
        self.reads.append(request)
        key = request["Key"]
        found = self.items.get((key["PK"]["S"], key["SK"]["S"]))
        return {"Item": found} if found else {}


def test_a_revoked_session_is_refused_until_its_tokens_expire_then_forgotten() -> None:
    # Given a session revoked until t=1,900
    clock = [1_000.0]
    dynamodb = FakeDynamoDB()
    sessions = DynamoDBRevokedSessions(dynamodb, "cases", clock=lambda: clock[0])
    sessions.revoke("origin-1", 1_900)

    # Then it is refused until then (read strongly consistent), with a TTL for DynamoDB
    assert sessions.is_revoked("origin-1") and not sessions.is_revoked("origin-2")
    assert dynamodb.reads[0]["ConsistentRead"] is True
    item = dynamodb.items[("SESSION#origin-1", "REVOKED")]
    assert item["expires_at"] == {"N": "1900"}
    # And after it, even before TTL deletes the item, it no longer matters
    clock[0] = 1_901.0
    assert not sessions.is_revoked("origin-1")
    assert not sessions.is_revoked("")


@dataclass
class FakeCognito:
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    existing: set[str] = field(default_factory=set)

    def admin_create_user(self, **request: Any) -> None:
        self.calls.append(("admin_create_user", request))
        if request["Username"] in self.existing:
            raise ClientError({"Error": {"Code": "UsernameExistsException"}}, "AdminCreateUser")

    def admin_add_user_to_group(self, **request: Any) -> None:
        self.calls.append(("admin_add_user_to_group", request))


def test_a_deployed_pool_emails_the_temporary_password_and_socialcare_never_sees_it() -> None:
    # Given the deployed pool's admin API
    cognito = FakeCognito()

    # When an approver is added
    created = CognitoConsoleUsers(cognito, "eu-west-1_P").add(
        "luis@brand.example", "luis", Role.APPROVER
    )

    # Then Cognito makes and emails the password; the person joins the approvers
    create = cognito.calls[0][1]
    assert created.temporary_password is None
    assert "TemporaryPassword" not in create and "MessageAction" not in create
    assert create["DesiredDeliveryMediums"] == ["EMAIL"]
    assert cognito.calls[1] == (
        "admin_add_user_to_group",
        {"UserPoolId": "eu-west-1_P", "Username": "luis", "GroupName": "approvers"},
    )


def test_a_local_pool_is_given_a_temporary_password_to_print() -> None:
    # Given the local pool (it sends no email)
    cognito = FakeCognito()
    created = CognitoConsoleUsers(cognito, "p", print_password=True).add(
        "a@b.example", "a", Role.AGENT
    )
    # Then the password it was given is returned, the invitation suppressed
    assert created.temporary_password == cognito.calls[0][1]["TemporaryPassword"]
    assert cognito.calls[0][1]["MessageAction"] == "SUPPRESS"


def test_someone_already_there_is_refused_in_words() -> None:
    cognito = FakeCognito(existing={"ana"})
    with pytest.raises(InvalidAccount, match="already a console user"):
        CognitoConsoleUsers(cognito, "p").add("ana@b.example", "ana", Role.AGENT)


@pytest.mark.parametrize(
    ("email", "chosen", "expected"),
    [
        ("Ana.Garcia@Brand.es", None, "ana.garcia"),
        ("ana@brand.es", "ana_g", "ana_g"),
    ],
)
def test_usernames_are_handles_an_at_mention_can_name(
    email: str, chosen: str | None, expected: str
) -> None:
    assert username_for(email, chosen) == expected


@pytest.mark.parametrize(
    ("email", "chosen"), [("no-at-sign", None), ("a b@c.es", None), ("ana@b.es", "ana garcia")]
)
def test_what_cannot_be_a_console_user_is_refused(email: str, chosen: str | None) -> None:
    with pytest.raises(InvalidAccount):
        username_for(checked_email(email) if chosen else email, chosen)
