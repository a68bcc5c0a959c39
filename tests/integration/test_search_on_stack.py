"""The message search on the local stack: the adapter's index entries (moto's DynamoDB, in
this process) hold only digests and find their case; a delivered message is indexed by the
stream and found by its words through the console (accents or none), not by a word it
lacks, only by signed-in people; erasing its author takes the entries, and the export does
not list them."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from socialcare.adapters.dynamodb.search_index import DynamoDBSearchIndex, word_pk
from socialcare.adapters.dynamodb.table import CasesTable
from socialcare_cli.local.http import to_http_api_event
from socialcare_cli.main import main
from socialcare_cli.synthetic import dated
from tests.conftest import sample_payload, signed_event
from tests.integration.test_console_inbox_on_stack import ANA, _console

TELEGRAM_AUTHOR = "555000111"  # events/telegram_message.json's sender


@pytest.fixture
def table(stack):
    return CasesTable(stack.client("dynamodb"), stack.cases_table)


def test_the_index_holds_digests_and_finds_the_newest_cases_of_a_word(stack, table):
    # Given two cases' messages indexed, one of 30 words (two batches of BatchWriteItem)
    index = DynamoDBSearchIndex(table)
    now = datetime.now(UTC)
    many = [f"palabra{n}" for n in range(29)]
    assert index.index("20261207-00000000000000a1", now - timedelta(hours=2), ["reembolso"]) == 1
    assert index.index("20261207-00000000000000a2", now, ["reembolso", *many]) == 30

    # When the word's postings are read
    found = index.postings("reembolso", now - timedelta(days=90), 10)

    # Then both cases, the newest first once sorted; nothing for a word never written
    assert sorted(found, reverse=True)[0][1] == "20261207-00000000000000a2"
    assert {case for _, case in found} == {"20261207-00000000000000a1", "20261207-00000000000000a2"}
    assert index.postings("factura", now - timedelta(days=90), 10) == []
    # And an entry keeps no text: a digest key, the case in the person index, a TTL
    items = stack.client("dynamodb").scan(TableName=stack.cases_table)["Items"]
    entries = [i for i in items if i["PK"]["S"].startswith("WORD#")]
    assert len(entries) == 31
    assert not any("reembolso" in json.dumps(i) for i in entries)
    entry = next(i for i in entries if i["SK"]["S"].endswith("a1"))
    assert entry["PK"]["S"] in {word_pk("reembolso", shard) for shard in range(4)}
    assert entry["GSI2PK"]["S"] == "CASE#20261207-00000000000000a1"
    expected_ttl = int((now - timedelta(hours=2) + timedelta(days=90)).timestamp())
    assert int(entry["expires_at"]["N"]) == expected_ttl
    assert set(entry) == {"PK", "SK", "GSI2PK", "GSI2SK", "expires_at"}


def _delivered(stack) -> str:
    event = signed_event("telegram", dated(sample_payload("telegram_message"), datetime.now(UTC)))
    assert stack.function("WebhookFunction").invoke(event)["statusCode"] == 200
    [case] = stack.list_cases()
    return str(case["id"])


def _indexed(stack, table, case_id: str, word: str) -> None:
    """Until the stream function has written the message's entries."""
    index = DynamoDBSearchIndex(table)
    since = datetime.now(UTC) - timedelta(days=90)
    for _ in range(300):
        if case_id in {case for _, case in index.postings(word, since, 10)}:
            return
        time.sleep(0.1)
    raise AssertionError(f"{word} of case {case_id} never indexed")


def _asked(stack, query: str) -> dict[str, Any]:
    body = json.dumps({"q": query}).encode()
    headers = {"content-type": "application/json"}
    route = "ANY /console/{proxy+}"
    event = to_http_api_event("POST", "/console/api/cases/search", "", headers, body, route, {})
    return stack.function("ConsoleFunction").invoke(event, console=_console(ANA))


def _search(stack, query: str) -> list[str]:
    response = _asked(stack, query)
    assert response["statusCode"] == 200, response
    return [c["id"] for c in json.loads(response["body"])["cases"]]


def test_a_delivered_message_is_found_by_its_words_with_or_without_accents(stack, table):
    # Given Nuria's private Telegram message («me habéis cobrado dos veces el recibo de
    # noviembre»), indexed by the stream
    case_id = _delivered(stack)
    _indexed(stack, table, case_id, "noviembre")

    # When the console searches it by its words, accented or not, and by a word it lacks
    # Then the case is found by its words, not by another
    assert _search(stack, "habéis") == [case_id]
    assert _search(stack, "HABEIS Recibo") == [case_id]
    assert _search(stack, "recibo factura") == []
    assert _search(stack, "factura") == []
    # And a search with nothing to look for is refused in words
    refused = _asked(stack, "de")
    assert refused["statusCode"] == 400 and "search" in json.loads(refused["body"])["message"]


def test_only_signed_in_people_search_the_messages(stack, api):
    # Given the local stack's HTTP API, as `make serve` runs it
    import urllib3

    if "USER_POOL_ID" not in stack.template.function_environment("ConsoleFunction"):
        pytest.skip("the identity area's template (the pool in the function's environment)")
    # When the search is asked for without signing in
    answer = urllib3.PoolManager(retries=False).request(
        "POST", f"{api}/console/api/cases/search", json={"q": "noviembre"}
    )
    # Then it is refused: 401, nothing of any case in it
    assert answer.status == 401 and b"CASE" not in answer.data


def test_erasing_the_author_takes_the_entries_and_the_export_lists_none(
    stack, table, api, tmp_path, capsys
):
    # Given Nuria's message, indexed
    case_id = _delivered(stack)
    _indexed(stack, table, case_id, "noviembre")
    who = ["--platform", "telegram", "--author", TELEGRAM_AUTHOR, "--local", api]

    # When ops export her data, then erase it
    out = tmp_path / "export.json"
    assert main(["privacy", "export", *who, "-o", str(out)]) == 0
    exported = out.read_text()
    assert main(["privacy", "erase", *who, "--yes"]) == 0
    said = capsys.readouterr().out

    # Then the export lists no search entry; the erasure removed every one
    assert "search index" not in exported and "WORD#" not in exported
    assert "search index entries" in said
    items = stack.client("dynamodb").scan(TableName=stack.cases_table)["Items"]
    assert not [i for i in items if i["PK"]["S"].startswith("WORD#")]
    assert _search(stack, "noviembre") == []
