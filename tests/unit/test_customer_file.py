"""`socialcare customers load FILE.csv`: the file is read whole and checked before any
write; a mistake is one line naming its row and column, never the value."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialcare_cli import customer_file
from socialcare_cli.customer_file import CustomerFileInvalid, read_customers
from socialcare_cli.main import main

HEADER = "platform,author_id,reference,name\n"
GOOD = (
    "facebook,7345610987654321,HOG-2024-118833,Lucía Fernández\n"
    "instagram,987650000000001,,\n"
    "whatsapp,+34 600 11 12 22,AUT-1,\n"
    "whatsapp,ES.1410018717833190,,\n"
    "x,2200000000000000001,AUT-2,\n"
    "telegram,555000111,VID-1,Nuria\n"
)


def _file(tmp_path: Path, text: str | bytes, name: str = "customers.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def _refusal(tmp_path: Path, text: str | bytes) -> str:
    with pytest.raises(CustomerFileInvalid) as refused:
        read_customers(_file(tmp_path, text))
    return str(refused.value)


def test_every_platforms_ids_are_read_as_their_parsers_give_them(tmp_path):
    # Given a file with one customer of each kind (a spreadsheet's BOM, a blank last line)
    path = _file(tmp_path, "\ufeff" + HEADER + GOOD + ",,,\n")
    # When it is read
    customers = read_customers(path)
    # Then each is keyed as triage looks them up, the phone as WhatsApp's wa_id
    assert [c.key for c in customers] == [
        "facebook#7345610987654321",
        "instagram#987650000000001",
        "whatsapp#34600111222",
        "whatsapp#ES.1410018717833190",
        "x#2200000000000000001",
        "telegram#555000111",
    ]
    # And empty fields are absent, not empty strings
    assert customers[0].reference == "HOG-2024-118833" and customers[0].name == "Lucía Fernández"
    assert customers[1].reference is None and customers[1].name is None


def test_the_name_column_may_be_left_out(tmp_path):
    path = _file(tmp_path, "author_id,platform\n555000111,telegram\n")
    [customer] = read_customers(path)
    assert customer.key == "telegram#555000111" and customer.reference is None


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("myspace,123,,", "row 3, column platform: not a platform"),
        ("facebook,ana.lopez,,", "row 3, column author_id: not an author id of Facebook's"),
        ("instagram,12_34,,", "row 3, column author_id: not an author id of Instagram's"),
        ("x,@ana,,", "row 3, column author_id: not an author id of X's"),
        ("telegram,-100123,,", "row 3, column author_id: not an author id of Telegram's"),
        ("telegram,9007199254740993,,", "row 3, column author_id: not an author id"),
        ("whatsapp,ana@example.com,,", "row 3, column author_id: not an author id of WhatsApp"),
        ("facebook,,,", "row 3, column author_id: not an author id"),
        ("x,12,ref\u202eerence,", "row 3, column reference: has control or invisible"),
        ("x,12,,Ana\x07", "row 3, column name: has control or invisible"),
        ("x,12," + "R" * 65 + ",", "row 3, column reference: longer than 64 characters"),
        ("x,12,,", "row 3, column author_id: the same customer as row 2"),
        ("x,13,,,extra", "row 3: 5 fields where the header has 4"),
    ],
)
def test_a_bad_row_is_named_by_row_and_column_never_by_its_value(tmp_path, row, message):
    # Given a good first row and a bad second one
    text = HEADER + "x,12,,\n" + row + "\n"
    # When the file is read
    refused = _refusal(tmp_path, text)
    # Then the line names where, and nothing of what the row holds
    assert refused.startswith(message), refused
    for value in ("ana", "100123", "ref", "RRRR", "extra", "myspace"):
        assert value not in refused.lower().replace("reference", "")


def test_the_same_whatsapp_customer_written_two_ways_is_a_duplicate(tmp_path):
    text = HEADER + "whatsapp,34600111222,,\nx,1,,\nwhatsapp,0034 600 11 12 22,,\n"
    assert _refusal(tmp_path, text) == "row 4, column author_id: the same customer as row 2"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "row 1: no header"),
        ("facebook,7345610987654321\n", "row 1, column 1: not one of platform, author_id,"),
        ("platform;author_id\nx;1\n", "row 1: columns must be separated by commas"),
        ("platform,author\nx,1\n", "row 1, column 2: not one of platform, author_id,"),
        ("platform,reference\nx,1\n", "row 1: no column author_id"),
        ("platform,author_id,platform\nx,1,x\n", "row 1: a column is named twice"),
        ('platform,author_id\nx,1\n"x,2\n', "line 3: not CSV"),
    ],
)
def test_a_file_that_is_not_the_documented_csv_is_refused(tmp_path, text, message):
    assert _refusal(tmp_path, text).startswith(message)


def test_a_file_not_in_utf8_names_the_row(tmp_path):
    # Given a spreadsheet saved as Latin-1 (the "í" of a name on row 3)
    text = (HEADER + "x,1,,Ana\nx,2,,Lucía\n").encode("latin-1")
    assert _refusal(tmp_path, text) == "row 3: not UTF-8 (save the file as UTF-8)"


def test_a_file_over_the_limits_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(customer_file, "MAX_BYTES", 100)
    assert "larger than" in _refusal(tmp_path, HEADER + "x,1,,\n" * 30)
    monkeypatch.setattr(customer_file, "MAX_BYTES", 10**6)
    monkeypatch.setattr(customer_file, "MAX_ROWS", 2)
    assert _refusal(tmp_path, HEADER + "x,1,,\nx,2,,\nx,3,,\n") == "more than 2 rows"


def test_the_command_prints_counts_never_a_row(tmp_path, capsys):
    # Given a good file
    path = _file(tmp_path, HEADER + GOOD)
    # When it is checked (--dry-run: no stack is asked)
    assert main(["customers", "load", str(path), "--dry-run"]) == 0
    # Then the output is a count, with nothing of any customer
    out = capsys.readouterr().out
    assert out == "6 customers in customers.csv, all valid; nothing written\n"


def test_a_bad_file_is_one_line_and_exit_1(tmp_path, capsys):
    path = _file(tmp_path, HEADER + "facebook,ana.lopez,,Ana López\n")
    assert main(["customers", "load", str(path), "--dry-run"]) == 1
    err = capsys.readouterr().err
    assert err == (
        "socialcare customers load: row 2, column author_id: "
        "not an author id of Facebook's (digits)\n"
    )
