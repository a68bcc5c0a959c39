from dataclasses import replace

from socialcare.app.saved_replies import (
    EditedMeanwhile,
    Saved,
    SavedReplyNotFound,
    SavedReplyRefused,
    create,
    edit,
    find,
    for_case,
    history,
    retire,
)
from socialcare.domain.cases import CaseAuthor, RouteStop
from socialcare.domain.saved_replies import (
    CaseValues,
    Filled,
    SavedReplyFields,
    SavedReplySearch,
    UnknownVariables,
    filled,
)
from tests.unit.console.approval_fakes import a_case
from tests.unit.console.saved_reply_fakes import saved_reply_deps

HOURS = SavedReplyFields(
    title="Horario de atención",
    texts={"es": "Hola, {nombre}: abrimos de 9:00 a 18:00.", "en": "Hi {name}, we open 9-18."},
    tags=("Horario", "faq"),
)
CRISIS = SavedReplyFields(
    title="Cobros inesperados",
    texts={"es": "Sabemos que algunos veis cobros que no esperabais."},
    tags=("crisis",),
    crisis_approved=True,
)


def _created(deps, fields=HOURS):
    outcome = create(fields, "carla", deps)
    assert isinstance(outcome, Saved), outcome
    return outcome.reply


def test_a_saved_reply_is_created_with_an_id_from_its_title_and_its_first_version():
    # Given no saved replies
    deps = saved_reply_deps()

    # When carla creates one
    reply = _created(deps)

    # Then it has an id from its title, tags in lower case, version 1 by carla
    assert reply.id == "horario-de-atencion"
    assert reply.fields.tags == ("horario", "faq")
    assert [(v.version, v.by, v.changed) for v in history(reply.id, deps)] == [
        (1, "carla", ("created",))
    ]
    assert deps.audit.entries[0].action == "saved_reply_created"


def test_every_edit_is_a_version_saying_who_and_what_changed():
    # Given a saved reply
    deps = saved_reply_deps()
    reply = _created(deps)

    # When carla changes its Spanish text and its tags
    texts = {**HOURS.texts, "es": "Hola, {nombre}: abrimos de 8:00 a 18:00."}
    outcome = edit(reply.id, replace(HOURS, texts=texts, tags=("faq",)), "carla", 1, deps)

    # Then version 2 says what changed, and the first is kept
    assert isinstance(outcome, Saved) and outcome.reply.version == 2
    versions = history(reply.id, deps)
    assert [(v.version, v.changed) for v in versions] == [
        (2, ("text.es", "tags")),
        (1, ("created",)),
    ]
    assert versions[1].fields.texts["es"] == HOURS.texts["es"]


def test_two_people_editing_at_once_never_overwrite_each_other():
    # Given a saved reply both carla and diego opened at version 1
    deps = saved_reply_deps()
    reply = _created(deps)
    first = edit(reply.id, replace(HOURS, title="Horario"), "carla", 1, deps)

    # When diego saves what he edited from version 1
    second = edit(reply.id, replace(HOURS, title="Horarios"), "diego", 1, deps)

    # Then he is told, shown carla's, and nothing of his is kept
    assert isinstance(first, Saved)
    assert isinstance(second, EditedMeanwhile) and second.current.title == "Horario"
    assert len(history(reply.id, deps)) == 2


def test_a_retired_reply_leaves_the_lists_and_keeps_its_history():
    # Given two saved replies
    deps = saved_reply_deps()
    hours, crisis = _created(deps), _created(deps, CRISIS)

    # When the first is retired
    outcome = retire(hours.id, "carla", 1, deps)

    # Then only the other is listed; the retired one is found among the retired
    assert isinstance(outcome, Saved) and outcome.reply.retired
    assert [r.id for r in find(SavedReplySearch(), deps)] == [crisis.id]
    assert [r.id for r in find(SavedReplySearch(retired=True), deps)] == [hours.id]
    assert history(hours.id, deps)[0].changed == ("retired",)


def test_search_by_words_language_and_crisis_approval():
    # Given two saved replies, one approved for a crisis
    deps = saved_reply_deps()
    _created(deps)
    _created(deps, CRISIS)

    # Then words match without accents or capitals, in title, text or tags
    assert [r.id for r in find(SavedReplySearch("ATENCION"), deps)] == ["horario-de-atencion"]
    assert [r.id for r in find(SavedReplySearch("cobros esperabais"), deps)] == [
        "cobros-inesperados"
    ]
    # ... the language filters, and crisis-approved ones come first
    assert [r.id for r in find(SavedReplySearch(language="en"), deps)] == ["horario-de-atencion"]
    listed = find(SavedReplySearch(), deps)
    assert [r.fields.crisis_approved for r in listed] == [True, False]
    assert find(SavedReplySearch(crisis_only=True), deps)[0].id == "cobros-inesperados"


def test_what_is_wrong_is_refused_line_by_line():
    # Given a reply with no title, an unknown variable, and a language the console lacks
    deps = saved_reply_deps()
    bad = SavedReplyFields(title=" ", texts={"es": "Hola {cliente}", "fr": "Bonjour"})

    # Then it is refused, saying each problem, and nothing is kept
    outcome = create(bad, "carla", deps)
    assert isinstance(outcome, SavedReplyRefused)
    assert outcome.problems == (
        "title: is empty",
        "texts.es: unknown variables {cliente}",
        "texts.fr: not a language the console speaks",
    )
    assert deps.store.all() == []


def test_variables_are_filled_from_the_case_in_either_language_s_words():
    # Given a derived case of Lucía's and a saved reply using variables
    case = replace(
        a_case(),
        author=CaseAuthor("42", display_name="Lucía Gómez"),
        route=(RouteStop("claims", 0, "2026-12-07T21:00:00.000Z"),),
    )
    deps = saved_reply_deps(case)
    text = "Hola, {nombre}: tu caso {caso} lo lleva {departamento}."
    reply = _created(deps, SavedReplyFields(title="Derivado", texts={"es": text}))

    # When it is filled for the case
    outcome = for_case(reply.id, case.id, "es", deps)

    # Then the case's values are in it
    assert outcome == Filled(f"Hola, Lucía: tu caso {case.id} lo lleva Siniestros.")
    assert isinstance(for_case(reply.id, case.id, "en", deps), SavedReplyNotFound)


def test_an_unknown_name_leaves_no_stray_space_and_an_unknown_variable_is_refused():
    # Then an empty name closes up, and a variable nobody knows refuses the text
    assert filled("Hola {nombre}, gracias.", CaseValues()) == Filled("Hola, gracias.")
    assert filled("Hola {apellido}", CaseValues()) == UnknownVariables(("apellido",))


def test_the_seed_file_is_valid_and_seeding_never_overwrites_an_edit():
    # Given the shipped seeds, and a stack where carla already edited one of them
    from socialcare.app.saved_replies import seed
    from socialcare.config.loaders import saved_reply_seeds

    seeds = saved_reply_seeds()
    deps = saved_reply_deps()
    create(replace(HOURS, title="Nuestro horario"), "carla", deps, "horario-de-atencion")

    # When the stack is seeded twice
    first = seed(seeds, deps)
    second = seed(seeds, deps)

    # Then every other seed was created once, valid, and carla's is as she left it
    assert "horario-de-atencion" not in first and len(first) == len(seeds) - 1
    assert second == []
    assert deps.store.reply("horario-de-atencion").title == "Nuestro horario"
    assert any(r.fields.crisis_approved for r in deps.store.all())
