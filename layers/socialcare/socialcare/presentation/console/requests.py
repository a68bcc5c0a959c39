"""The console's requests and routes, as every area of it shares them. The console
function reads API Gateway's event into a ConsoleRequest, verifies who sends it, finds the
route, checks the route's action against the person's roles, and calls its endpoint with
the area's dependencies (bootstrap builds one bundle per area, by the route's `area`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from socialcare.domain.console_users import ConsoleAction, ConsoleUser

Response = dict[str, Any]  # API Gateway's payload 2.0 answer, as presentation/http.py


@dataclass(frozen=True)
class ConsoleRequest:
    """`path_params`: the route pattern's {names}; `form`: a POSTed urlencoded form, its
    CSRF token already checked; `body_json`: a JSON API body, parsed; `api`: the path is
    under /console/api/ (answers are JSON, errors too); `language`: the person's choice of
    es or en for pages."""

    method: str
    path: str
    path_params: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)
    form: Mapping[str, str] = field(default_factory=dict)
    body_json: object | None = None
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-cased names
    cookies: Mapping[str, str] = field(default_factory=dict)
    language: str = "es"
    api: bool = False


Endpoint = Callable[[ConsoleRequest, ConsoleUser, Any], Response]


@dataclass(frozen=True)
class Route:
    """`pattern` as API Gateway writes paths ("/console/api/cases/{id}"); `action`: what the
    person must be allowed to do (None: a route used before signing in, such as the sign-in
    callback); `area` names the dependencies bundle the endpoint takes (bootstrap builds it
    for that area)."""

    method: str
    pattern: str
    action: ConsoleAction | None
    area: str
    endpoint: Endpoint
