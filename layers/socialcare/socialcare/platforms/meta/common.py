"""What every Meta product's entry shares: whose account it is, who wrote."""

from __future__ import annotations

from socialcare.domain.accounts import AccountKind, BrandAccounts
from socialcare.domain.messages import Author
from socialcare.platforms.base import ParsedDelivery
from socialcare.platforms.ids import NUMERIC, shaped


def brand_account(
    entry: dict, kind: AccountKind, accounts: BrandAccounts, delivery: ParsedDelivery
) -> str | None:
    """The entry's account id, when it is one of the brand's (else the entry is ignored)."""
    account_id = shaped(entry.get("id"), "entry.id", NUMERIC)
    if accounts.owns(kind, account_id):
        return account_id
    delivery.ignore("other_account", account_kind=kind)
    return None


def author(
    author_id: str | None,
    message_id: str,
    *,
    handle: str | None = None,
    display_name: str | None = None,
) -> Author:
    if author_id:
        return Author(id=author_id, handle=handle, display_name=display_name)
    # Meta withholds the author in some payloads: the case stands alone (no threading).
    return Author(id=f"unknown:{message_id}", handle=handle, display_name=display_name)
