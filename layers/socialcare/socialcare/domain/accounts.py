"""The brand's own accounts on each platform: deliveries for any other are not ours."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

AccountKind = Literal["facebook_pages", "instagram_accounts", "whatsapp_phone_numbers", "x_users"]


@dataclass(frozen=True)
class BrandAccounts:
    """Ids of the brand's accounts by kind. An empty kind accepts every account (a stack
    set up before the accounts were listed); `socialcare config check` warns about it."""

    facebook_pages: frozenset[str] = frozenset()
    instagram_accounts: frozenset[str] = frozenset()
    whatsapp_phone_numbers: frozenset[str] = frozenset()
    x_users: frozenset[str] = frozenset()

    def owns(self, kind: AccountKind, account_id: str) -> bool:
        listed: frozenset[str] = getattr(self, kind)
        return not listed or account_id in listed


ANY_ACCOUNT = BrandAccounts()
