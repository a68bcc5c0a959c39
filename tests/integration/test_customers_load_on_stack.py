"""`socialcare customers load FILE.csv --local URL`: the brand's known customers in the
local stack's customers table, and what triage makes of them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from socialcare_cli.local.stack import LocalStack
from socialcare_cli.main import main
from tests.conftest import sample
from tests.integration.workflow_helpers import deliver, deliver_more, wait_for

# The Instagram author of events/meta_instagram_dm.json: not among config/customers.yaml
LISTED = "instagram,987650000000001,HOG-2026-000042,Marta Gil\n"
HEADER = "platform,author_id,reference,name\n"


def _table(stack: LocalStack) -> list[dict[str, Any]]:
    answer = stack.client("dynamodb").scan(TableName=stack.refs["CustomersTable"])
    return sorted(answer["Items"], key=lambda item: item["customer_key"]["S"])


def _load(tmp_path: Path, api: str, text: str) -> int:
    path = tmp_path / "customers.csv"
    path.write_text(text, encoding="utf-8")
    return main(["customers", "load", str(path), "--local", api])


def test_a_listed_author_is_triaged_as_a_customer_with_the_crms_reference(
    stack: LocalStack, api: str, tmp_path: Path, capsys
):
    # Given the brand's file lists an Instagram author, loaded into the stack
    assert _load(tmp_path, api, HEADER + LISTED) == 0
    assert capsys.readouterr().out.startswith("1 customers loaded into ")
    # When they write, and so does someone the file does not list
    listed = deliver(stack, sample("meta_instagram_dm"))
    other = deliver_more(stack, sample("x_dm"))
    # Then triage finds the listed author a customer, and tells the department their
    # reference; the other is not one
    case = wait_for(stack, listed, lambda c: "triage" in c)
    assert case["triage"]["relation"] == "customer"
    assert case["customer_reference"] == "HOG-2026-000042"
    assert wait_for(stack, other, lambda c: "triage" in c)["triage"]["relation"] != "customer"


def test_loading_the_same_file_again_changes_nothing_and_keeps_who_it_does_not_list(
    stack: LocalStack, api: str, tmp_path: Path
):
    # Given the example customers (config/customers.yaml) and the brand's file loaded once
    example = _table(stack)
    text = HEADER + LISTED + "whatsapp,+34 611 22 33 44,AUT-2026-7,\n"
    assert _load(tmp_path, api, text) == 0
    once = _table(stack)
    # When the same file is loaded again
    assert _load(tmp_path, api, text) == 0
    # Then the table is as it was, and no one absent from the file was removed
    assert _table(stack) == once
    assert len(once) == len(example) + 2 and all(item in once for item in example)


def test_a_file_with_one_bad_row_writes_nothing(stack: LocalStack, api: str, tmp_path: Path):
    # Given a file whose last row is not a Telegram id
    before = _table(stack)
    text = HEADER + LISTED + "telegram,@nuria,,\n"
    # When it is loaded
    # Then the command fails and the table is untouched (not even the good first row)
    assert _load(tmp_path, api, text) == 1
    assert _table(stack) == before
