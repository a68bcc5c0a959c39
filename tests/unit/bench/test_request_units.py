"""What a DynamoDB request costs in request units, as the cost benchmark counts it."""

from socialcare_cli.bench.aws_costs import item_bytes, request_units

SMALL = {"PK": {"S": "CASE#1"}, "SK": {"S": "CASE"}, "n": {"N": "12345"}, "ok": {"BOOL": True}}
BIG = {"PK": {"S": "CASE#2"}, "SK": {"S": "CASE"}, "text": {"S": "x" * 5000}}


def test_item_size_counts_names_and_values():
    # Given an item of strings, a number and a boolean
    # When its size is taken
    # Then names and values count (a 5-digit number takes 4 bytes, a boolean 1)
    assert item_bytes(SMALL) == (2 + 6) + (2 + 4) + (1 + 4) + (2 + 1)


def test_writes_cost_one_unit_per_kilobyte_and_double_in_transactions():
    # Given a small and a 5 KB item
    # When each is put alone, then both in one transaction
    # Then a put costs 1 unit per started KB, and a transaction twice that
    assert request_units("PutItem", {"Item": SMALL}, {}, {}) == (0.0, 1.0)
    assert request_units("PutItem", {"Item": BIG}, {}, {}) == (0.0, 5.0)
    both = {"TransactItems": [{"Put": {"Item": SMALL}}, {"Put": {"Item": BIG}}]}
    assert request_units("TransactWriteItems", both, {}, {}) == (0.0, 12.0)


def test_updates_are_charged_on_the_items_final_size():
    # Given an update of an item that ends 5 KB large
    key = {"PK": {"S": "CASE#2"}, "SK": {"S": "CASE"}}
    # When it is counted
    units = request_units("UpdateItem", {"Key": key}, {}, {"CASE#2|CASE": item_bytes(BIG)})
    # Then it costs what writing the whole item costs
    assert units == (0.0, 5.0)


def test_reads_cost_one_unit_per_4_kilobytes_half_when_eventually_consistent():
    # Given a read that finds the 5 KB item
    found = {"Item": BIG}
    # When read strongly, then eventually consistent, then by a query of both items
    strong = request_units("GetItem", {"ConsistentRead": True}, found, {})
    eventual = request_units("GetItem", {}, found, {})
    query = request_units("Query", {"ConsistentRead": True}, {"Items": [SMALL, BIG]}, {})
    # Then 2 units, 1 unit, and 2 units for the query's 5 KB together
    assert (strong, eventual, query) == ((2.0, 0.0), (1.0, 0.0), (2.0, 0.0))


def test_a_read_that_finds_nothing_still_costs_a_unit():
    assert request_units("GetItem", {"ConsistentRead": True}, {}, {}) == (1.0, 0.0)
