"""The inbox area's endpoints: the open cases (GET /console/ and /console/api/cases), the
search over messages (POST /console/search and /console/api/cases/search: its words never
in a URL) and one case (GET /console/cases/{id} and /console/api/cases/{id}), each GET
answered 304 when the browser's ETag is still current."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from socialcare.app.console_inbox import CaseView, InboxDependencies, open_inbox, view_case
from socialcare.domain.case_ids import CASE_ID
from socialcare.domain.console_inbox import ALL, FILTERS, QUEUES, BadFilter, Inbox, InboxRow
from socialcare.domain.console_users import ConsoleUser
from socialcare.domain.routing import RoutingConfig
from socialcare.presentation.console.case_json import case_json, conversation, timeline
from socialcare.presentation.console.pages import PageKit, render_page, short_time, time_left, words
from socialcare.presentation.console.requests import ConsoleRequest, Response
from socialcare.presentation.console.responses import (
    error,
    json_response,
    not_modified,
    redirect,
)
from socialcare.presentation.rendering import strings

_SEARCH_BY_POST = (
    "search words go in a POST's body (POST /console/api/cases/search, or the inbox's "
    "search box), never in a URL"
)


@dataclass(frozen=True)
class InboxArea:
    use_cases: InboxDependencies
    kit: PageKit
    # The departments the case page's action forms offer (the actions area's fragment).
    routing: RoutingConfig | None = None
    # The saved replies the reply form offers, by the customer's language: (id, title),
    # crisis-approved ones first (the approvals area's store).
    saved_replies: Callable[[str], Sequence[tuple[str, str]]] | None = None


def api_cases(request: ConsoleRequest, user: ConsoleUser, area: InboxArea) -> Response:
    if "q" in request.query:
        return error(400, True, _SEARCH_BY_POST)
    return _api_inbox(request, request.query, user, area)


def api_search(request: ConsoleRequest, user: ConsoleUser, area: InboxArea) -> Response:
    """POST /console/api/cases/search, {"q": "...", filters...}: the words in the body,
    never in a URL (they may name a person, and access logs and proxies keep URLs)."""
    body = request.body_json
    if not isinstance(body, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in body.items()
    ):
        return error(400, True, 'the body is a JSON object of strings: {"q": "words", ...}')
    if not body.get("q", "").strip():
        return error(400, True, "q: the words to search for")
    return _api_inbox(request, body, user, area)


def _api_inbox(
    request: ConsoleRequest, query: Mapping[str, str], user: ConsoleUser, area: InboxArea
) -> Response:
    try:
        found = open_inbox(query, user.username, area.use_cases)
    except BadFilter as refused:
        return error(400, True, str(refused))
    if _current(request, found.etag):
        return not_modified(found.etag, api=True)
    now = area.use_cases.clock()
    body = {
        "cases": [_row_json(row, now) for row in found.rows],
        "queues": {queue: found.counts[queue] for queue in QUEUES},
        "total": found.total,
        "more_found": found.more_found,
    }
    return json_response(200, body, {"ETag": found.etag})


def inbox_page(request: ConsoleRequest, user: ConsoleUser, area: InboxArea) -> Response:
    if "q" in request.query:
        return error(400, False, _SEARCH_BY_POST)
    return _inbox_page(request, request.query, user, area)


def search_page(request: ConsoleRequest, user: ConsoleUser, area: InboxArea) -> Response:
    """POST /console/search, the inbox's search box (its CSRF token checked by the router):
    the found cases on a page that does not refresh itself (a refresh would GET a URL
    without the words). Without words, back to the inbox with the filters."""
    query = {k: v for k, v in request.form.items() if k != "csrf"}
    if not query.get("q", "").strip():
        kept = {k: v for k, v in query.items() if k != "q" and v}
        return redirect("/console/" + ("?" + urlencode(kept) if kept else ""))
    return _inbox_page(request, query, user, area)


def _inbox_page(
    request: ConsoleRequest, query: Mapping[str, str], user: ConsoleUser, area: InboxArea
) -> Response:
    try:
        found = open_inbox(query, user.username, area.use_cases)
    except BadFilter as refused:
        return error(400, False, str(refused))
    searching = bool(query.get("q", "").strip())
    # The page differs by person and language too; a search's answer is never cached.
    etag = "" if searching else _page_etag(found.etag, request, user)
    if etag and _current(request, etag):
        return not_modified(etag, api=False)
    t = words(request.language)
    now = area.use_cases.clock()
    rows = [_row_view(row, now, t) for row in found.rows]
    return render_page(
        "console/inbox.html",
        request,
        user,
        area.kit,
        headers={"ETag": etag} if etag else {"Cache-Control": "no-store"},
        rows=rows,
        total=found.total,
        queues=_queue_links(query, found),
        filters={name: query.get(name, "") for name in (*FILTERS, "flags", "queue", "q")},
        more_found=found.more_found,
        choices=_choices(found, query),
        etag=etag,
        searching=searching,
    )


def api_case(request: ConsoleRequest, user: ConsoleUser, area: InboxArea) -> Response:
    shown = _view(request, user, area)
    if shown is None:
        return error(404, True, "no such case")
    return json_response(200, case_json(shown))


def case_page(request: ConsoleRequest, user: ConsoleUser, area: InboxArea) -> Response:
    shown = _view(request, user, area)
    if shown is None:
        return error(404, False, "no such case")
    t = words(request.language)
    case = shown.case
    triage = case.get("triage") or {}
    return render_page(
        "console/case.html",
        request,
        user,
        area.kit,
        case=case,
        triage={
            "category": case.get("category") or triage.get("category"),
            "priority": case.get("priority") or triage.get("priority"),
            "confidence": triage.get("confidence"),
            "flags": shown.summary.flags,
        },
        sla={
            "deadline": short_time(shown.sla.deadline),
            "left": time_left(shown.sla.seconds_left, t),
            "breached": shown.sla.breached,
        },
        holder=shown.holder,
        viewers=shown.viewers,
        messages=[{**m, "at": short_time(m["at"])} for m in conversation(case)],
        attachments=_attachments(case, request.language),
        earlier=[{**c, "created": short_time(c.get("created_at"))} for c in shown.earlier_cases],
        timeline=[{**e, "at": short_time(e["at"])} for e in timeline(case)],
        etag="",
        **_actions(case, request, user, area),
    )


def _actions(
    case: dict[str, Any], request: ConsoleRequest, user: ConsoleUser, area: InboxArea
) -> dict[str, Any]:
    """The actions area's forms on the page (console/case_actions.html), when it has them."""
    if area.routing is None:
        return {}
    from socialcare.presentation.console.actions_fragment import case_actions_context

    notice = request.query.get("notice")
    language = str((case.get("triage") or {}).get("language") or request.language)
    saved = area.saved_replies(language) if area.saved_replies else ()
    context = case_actions_context(
        case, user, request.language, area.routing, notice=notice, saved_replies=saved
    )
    return {"actions": context}


def _view(request: ConsoleRequest, user: ConsoleUser, area: InboxArea) -> CaseView | None:
    case_id = request.path_params.get("id", "")
    if not CASE_ID.fullmatch(case_id):
        return None
    return view_case(case_id, user.username, area.use_cases)


def _attachments(case: dict[str, Any], language: str) -> list[dict[str, str | None]]:
    """What the customer sent beside words, through the existing /media links (the
    platform's address and token stay inside: app/media_links.py)."""
    t = strings(language)
    key = (case.get("media_link") or {}).get("key")
    found = [a for m in case.get("messages", []) for a in m.get("attachments") or ()]
    return [
        {
            "label": t.get(f"attachment_{a.get('kind')}") or t["attachment_file"],
            "name": a.get("name"),
            "url": f"/media/{case['id']}.{key}.{number}" if key else None,
        }
        for number, a in enumerate(found)
    ]


def _current(request: ConsoleRequest, etag: str) -> bool:
    sent = request.headers.get("if-none-match", "")
    return bool(sent) and etag in [tag.strip() for tag in sent.split(",")]


def _page_etag(inbox_etag: str, request: ConsoleRequest, user: ConsoleUser) -> str:
    seed = f"{inbox_etag}|{request.language}|{user.username}|{sorted(request.query.items())}"
    return '"' + hashlib.sha256(seed.encode()).hexdigest()[:32] + '"'


def _row_json(row: InboxRow, now: Any) -> dict[str, Any]:
    case = row.case
    return {
        "id": case.id,
        "status": case.status,
        "category": case.category,
        "priority": case.priority,
        "channel": case.channel,
        "platform": case.platform,
        "public": case.public,
        "department": case.department,
        "deadline": case.deadline,
        "language": case.language,
        "flags": list(case.flags),
        "confidence": case.confidence,
        "assignee": case.assignee,
        "lease_holder": row.holder,
        "needs_review": case.needs_review,
        "approval_pending": case.approval_pending,
        "crisis_topic": case.crisis_topic,
        "breached": case.breached(now),
        "created_at": case.created_at,
        "queues": list(row.queues),
    }


def _row_view(row: InboxRow, now: Any, t: dict[str, Any]) -> dict[str, Any]:
    from datetime import datetime

    view = _row_json(row, now)
    deadline = datetime.fromisoformat(row.case.deadline.replace("Z", "+00:00"))
    view["left"] = time_left(int((deadline - now).total_seconds()), t)
    view["deadline"] = short_time(row.case.deadline)
    view["holder"] = row.holder
    view["due_soon"] = "due_soon" in row.queues
    return view


def _queue_links(query: Mapping[str, str], found: Inbox) -> list[dict[str, Any]]:
    chosen = query.get("queue") or ALL
    # The queues' links keep the filters, never the search's words (no words in URLs).
    kept = {k: v for k, v in query.items() if k not in ("queue", "q") and v}
    return [
        {
            "name": queue,
            "count": found.counts[queue],
            "current": queue == chosen,
            "url": "/console/?" + urlencode({**kept, "queue": queue}),
        }
        for queue in (ALL, *QUEUES)
    ]


def _choices(found: Inbox, query: Mapping[str, str]) -> dict[str, list[str]]:
    """Each filter's values among the cases shown, and the chosen one."""
    choices: dict[str, set[str]] = {name: set() for name in FILTERS}
    for row in found.rows:
        for name in FILTERS:
            value = getattr(row.case, name)
            if value:
                choices[name].add(str(value))
    for name in FILTERS:
        if query.get(name):
            choices[name].add(query[name])
    return {name: sorted(values) for name, values in choices.items()}
