"""The brand's known customers as a CSV file (README, Deploying: the customers table),
read whole and checked row by row before anything is written: one mistake names its row
and column, never the value (the file is personal data).

Header row required, comma-separated, UTF-8 (a spreadsheet's BOM is fine):
  platform   facebook, instagram, whatsapp, x or telegram (required)
  author_id  the id that platform gives the person (required): Meta's and X's numeric
             ids; WhatsApp's phone with its country code (spaces, "+" or "00" are
             dropped) or business-scoped user id; Telegram's numeric user id
  reference  the CRM's reference the department reads (a policy number; may be empty)
  name       the customer's name (may be empty; the column may be left out)
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from socialcare.domain.customers import CustomerInvalid, KnownCustomer
from socialcare.domain.messages import Platform
from socialcare.domain.privacy import Person, PersonInvalid
from socialcare.platforms.ids import Malformed, author_id
from socialcare_cli.errors import CommandFailed

REQUIRED = ("platform", "author_id")
COLUMNS = (*REQUIRED, "reference", "name")
# Read whole before a single write: bounded so a wrong file (an export of everything)
# is refused rather than held in memory. Far above a brand's list of customers who write.
MAX_BYTES = 32 * 1024 * 1024
MAX_ROWS = 250_000
_PLATFORMS = ", ".join(p.value for p in Platform)


class CustomerFileInvalid(CommandFailed):
    pass


@dataclass(frozen=True)
class _Row:
    number: int  # as a spreadsheet numbers it: the header is row 1
    fields: dict[str, str]

    def fail(self, column: str, reason: str) -> CustomerFileInvalid:
        return CustomerFileInvalid(f"row {self.number}, column {column}: {reason}")


def read_customers(path: Path) -> list[KnownCustomer]:
    """Every row as a known customer, or CustomerFileInvalid at the first mistake."""
    if path.stat().st_size > MAX_BYTES:
        raise CustomerFileInvalid(f"{path.name}: larger than {MAX_BYTES // 2**20} MiB")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CustomerFileInvalid(f"row {line}: not UTF-8 (save the file as UTF-8)") from None
    customers: list[KnownCustomer] = []
    seen: dict[str, int] = {}
    for row in _rows(text):
        customer = _customer(row)
        if customer.key in seen:
            raise row.fail("author_id", f"the same customer as row {seen[customer.key]}")
        seen[customer.key] = row.number
        customers.append(customer)
    return customers


def _rows(text: str) -> list[_Row]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        lines = list(reader)
    except csv.Error as error:  # its message names the rule broken, not the text
        raise CustomerFileInvalid(f"line {reader.line_num}: not CSV ({error})") from None
    header = _header(lines)
    if len(lines) - 1 > MAX_ROWS:
        raise CustomerFileInvalid(f"more than {MAX_ROWS} rows")
    rows = []
    for number, values in enumerate(lines[1:], start=2):
        if not any(v.strip() for v in values):
            continue  # a blank line (spreadsheets leave them at the end)
        if len(values) != len(header):
            raise CustomerFileInvalid(
                f"row {number}: {len(values)} fields where the header has {len(header)}"
            )
        rows.append(_Row(number, dict(zip(header, values, strict=True))))
    return rows


def _header(lines: list[list[str]]) -> list[str]:
    """Row 1's column names, each known, the required ones there, none twice."""
    if not lines or not any(lines[0]):
        raise CustomerFileInvalid("row 1: no header (platform,author_id,reference,name)")
    header = [name.strip() for name in lines[0]]
    if len(header) == 1 and ";" in header[0]:
        raise CustomerFileInvalid("row 1: columns must be separated by commas, not semicolons")
    for number, name in enumerate(header, start=1):
        if name not in COLUMNS:  # not echoed: without a header, row 1 is a customer
            raise CustomerFileInvalid(
                f"row 1, column {number}: not one of {', '.join(COLUMNS)} "
                "(a header row is required)"
            )
    for name in REQUIRED:
        if name not in header:
            raise CustomerFileInvalid(f"row 1: no column {name}")
    if len(set(header)) != len(header):
        raise CustomerFileInvalid("row 1: a column is named twice")
    return header


def _customer(row: _Row) -> KnownCustomer:
    platform = row.fields["platform"].strip().lower()
    if platform not in {p.value for p in Platform}:
        raise row.fail("platform", f"not a platform (one of {_PLATFORMS})")
    try:
        person = Person.of(platform, row.fields["author_id"].strip())
        person = Person(person.platform, author_id(platform, person.author_id))
    except (PersonInvalid, Malformed):
        raise row.fail("author_id", f"not an author id {_SHAPES[platform]}") from None
    try:
        return KnownCustomer.of(person, row.fields.get("reference", ""), row.fields.get("name", ""))
    except CustomerInvalid as invalid:
        raise row.fail(invalid.field, invalid.reason) from None


_SHAPES = {
    "facebook": "of Facebook's (digits)",
    "instagram": "of Instagram's (digits)",
    "whatsapp": "of WhatsApp's (the phone with its country code, or a business-scoped id)",
    "x": "of X's (digits)",
    "telegram": "of Telegram's (a numeric user id)",
}
