"""The case page's action forms: each form posts to its route with the page's CSRF
field, shows only what the person may do, words the notice of what happened, and
escapes whatever the case holds."""

from __future__ import annotations

import re

from socialcare.config.loaders import routing_config
from socialcare.domain.console_users import ConsoleUser, Role
from socialcare.presentation.console.actions_fragment import case_actions_context
from socialcare.presentation.rendering import render

CASE = {
    "id": "20261124-0123456789abcdef",
    "public": True,
    "triage": {"suggested_replies": {"public": "Hola <b>Ana</b>", "private": "Te escribo"}},
}


def fragment(roles, case=CASE, language="es", notice=None) -> str:
    user = ConsoleUser("ana", frozenset(roles))
    actions = case_actions_context(case, user, language, routing_config(), notice=notice)
    return render("console/case_actions.html", actions=actions, csrf="tok-123")


def test_an_agents_forms_post_to_the_actions_routes_each_with_the_csrf_field():
    page = fragment({Role.AGENT})
    actions = re.findall(r'action="/console/cases/20261124-0123456789abcdef/(\w+)"', page)
    assert actions == ["reply", "claim", "assign", "derive", "correct", "close", "notes"]
    assert page.count('name="csrf" value="tok-123"') == len(actions)
    assert "Hola &lt;b&gt;Ana&lt;/b&gt;" in page  # the suggested reply, escaped


def test_a_community_manager_may_mark_a_crisis_and_an_approver_only_write_notes():
    assert "/crisis" in fragment({Role.COMMUNITY_MANAGER})
    approver = fragment({Role.APPROVER})
    assert re.findall(r'action="[^"]*/(\w+)"', approver) == ["notes"]


def test_a_closed_case_offers_reopening_and_notes_only():
    page = fragment({Role.AGENT}, case={**CASE, "closed_at": "2026-11-24T10:00:00Z"})
    assert re.findall(r'action="[^"]*/(\w+)"', page) == ["reopen", "notes"]


def test_the_notice_says_what_happened_in_the_persons_language():
    assert "Dry run: nothing was sent" in fragment(
        {Role.AGENT}, language="en", notice="reply_dry_run"
    )
    assert 'role="status"' not in fragment({Role.AGENT}, notice="<script>")


def test_without_the_actions_context_the_fragment_shows_nothing():
    assert render("console/case_actions.html").strip() == ""
