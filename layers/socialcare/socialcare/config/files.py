"""The configuration folder (config/), and the brand's accounts in it.

Kept apart from configuration.py, which builds triage and routing: the webhook reads only
accounts.toml, and pays at cold start for nothing else. That file is TOML, read by the
standard library's tomllib (about 2 ms to import in the webhook), where PyYAML would
cost the webhook's every cold start about 11 ms more; the other files are YAML.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints

from socialcare.config.yaml_files import CONFIG_DIR, read_yaml
from socialcare.domain.accounts import BrandAccounts

__all__ = ["CONFIG_DIR", "read_yaml"]

# An id written as a number or as a string: both are accepted, as digits.
AccountId = Annotated[
    str,
    BeforeValidator(lambda v: str(v) if type(v) is int else v),
    StringConstraints(pattern=r"^[0-9]{1,32}$"),
]


class AccountsConfig(BaseModel):
    """config/accounts.toml: the ids of the brand's own accounts, by kind."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    facebook_pages: list[AccountId] = []
    instagram_accounts: list[AccountId] = []
    whatsapp_phone_numbers: list[AccountId] = []
    x_users: list[AccountId] = []

    def accounts(self) -> BrandAccounts:
        return BrandAccounts(
            facebook_pages=frozenset(self.facebook_pages),
            instagram_accounts=frozenset(self.instagram_accounts),
            whatsapp_phone_numbers=frozenset(self.whatsapp_phone_numbers),
            x_users=frozenset(self.x_users),
        )

    def unlisted(self) -> list[str]:
        """The kinds with no account listed (every account of that kind is accepted)."""
        return [kind for kind, ids in self.model_dump().items() if not ids]


def read_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


@cache
def brand_accounts(directory: Path = CONFIG_DIR) -> BrandAccounts:
    return AccountsConfig.model_validate(read_toml(directory / "accounts.toml")).accounts()
