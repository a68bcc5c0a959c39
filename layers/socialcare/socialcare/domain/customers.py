"""A known customer, as the brand lists them for the customers table: who they are on a
platform, and what the department is told about them (the CRM's reference)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from socialcare.domain.failures import StorageUnavailable
from socialcare.domain.privacy import Person

# A CRM reference (a policy number) and a name as a person reads them in an email:
# bounded so an entry stays a few hundred bytes (DynamoDB's item limit is 400 KB).
MAX_REFERENCE = 64
MAX_NAME = 200


class CustomerInvalid(ValueError):
    """A field that cannot be a known customer's. Names the field, never the value (it
    is personal data)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class KnownCustomer:
    person: Person
    reference: str | None = None
    name: str | None = None

    @classmethod
    def of(cls, person: Person, reference: str, name: str) -> KnownCustomer:
        return cls(
            person,
            _text(reference, "reference", MAX_REFERENCE),
            _text(name, "name", MAX_NAME),
        )

    @property
    def key(self) -> str:
        return self.person.key


def _text(value: str, field: str, limit: int) -> str | None:
    """Printable text on one line, or None when empty (spaces around it dropped)."""
    value = value.strip()
    if not value:
        return None
    if len(value) > limit:
        raise CustomerInvalid(field, f"longer than {limit} characters")
    # Control characters (Cc, Cf, line and paragraph separators) would break an email's
    # line or hide text from whoever reads it.
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co") for c in value):
        raise CustomerInvalid(field, "has control or invisible characters")
    return value


class CustomersNotWritten(StorageUnavailable):
    """Some customers still unprocessed after every resend, or DynamoDB refused a call."""

    def __init__(self, reason: str, written: int) -> None:
        super().__init__(reason)
        self.written = written
