"""The configuration folder (config/), and the brand's accounts in it.

Kept apart from configuration.py, which builds triage and routing: the webhook reads only
accounts.toml, and pays at cold start for nothing else. That file is TOML, read by the
standard library's tomllib (about 2 ms to import in the webhook), where PyYAML would
cost the webhook's every cold start about 11 ms more; the other files are YAML.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from socialcare.config.yaml_files import CONFIG_DIR, read_yaml
from socialcare.domain.accounts import BrandAccounts
from socialcare.domain.values import InvalidValue

__all__ = ["CONFIG_DIR", "read_yaml"]

ACCOUNT_KINDS = ("facebook_pages", "instagram_accounts", "whatsapp_phone_numbers", "x_users")
_ACCOUNT_ID = re.compile(r"[0-9]{1,32}")


def read_accounts(document: Any) -> BrandAccounts:
    """accounts.toml: the ids of the brand's own accounts, by kind, each written as a
    number or as a string of digits. Read without pydantic (the webhook reads it at every
    cold start); `socialcare config check` applies this same reader (config/check.py)."""
    if not isinstance(document, dict):
        raise InvalidValue("accounts.toml", "must be a table")
    for key in document:
        if key not in ACCOUNT_KINDS:
            raise InvalidValue(str(key), "is not a setting (misspelt?)")
    found: dict[str, frozenset[str]] = {}
    for kind in ACCOUNT_KINDS:
        ids = document.get(kind, [])
        if not isinstance(ids, list):
            raise InvalidValue(kind, "must be a list of ids")
        texts = [str(i) if type(i) is int else i for i in ids]
        for position, text in enumerate(texts):
            if type(text) is not str or not _ACCOUNT_ID.fullmatch(text):
                raise InvalidValue(f"{kind}.{position}", "is not an id (digits only)")
        found[kind] = frozenset(texts)
    return BrandAccounts(**found)


def read_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


@cache
def brand_accounts(directory: Path = CONFIG_DIR) -> BrandAccounts:
    return read_accounts(read_toml(directory / "accounts.toml"))
