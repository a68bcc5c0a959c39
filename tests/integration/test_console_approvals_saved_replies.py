"""The saved replies' store against the local stack's DynamoDB: a reply and its versions,
an edit from an old version refused, the list read whole."""

from __future__ import annotations

from dataclasses import replace

from socialcare.adapters.dynamodb.saved_replies import DynamoDBSavedReplies
from socialcare.adapters.dynamodb.table import CasesTable
from socialcare.app.saved_replies import (
    EditedMeanwhile,
    Saved,
    SavedReplyDependencies,
    create,
    edit,
    find,
    history,
    retire,
)
from socialcare.domain.saved_replies import SavedReplyFields, SavedReplySearch
from tests.unit.console.approval_fakes import NOW, FakeCases

FIELDS = SavedReplyFields(
    title="Cobros inesperados",
    texts={"es": "Hola, {nombre}: lo revisamos.", "en": "Hi {name}, we are on it."},
    tags=("crisis", "billing"),
    crisis_approved=True,
)


def test_saved_replies_keep_every_version_and_refuse_a_stale_edit(stack):
    # Given the store on the stack's table
    store = DynamoDBSavedReplies(CasesTable(stack.client("dynamodb"), stack.cases_table))
    deps = SavedReplyDependencies(store=store, cases=FakeCases(), clock=lambda: NOW)

    # When carla creates a reply, edits it, diego edits the old version, carla retires it
    created = create(FIELDS, "carla", deps)
    assert isinstance(created, Saved)
    reply_id = created.reply.id
    edited = edit(reply_id, replace(FIELDS, title="Cobros"), "carla", 1, deps)
    stale = edit(reply_id, replace(FIELDS, title="Otros"), "diego", 1, deps)
    retired = retire(reply_id, "carla", 2, deps)

    # Then each step is kept as it was, the stale edit is not, and the lists agree
    assert isinstance(edited, Saved) and isinstance(retired, Saved)
    assert isinstance(stale, EditedMeanwhile) and stale.current.title == "Cobros"
    kept = store.reply(reply_id)
    assert kept is not None
    assert (kept.version, kept.retired, kept.fields.texts) == (3, True, FIELDS.texts)
    assert kept.fields.tags == ("crisis", "billing") and kept.fields.crisis_approved
    assert [(v.version, v.by, v.changed) for v in history(reply_id, deps)] == [
        (3, "carla", ("retired",)),
        (2, "carla", ("title",)),
        (1, "carla", ("created",)),
    ]
    assert find(SavedReplySearch(), deps) == []
    assert [r.id for r in find(SavedReplySearch("cobros", retired=True), deps)] == [reply_id]


def test_the_stack_seeds_the_saved_replies_it_lacks_once(stack):
    from socialcare import bootstrap
    from socialcare.bootstrap.console_approvals import saved_replies, seed_saved_replies

    # Given an emptied stack
    root = bootstrap.root()

    # When it is seeded twice (as the local stack does at start)
    first = seed_saved_replies(root)
    second = seed_saved_replies(root)

    # Then the seeds are listed once, the crisis answer marked
    listed = find(SavedReplySearch(), saved_replies(root))
    assert len(first) == len(listed) >= 8 and second == []
    assert [r.id for r in listed if r.fields.crisis_approved] == ["crisis-cobros-inesperados"]
