"""A person is found, exported and erased by every identifier a platform gave for them,
on the local stack with the README's commands: a WhatsApp customer by her phone or by her
business-scoped user id (BSUID), whichever she wrote with; a handle alone only leads to
the ids that used it.

WhatsApp's messages webhook (https://developers.facebook.com/documentation/business-
messaging/whatsapp/webhooks/reference/messages/order.md): `messages[].from` is the phone
(omitted when WhatsApp withholds it), `messages[].from_user_id` the BSUID;
`contacts[].wa_id` the phone, `contacts[].user_id` the BSUID, `contacts[].profile.username`
the username of a user who adopted one."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest

from socialcare_cli.synthetic import dated
from tests.conftest import sample_payload, signed_event
from tests.integration.test_privacy_on_stack import everything_in, privacy

PHONE, BSUID, USERNAME = "34699000111", "ES.1410018717833190", "nuria.campos"
OTHER_PHONE = "34600222333"
TEXTS = (
    "Os escribo desde mi número: el recibo de octubre me lo cobrasteis dos veces",
    "Ahora con mi nombre de usuario: sigo sin la devolución del recibo",
    "Y otra vez, ¿me devolvéis el recibo duplicado?",
)
OTHER_TEXT = "Buenas, quería saber el estado de mi parte de hogar"


def whatsapp_from(text: str, n: int, *, phone: str | None = None, bsuid: str | None = None) -> dict:
    """A signed WhatsApp delivery (now) of one text from a user known by her phone, her
    BSUID (with her username), or both, as the Cloud API sends each."""
    body = dated(sample_payload("meta_whatsapp_text"), datetime.now(UTC))
    value = body["entry"][0]["changes"][0]["value"]
    message = copy.deepcopy(value["messages"][0])
    message.pop("from")
    message.update(id=f"wamid.identities{n}", text={"body": text})
    contact: dict = {"profile": {"name": "Nuria C"}}
    if phone:
        message["from"] = contact["wa_id"] = phone
    if bsuid:
        message["from_user_id"] = contact["user_id"] = bsuid
        contact["profile"]["username"] = USERNAME
    value["messages"], value["contacts"] = [message], [contact]
    return signed_event("meta", body)


def written(stack, *deliveries: dict) -> None:
    for delivery in deliveries:
        assert stack.function("WebhookFunction").invoke(delivery)["statusCode"] == 200
        stack.wait_until_triaged()


def someone_else(stack) -> str:
    written(stack, whatsapp_from(OTHER_TEXT, 99, phone=OTHER_PHONE))
    [case] = [c for c in stack.list_cases() if c["author"]["id"] == OTHER_PHONE]
    return case["id"]


def who(author: str) -> list[str]:
    return ["--platform", "whatsapp", "--author", author]


@pytest.mark.parametrize(
    ("sent_with", "asked_by"),
    [
        ({"phone": PHONE, "bsuid": BSUID}, PHONE),
        ({"phone": PHONE, "bsuid": BSUID}, BSUID),
        ({"phone": PHONE}, PHONE),
        ({"bsuid": BSUID}, BSUID),
    ],
    ids=["both-by-phone", "both-by-bsuid", "phone-only", "bsuid-only"],
)
def test_a_whatsapp_customer_is_found_exported_and_erased_by_the_id_she_gives(
    stack, api, tmp_path, capsys, sent_with, asked_by
):
    # Given her WhatsApp message, sent with her phone, her BSUID, or both; and another's
    written(stack, whatsapp_from(TEXTS[0], 0, **sent_with))
    other = someone_else(stack)
    # When ops look for her by the id she gives
    code, found = privacy(capsys, "find", *who(asked_by), "--local", api)
    # Then her case is found
    assert code == 0 and "cases: 1" in found, found
    # ... and exported
    export = tmp_path / "nuria.json"
    code, _ = privacy(capsys, "export", *who(asked_by), "--local", api, "-o", str(export))
    document = json.loads(export.read_text())
    assert code == 0 and [m["text"] for m in document["cases"][0]["messages"]] == [TEXTS[0]]
    # When she is erased by it
    code, erased = privacy(capsys, "erase", *who(asked_by), "--local", api, "--yes")
    # Then none of her ids, her username or her text is left anywhere; the other stays
    assert code == 0 and "audit record" in erased, erased
    remaining = everything_in(stack, executions=False)
    for trace in (PHONE, BSUID, USERNAME, TEXTS[0]):
        assert trace not in remaining, trace
    assert [c["id"] for c in stack.list_cases()] == [other]


def test_a_customer_who_wrote_by_phone_then_by_bsuid_then_with_both_is_found_whole_by_either(
    stack, api, capsys
):
    # Given her phone-only message (one case), a BSUID-only one (another case: WhatsApp
    # withheld her phone), and one with both (it joins the BSUID's open case)
    written(
        stack,
        whatsapp_from(TEXTS[0], 0, phone=PHONE),
        whatsapp_from(TEXTS[1], 1, bsuid=BSUID),
        whatsapp_from(TEXTS[2], 2, phone=PHONE, bsuid=BSUID),
    )
    other = someone_else(stack)
    assert len(stack.list_cases()) == 3
    # When ops look for her by either id
    for asked_by in (PHONE, BSUID):
        code, found = privacy(capsys, "find", *who(asked_by), "--local", api)
        # Then both her cases and all three messages are found
        assert code == 0 and "cases: 2" in found and "messages: 3" in found, (asked_by, found)
    # ... and her username leads to her BSUID, for ops to confirm with her
    code, used = privacy(capsys, "find", "--handle", f"whatsapp#@{USERNAME}", "--local", api)
    assert code == 0 and f"--platform whatsapp --author {BSUID}: 1 cases" in used, used
    # When she is erased by her phone
    code, _ = privacy(capsys, "erase", *who(PHONE), "--local", api, "--yes")
    # Then nothing of hers is left, and her BSUID finds nothing either
    remaining = everything_in(stack, executions=False)
    for trace in (PHONE, BSUID, USERNAME, *TEXTS):
        assert trace not in remaining, trace
    assert [c["id"] for c in stack.list_cases()] == [other]
    code, again = privacy(capsys, "find", *who(BSUID), "--local", api)
    assert code == 0 and "nothing found" in again


def as_the_last_version_wrote_it(stack) -> None:
    """The table as the version before wrote it: each case indexed under its raw author
    id alone (`PERSON#<platform>#<author id>`), no item for its other identities."""
    dynamodb = stack.client("dynamodb")
    for item in dynamodb.scan(TableName=stack.cases_table)["Items"]:
        key = {"PK": item["PK"], "SK": item["SK"]}
        if item["SK"]["S"].startswith(("PERSON#", "HANDLE#")):
            dynamodb.delete_item(TableName=stack.cases_table, Key=key)
        elif item["SK"]["S"] == "CASE":
            dynamodb.update_item(
                TableName=stack.cases_table,
                Key=key,
                UpdateExpression="SET GSI2PK = :raw",
                ExpressionAttributeValues={":raw": {"S": "PERSON#" + item["author_key"]["S"]}},
            )
        elif item["SK"]["S"] == "OPEN_CASE":
            dynamodb.update_item(
                TableName=stack.cases_table, Key=key, UpdateExpression="REMOVE identities"
            )


def test_cases_indexed_by_the_last_version_are_found_by_every_id_after_privacy_index(
    stack, api, capsys
):
    # Given her case with phone and BSUID, as the last version indexed it
    written(stack, whatsapp_from(TEXTS[0], 0, phone=PHONE, bsuid=BSUID))
    as_the_last_version_wrote_it(stack)
    assert "cases: 1" in privacy(capsys, "find", *who(BSUID), "--local", api)[1]
    assert "nothing found" in privacy(capsys, "find", *who(PHONE), "--local", api)[1]
    # When ops run the migration, twice
    code, first = privacy(capsys, "index", "--local", api)
    _, second = privacy(capsys, "index", "--local", api)
    # Then her phone finds her too, and no index key holds her ids any more
    assert code == 0 and "1 cases" in first and "2 identities" in first, first
    assert "0 cases and 0 items outside" in second and "0 identities" in second, second
    code, found = privacy(capsys, "find", *who(PHONE), "--local", api)
    assert code == 0 and "cases: 1" in found, found
    items = stack.client("dynamodb").scan(TableName=stack.cases_table)["Items"]
    keys = json.dumps(
        [{k: v for k, v in i.items() if k.startswith(("PK", "SK", "GSI"))} for i in items]
    )
    for trace in (PHONE, BSUID, USERNAME):
        assert trace not in keys, trace
