"""The saved replies' JSON API and pages: everyone in the console reads and searches
them; community managers create, edit and retire them (the routes check who)."""

from __future__ import annotations

from typing import Any

from socialcare.app.saved_replies import (
    EditedMeanwhile,
    Saved,
    SavedReplyNotFound,
    SavedReplyRefused,
    SaveOutcome,
    create,
    edit,
    find,
    for_case,
    history,
    retire,
    saved_reply,
)
from socialcare.domain.case_ids import CASE_ID
from socialcare.domain.console_users import ConsoleAction, ConsoleUser
from socialcare.domain.saved_replies import (
    LANGUAGES,
    Filled,
    SavedReply,
    SavedReplyFields,
    SavedReplySearch,
    SavedReplyVersion,
)
from socialcare.presentation.console.approvals_pages import ApprovalsArea, area_words
from socialcare.presentation.console.pages import render_page, short_time
from socialcare.presentation.console.requests import ConsoleRequest, Response
from socialcare.presentation.console.responses import error, json_response, redirect

PAGE = "/console/saved-replies"


def reply_json(reply: SavedReply) -> dict[str, Any]:
    return {
        "id": reply.id,
        "title": reply.title,
        "texts": dict(reply.fields.texts),
        "tags": list(reply.fields.tags),
        "crisis_approved": reply.fields.crisis_approved,
        "retired": reply.retired,
        "version": reply.version,
        "updated_by": reply.updated_by,
        "updated_at": reply.updated_at,
    }


def version_json(version: SavedReplyVersion) -> dict[str, Any]:
    return {
        "version": version.version,
        "by": version.by,
        "at": version.at,
        "changed": list(version.changed),
        "title": version.fields.title,
        "texts": dict(version.fields.texts),
        "tags": list(version.fields.tags),
        "crisis_approved": version.fields.crisis_approved,
        "retired": version.retired,
    }


def _query(request: ConsoleRequest) -> SavedReplySearch:
    language = request.query.get("language", "")
    return SavedReplySearch(
        words=request.query.get("q", "")[:200],
        language=language if language in LANGUAGES else None,
        tag=request.query.get("tag") or None,
        crisis_only=request.query.get("crisis") == "1",
        retired=request.query.get("retired") == "1",
    )


def api_list(request: ConsoleRequest, user: ConsoleUser, area: ApprovalsArea) -> Response:
    found = find(_query(request), area.saved)
    return json_response(200, {"saved_replies": [reply_json(r) for r in found]})


def api_one(request: ConsoleRequest, user: ConsoleUser, area: ApprovalsArea) -> Response:
    """The reply and its history; with ?case=<id>&language=es, its text filled for it."""
    reply_id = request.path_params.get("id", "")
    reply = saved_reply(reply_id, area.saved)
    if reply is None:
        return error(404, True, "no such saved reply")
    body: dict[str, Any] = {
        **reply_json(reply),
        "history": [version_json(v) for v in history(reply_id, area.saved)],
    }
    case_id = request.query.get("case", "")
    if case_id:
        if not CASE_ID.fullmatch(case_id):
            return error(400, True, "case: not a case id")
        language = request.query.get("language", "es")
        filled = for_case(reply_id, case_id, language, area.saved)
        if not isinstance(filled, Filled):
            return error(404, True, "no such case, or no text in that language")
        body["filled"] = filled.text
    return json_response(200, body)


def _fields(data: dict[str, Any]) -> SavedReplyFields | str:
    """The fields of a JSON body, or what is wrong with its shape."""
    texts, tags = data.get("texts", {}), data.get("tags", [])
    title, crisis = data.get("title", ""), data.get("crisis_approved", False)
    if not isinstance(title, str) or not isinstance(crisis, bool):
        return "title: a string; crisis_approved: true or false"
    if not isinstance(texts, dict) or not all(isinstance(v, str) for v in texts.values()):
        return "texts: an object of language -> text"
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        return "tags: a list of strings"
    return SavedReplyFields(title, {str(k): v for k, v in texts.items()}, tuple(tags), crisis)


def _body(request: ConsoleRequest) -> dict[str, Any]:
    return request.body_json if isinstance(request.body_json, dict) else {}


def api_create(request: ConsoleRequest, user: ConsoleUser, area: ApprovalsArea) -> Response:
    fields = _fields(_body(request))
    if isinstance(fields, str):
        return error(400, True, fields)
    return _saved_json(create(fields, user.username, area.saved), created=True)


def api_edit(request: ConsoleRequest, user: ConsoleUser, area: ApprovalsArea) -> Response:
    data = _body(request)
    fields, version = _fields(data), data.get("version")
    if isinstance(fields, str):
        return error(400, True, fields)
    if type(version) is not int:
        return error(400, True, "version: the version you edited (a number)")
    reply_id = request.path_params.get("id", "")
    return _saved_json(edit(reply_id, fields, user.username, version, area.saved))


def api_retire(request: ConsoleRequest, user: ConsoleUser, area: ApprovalsArea) -> Response:
    data = _body(request)
    version, back = data.get("version"), data.get("back", False)
    if type(version) is not int or not isinstance(back, bool):
        return error(400, True, "version: a number; back: true or false")
    reply_id = request.path_params.get("id", "")
    return _saved_json(retire(reply_id, user.username, version, area.saved, back=back))


def _saved_json(outcome: SaveOutcome, *, created: bool = False) -> Response:
    if isinstance(outcome, Saved):
        return json_response(201 if created else 200, reply_json(outcome.reply))
    if isinstance(outcome, SavedReplyRefused):
        return json_response(400, {"error": "Bad request", "message": "; ".join(outcome.problems)})
    if isinstance(outcome, EditedMeanwhile):
        body = {"error": "Conflict", "message": "a newer version was saved"}
        return json_response(409, {**body, "current": reply_json(outcome.current)})
    return error(404, True, "no such saved reply")


def list_page(request: ConsoleRequest, user: ConsoleUser, area: ApprovalsArea) -> Response:
    query = _query(request)
    return render_page(
        "console/saved_replies.html",
        request,
        user,
        area.kit,
        a=area_words(request.language),
        replies=find(query, area.saved),
        query=query,
        reply=None,  # the create form's fields start empty
        may_manage=user.may(ConsoleAction.MANAGE_SAVED_REPLIES),
    )


def one_page(
    request: ConsoleRequest,
    user: ConsoleUser,
    area: ApprovalsArea,
    *,
    status: int = 200,
    notice: str = "",
    problems: tuple[str, ...] = (),
) -> Response:
    reply_id = request.path_params.get("id", "")
    reply = saved_reply(reply_id, area.saved)
    if reply is None:
        return error(404, False, "no such saved reply")
    versions = [
        {**version_json(v), "at": short_time(v.at), "changed": ", ".join(v.changed)}
        for v in history(reply_id, area.saved)
    ]
    return render_page(
        "console/saved_reply.html",
        request,
        user,
        area.kit,
        status=status,
        a=area_words(request.language),
        reply=reply,
        versions=versions,
        may_manage=user.may(ConsoleAction.MANAGE_SAVED_REPLIES),
        notice=notice,
        problems=problems,
    )


def _form_fields(form: dict[str, str] | Any) -> SavedReplyFields:
    return SavedReplyFields(
        title=form.get("title", ""),
        texts={language: form.get(f"text_{language}", "") for language in LANGUAGES},
        tags=tuple(t for t in form.get("tags", "").split(",")),
        crisis_approved=form.get("crisis_approved") == "1",
    )


def create_form(request: ConsoleRequest, user: ConsoleUser, area: ApprovalsArea) -> Response:
    outcome = create(_form_fields(request.form), user.username, area.saved)
    if isinstance(outcome, Saved):
        return redirect(f"{PAGE}/{outcome.reply.id}")
    if isinstance(outcome, SavedReplyRefused):
        return error(400, False, "; ".join(outcome.problems))
    return error(409, False, "a saved reply with that id exists")


def edit_form(request: ConsoleRequest, user: ConsoleUser, area: ApprovalsArea) -> Response:
    reply_id = request.path_params.get("id", "")
    version = request.form.get("version", "")
    if not version.isdigit():
        return error(400, False, "version: missing")
    if request.form.get("action") in ("retire", "restore"):
        back = request.form.get("action") == "restore"
        outcome = retire(reply_id, user.username, int(version), area.saved, back=back)
    else:
        fields = _form_fields(request.form)
        outcome = edit(reply_id, fields, user.username, int(version), area.saved)
    return _after_form(outcome, request, user, area)


def _after_form(
    outcome: SaveOutcome, request: ConsoleRequest, user: ConsoleUser, area: ApprovalsArea
) -> Response:
    a = area_words(request.language)
    if isinstance(outcome, Saved):
        return redirect(f"{PAGE}/{outcome.reply.id}")
    if isinstance(outcome, SavedReplyNotFound):
        return error(404, False, "no such saved reply")
    if isinstance(outcome, EditedMeanwhile):
        return one_page(request, user, area, status=409, notice=a["saved_edited_meanwhile"])
    return one_page(request, user, area, status=400, problems=outcome.problems)
