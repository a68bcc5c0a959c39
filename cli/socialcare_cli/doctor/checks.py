"""One finding of `socialcare doctor`: a line a person reads, and whether it passed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    name: str  # what was checked, e.g. "ses sender verified"
    ok: bool
    detail: str  # on failure: what is missing and how to fix it; on success: what was seen
