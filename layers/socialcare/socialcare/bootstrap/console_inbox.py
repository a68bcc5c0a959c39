"""The inbox area's dependencies: the open cases, the case reader, a person's earlier
cases, who else has a case open."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from socialcare.bootstrap import Root


def dependencies(root: Root) -> Any:
    return None
