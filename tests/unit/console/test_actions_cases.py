"""The console's case actions over fakes: assignment, corrections (on the timeline with
who, from and to), crisis, notes with @mentions (an email each), closing through the
existing path (a derived case's workflow is told), reopening, and derivations through the
workflow's own path (a waiting case re-routed as "not ours"; a never-derived case started)."""

from __future__ import annotations

from dataclasses import replace

from socialcare.app.console_actions import (
    ActionDone,
    ActionRefusal,
    ActionRefused,
    CaseActionDependencies,
    add_note,
    assign,
    close,
    correct,
    mark_crisis,
    reopen,
)
from socialcare.app.console_routing import (
    SAME_DEPARTMENT,
    WORKFLOW_ENDED,
    RoutingDependencies,
    derive,
)
from socialcare.domain.cases import TriageRecord
from socialcare.domain.failures import TaskGone, Unavailable
from socialcare.presentation.console.mention_email import mention_email
from tests.action_link_fakes import ACTION_ID, ROUTING, a_link
from tests.conftest import NOW
from tests.fakes import InMemoryWorkflowStore, a_case
from tests.service_fakes import Outbox, RecordingTaskTokens, RecordingWorkflows
from tests.unit.console.actions_fakes import InMemoryAudit, InMemoryConsoleCases

CASE_ID = a_case().id
PEOPLE = {"ana": "ana@brand.example", "luis": "luis@brand.example"}


class Directory:
    def email_of(self, username: str) -> str | None:
        return PEOPLE.get(username)


def a_store(**case_fields) -> InMemoryWorkflowStore:
    store = InMemoryWorkflowStore()
    triage = TriageRecord(category="complaint", priority="P2", flags=("urgent",))
    fields = {"status": "derived", "workflow_started": True, **case_fields}
    store.add(a_case(triage=triage, **fields))
    return store


def case_deps(store, tokens=None, outbox=None) -> CaseActionDependencies:
    return CaseActionDependencies(
        cases=store,
        console=InMemoryConsoleCases(store),
        closing=store,
        links=store,
        tokens=tokens or RecordingTaskTokens(),
        audit=InMemoryAudit(),
        people=Directory(),
        email=outbox or Outbox(),
        mention_email=lambda case_id, by, url: mention_email(
            case_id, by, language="es", console_url=url
        ),
        clock=lambda: NOW,
    )


def routing_deps(store, tokens=None, workflows=None) -> RoutingDependencies:
    return RoutingDependencies(
        cases=store,
        console=InMemoryConsoleCases(store),
        links=store,
        tokens=tokens or RecordingTaskTokens(),
        workflows=workflows or RecordingWorkflows(),
        started=store,
        audit=InMemoryAudit(),
        routing=ROUTING,
        clock=lambda: NOW,
        time_scale=1,
    )


def test_a_case_is_assigned_to_a_console_user_and_only_to_one():
    deps = case_deps(a_store())
    assert assign(CASE_ID, "luis", "ana", deps) == ActionDone(CASE_ID, "assign", "luis")
    assert deps.console.assignees == {CASE_ID: "luis"}
    assert deps.console.events == [(CASE_ID, "assigned", {"by": "ana", "assignee": "luis"})]
    assert assign(CASE_ID, "nadie", "ana", deps).reason is ActionRefusal.UNKNOWN_USER
    assert assign(CASE_ID, "", "ana", deps) == ActionDone(CASE_ID, "assign", "")
    assert deps.console.assignees == {}
    assert [e.action for e in deps.audit.entries] == ["assign", "assign"]


def test_a_correction_is_on_the_timeline_with_who_from_and_to():
    deps = case_deps(a_store())
    done = correct(CASE_ID, "category", "incident", "ana", deps)
    assert done == ActionDone(CASE_ID, "correct", "category: complaint -> incident")
    [(_, kind, data)] = deps.console.events
    assert kind == "triage_correction"
    assert data == {"by": "ana", "field": "category", "from": "complaint", "to": "incident"}


def test_flags_are_corrected_as_a_set_and_unknown_values_are_refused():
    deps = case_deps(a_store())
    done = correct(CASE_ID, "flags", "crisis, urgent", "ana", deps)
    assert done.detail == "flags: urgent -> urgent,crisis"
    assert correct(CASE_ID, "flags", "famous", "ana", deps).reason is ActionRefusal.UNKNOWN_VALUE
    assert correct(CASE_ID, "priority", "P9", "ana", deps).reason is ActionRefusal.UNKNOWN_VALUE
    assert correct(CASE_ID, "priority", "P2", "ana", deps).reason is ActionRefusal.UNCHANGED
    assert correct(CASE_ID, "status", "x", "ana", deps).reason is ActionRefusal.UNKNOWN_FIELD


def test_an_untriaged_case_has_nothing_to_correct():
    store = InMemoryWorkflowStore()
    store.add(a_case())
    refused = correct(CASE_ID, "priority", "P1", "ana", case_deps(store))
    assert refused == ActionRefused(ActionRefusal.NOT_TRIAGED, CASE_ID)


def test_a_note_emails_each_person_it_mentions_once_and_never_its_words():
    # Given a note that mentions luis twice, an unknown person and an email address
    outbox = Outbox()
    deps = case_deps(a_store(), outbox=outbox)
    note = "@luis mira esto, y @luis otra vez; @fulano también. Escribe a x@y.es"
    # When ana adds it
    done = add_note(CASE_ID, note, "ana", deps, "https://api.example")
    # Then luis got one email linking the case, and the unknown person is named as unreached
    assert [m["to"] for m in outbox.sent] == [["luis@brand.example"]]
    assert "mira esto" not in outbox.sent[0]["text"]
    assert f"https://api.example/console/cases/{CASE_ID}" in outbox.sent[0]["text"]
    assert done.unreached == ("fulano",)
    [(_, kind, data)] = deps.console.events
    assert kind == "note" and data["mentions"] == ["luis", "fulano"] and data["by"] == "ana"


def test_a_mention_whose_email_cannot_go_now_is_named_unreached_and_the_note_kept():
    deps = case_deps(a_store(), outbox=Outbox(fail_next=1))
    done = add_note(CASE_ID, "@luis urgente", "ana", deps)
    assert done.unreached == ("luis",) and deps.console.kinds() == ["note"]


def test_closing_goes_through_the_existing_path_and_tells_a_waiting_workflow():
    # Given a derived case waiting on its department's link
    store = a_store(current_action=ACTION_ID)
    store.actions[ACTION_ID] = a_link()
    tokens = RecordingTaskTokens()
    deps = case_deps(store, tokens=tokens)
    # When ana closes it as resolved
    done = close(CASE_ID, "resolved", "Resuelto por teléfono", "ana", deps)
    # Then it is closed by her (with the milestone the reports read), and the workflow
    # is resumed as closed (it escalates nothing, emails nobody)
    assert done == ActionDone(CASE_ID, "close", "resolved")
    assert store.cases[CASE_ID].closed and store.cases[CASE_ID].status == "resolved"
    assert store.fields[CASE_ID]["closed_by"] == "ana" and store.fields[CASE_ID]["resolved_at"]
    [(token, output)] = tokens.resumed
    assert token == "token" and output["outcome"] == "closed"
    assert deps.console.kinds() == ["note"]
    # And a second close is refused: it is closed already
    assert close(CASE_ID, "spam", "", "ana", deps).reason is ActionRefusal.CLOSED


def test_closing_when_the_workflow_no_longer_waits_still_closes():
    store = a_store(current_action=ACTION_ID)
    store.actions[ACTION_ID] = a_link()
    deps = case_deps(store, tokens=RecordingTaskTokens(fails_with=TaskGone))
    assert isinstance(close(CASE_ID, "spam", "", "ana", deps), ActionDone)
    assert store.cases[CASE_ID].status == "spam"


def test_an_unknown_close_reason_is_refused():
    assert close(CASE_ID, "bored", "", "ana", case_deps(a_store())).reason is ActionRefusal.INVALID


def test_reopening_a_closed_case_and_refusing_an_open_one():
    store = a_store(closed_at="2026-11-24T09:30:00Z")
    deps = case_deps(store)
    assert reopen(CASE_ID, "ana", deps) == ActionDone(CASE_ID, "reopen", "")
    assert not store.cases[CASE_ID].closed
    assert reopen(CASE_ID, "ana", deps).reason is ActionRefusal.NOT_CLOSED


def test_a_crisis_topic_is_a_short_word():
    deps = case_deps(a_store())
    assert mark_crisis(CASE_ID, "Outage", "ana", deps) == ActionDone(
        CASE_ID, "mark_crisis", "outage"
    )
    assert deps.console.crisis == {CASE_ID: "outage"}
    assert mark_crisis(CASE_ID, "<b>x</b>", "ana", deps).reason is ActionRefusal.INVALID


def test_a_waiting_case_is_rerouted_as_its_departments_not_ours_would():
    # Given a case waiting on claims
    store = a_store(current_action=ACTION_ID)
    store.actions[ACTION_ID] = a_link()
    tokens = RecordingTaskTokens()
    deps = routing_deps(store, tokens=tokens)
    # When ana re-routes it to sales
    done = derive(CASE_ID, "sales", "es una venta", "ana", deps)
    # Then the link is spent by her, and the workflow waits on sales with a new plan
    assert done == ActionDone(CASE_ID, "derive", "claims -> sales")
    assert store.actions[ACTION_ID].actor == "ana"
    [(_, output)] = tokens.resumed
    assert output["outcome"] == "wait" and output["plan"]["department"] == "sales"
    assert output["answer"]["action"] == "not_ours" and output["answer"]["to"] == "sales"
    assert deps.console.kinds() == ["rerouted"]
    # And a second re-route finds the link spent: nothing is resumed twice
    assert derive(CASE_ID, "legal", "", "ana", deps) == WORKFLOW_ENDED
    assert len(tokens.resumed) == 1


def test_rerouting_to_the_department_that_has_it_or_to_none_is_refused():
    store = a_store(current_action=ACTION_ID)
    store.actions[ACTION_ID] = a_link()
    deps = routing_deps(store)
    assert derive(CASE_ID, "claims", "", "ana", deps) == SAME_DEPARTMENT
    assert derive(CASE_ID, "nowhere", "", "ana", deps).reason is ActionRefusal.INVALID


def test_a_reroute_the_workflow_cannot_take_now_leaves_the_link_to_act():
    store = a_store(current_action=ACTION_ID)
    store.actions[ACTION_ID] = a_link()
    deps = routing_deps(store, tokens=RecordingTaskTokens(fails_with=Unavailable))
    assert derive(CASE_ID, "sales", "", "ana", deps).reason is ActionRefusal.UNAVAILABLE
    assert store.actions[ACTION_ID].status.value == "pending"


def test_a_case_never_derived_starts_its_workflow_at_the_first_wait():
    store = a_store(status="triaged", workflow_started=False)
    workflows = RecordingWorkflows()
    deps = routing_deps(store, workflows=workflows)
    assert derive(CASE_ID, "legal", "", "ana", deps) == ActionDone(CASE_ID, "derive", "-> legal")
    plan = workflows.started[CASE_ID]
    assert plan.department == "legal" and plan.priority == "P2" and plan.reason == "derived"
    assert store.cases[CASE_ID].workflow_started
    # And a case whose workflow has ended cannot be derived again (its execution's name)
    assert derive(CASE_ID, "sales", "", "ana", deps) == WORKFLOW_ENDED


def test_a_closed_case_is_neither_derived_nor_assigned():
    store = a_store(closed_at="2026-11-24T09:30:00Z")
    assert derive(CASE_ID, "sales", "", "ana", routing_deps(store)).reason is ActionRefusal.CLOSED
    assert assign(CASE_ID, "luis", "ana", case_deps(store)).reason is ActionRefusal.CLOSED


def test_the_fake_keeps_a_closed_case_closed():
    store = a_store()
    store.cases[CASE_ID] = replace(store.cases[CASE_ID], closed_at="2026-11-24T09:30:00Z")
    assert close(CASE_ID, "resolved", "", "ana", case_deps(store)).reason is ActionRefusal.CLOSED
