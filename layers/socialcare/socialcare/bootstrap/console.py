"""The console's composition: its areas, each with its routes
(`socialcare.presentation.console.<area>_routes.ROUTES`) and its dependencies
(`socialcare.bootstrap.console_<area>.dependencies(root)`, built on the area's first
request), and who a request comes from (the access area's `identify`). Modules are
imported by name when first needed: a page of the inbox never loads the approvals'
code."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from socialcare.domain.console_users import ConsoleUser
from socialcare.presentation.console.pages import PageKit
from socialcare.presentation.console.requests import Route
from socialcare.presentation.console.router import Console

if TYPE_CHECKING:
    from socialcare.bootstrap import Root

# One line per area of the console (each slice adds its own).
AREAS: tuple[str, ...] = (
    "access",
    "inbox",
    "actions",
    "approvals",
    "review",
)


def console(root: Root) -> Console:
    """The container's console: its routes and identity, built once."""
    return root.once("console", lambda: _build(root))


def routes(areas: tuple[str, ...] = AREAS) -> list[Route]:
    found: list[Route] = []
    for area in areas:
        module = importlib.import_module(f"socialcare.presentation.console.{area}_routes")
        found.extend(module.ROUTES)
    return found


def area_dependencies(root: Root, area: str) -> Any:
    def build() -> Any:
        module = importlib.import_module(f"socialcare.bootstrap.console_{area}")
        # `dependencies(root)`; the actions area named its builder `actions_area`.
        builder = getattr(module, "dependencies", None) or getattr(module, f"{area}_area")
        return builder(root)

    return root.once(f"console:{area}", build)


def _build(root: Root) -> Console:
    identify, csrf_valid = _identity(root)
    return Console(
        routes=routes(),
        identify=identify,
        csrf_valid=csrf_valid,
        area=lambda area: area_dependencies(root, area),
    )


def _identity(root: Root) -> tuple[Any, Any]:
    """The access area's verifier (identity slice): until it is built, nobody is
    identified, and every route that needs a person answers 401."""
    try:
        access = importlib.import_module("socialcare.bootstrap.console_access")
    except ModuleNotFoundError:
        return (lambda _request: None), (lambda _user, _token: False)
    verify, csrf_valid = access.identify(root), access.csrf_valid(root)
    return (lambda request: identified(verify(request))), csrf_valid


def page_kit(root: Root) -> PageKit:
    """The CSRF tokens of the pages' forms (the access area's; none until it is built)."""
    try:
        access = importlib.import_module("socialcare.bootstrap.console_access")
    except ModuleNotFoundError:
        return PageKit(csrf=lambda _user: "")
    # Built when a page first needs a token: the JSON API never reads the CSRF secret.
    return PageKit(csrf=lambda user: access.csrf_token(root)(user))


def identified(result: object) -> ConsoleUser | None:
    """`identify`'s answer as the router takes it: a person, or nobody."""
    return result if isinstance(result, ConsoleUser) else None
