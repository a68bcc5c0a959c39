"""The crisis alert people can act on: the topic as configured, the window's cases with
excerpts and links, the trend against the window before, and the answers approved ahead."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import timedelta

import pytest

from socialcare.app.case_triage import triage_case
from socialcare.app.crisis_alerts import CrisisFound, crisis_facts
from socialcare.app.triage import Triager
from socialcare.config.files import CONFIG_DIR
from socialcare.config.validation import validated
from socialcare.domain.cases import CaseAuthor
from socialcare.domain.clock import utc_iso
from socialcare.domain.crisis import crisis_topic
from socialcare.domain.routing import RoutingConfig
from tests.conftest import NOW
from tests.fakes import InMemoryWorkflowStore, a_case
from tests.service_fakes import Outbox
from tests.unit.domain.test_profiles import deployed
from tests.unit.test_case_triage import deps

BILLING = "Me habéis cobrado dos veces el recibo, es una vergüenza. Mi DNI es 12345678Z"
PROFILES = sorted(path.name for path in (CONFIG_DIR / "profiles").iterdir())
ANSWERS = {
    "billing": {
        "es": "Sabemos que algunos recibos de este mes se han cobrado dos veces; lo devolvemos.",
        "en": "Some of this month's bills were charged twice; we are refunding them.",
    }
}


def routing_of(profile: str | None, folder) -> RoutingConfig:
    return Triager().routing if profile is None else deployed(profile, folder).routing


@pytest.mark.parametrize("profile", [None, *PROFILES])
def test_every_topic_key_the_crisis_detector_can_produce_is_named_in_both_languages(
    tmp_path, profile
):
    # Given a configuration (the base one, or an industry profile deployed)
    routing = routing_of(profile, tmp_path)
    # When the detector picks the topic of a case on each topic, and of one on none
    keys = {crisis_topic(routing.topics_of(pattern_word(p))) for p in routing.topics.values()}
    keys |= {crisis_topic(())}
    # Then every key it can produce is a configured topic, named in es and en
    assert keys <= {*routing.topics, "other"}
    for key in keys:
        assert set(routing.topic_names[key]) == {"es", "en"}, key


def pattern_word(pattern: str) -> str:
    """A word the topic's pattern matches (its first alternative, wildcard dropped)."""
    return pattern.split("|")[0].replace("*", "").replace("?", "")


def test_the_crisis_topic_is_the_first_configured_topic_the_text_matches():
    # Given the base configuration, where billing is listed before customer_service
    routing = Triager().routing
    # When a complaint matches both, or none
    both = crisis_topic(routing.topics_of("Nadie me coge el teléfono y me cobráis de más"))
    none = crisis_topic(routing.topics_of("Una vergüenza"))
    # Then it counts for the first, and otherwise for "other"
    assert (both, none) == ("billing", "other")


def billing_wave(store: InMemoryWorkflowStore, count: int, *, start: int = 0) -> list[str]:
    """`count` billing complaints written a few minutes apart, before NOW."""
    ids = []
    for n in range(start, start + count):
        case = a_case(
            f"20261124-{n + 1:016x}",
            texts=(BILLING,),
            created_at=utc_iso(NOW - timedelta(minutes=50 - n)),
            author=CaseAuthor(id=str(100 + n), handle=f"cliente{n}", followers=10000 + 1000 * n),
        )
        store.add(case)
        ids.append(case.id)
    return ids


def crisis_deps(store, outbox, answers=None):
    triager = Triager()
    if answers is not None:
        crisis = replace(triager.routing.crisis, **{"answers": answers})
        triager.routing = replace(triager.routing, **{"crisis": crisis})
    return deps(store, outbox, triager=triager)


def test_six_billing_complaints_raise_one_alert_naming_the_topic_with_cases_links_and_trend():
    # Given two billing complaints in the hour before the window, and six in it
    store, outbox = InMemoryWorkflowStore(), Outbox()
    earlier = [
        a_case(
            f"20261124-{100 + n:016x}",
            texts=(BILLING,),
            created_at=utc_iso(NOW - timedelta(minutes=90 + n)),
        )
        for n in (0, 1)
    ]
    for case in earlier:
        store.add(case)
        triage_case(case.id, crisis_deps(store, outbox, ANSWERS))
    ids = billing_wave(store, 6)
    # When they are triaged
    for case_id in ids:
        triage_case(case_id, crisis_deps(store, outbox, ANSWERS))
    # Then one alert goes to the crisis contacts, naming the billing topic as configured
    routing = Triager().routing
    [alert] = [e for e in outbox.sent if e["to"] == list(routing.crisis.contacts)]
    assert "Facturación y cobros" in alert["subject"], alert["subject"]
    assert "Otros" not in alert["subject"]
    # with each of the six cases, its excerpt masked, its reach, and its link
    for case_id in ids:
        case = store.cases[case_id]
        link = f"https://api.example/publish/{case_id}.{case.publish.key}"
        assert case_id in alert["text"] and link in alert["text"] and link in alert["html"]
    assert "12345678Z" not in alert["text"] and "12345678Z" not in alert["html"]
    assert "15.000 seguidores" in alert["text"]
    # the trend against the hour before, and the answer approved for billing
    assert "6 en esta ventana frente a 2 en la anterior" in alert["text"], alert["text"]
    assert ANSWERS["billing"]["es"] in alert["text"] and ANSWERS["billing"]["es"] in alert["html"]
    # styled like the other emails (the shared layout), not bare text
    assert alert["html"].startswith("<!doctype html>") and "<style>" in alert["html"]


def test_the_alert_lists_at_most_twenty_cases_the_newest_first():
    # Given twenty-five billing complaints within the window
    store, outbox = InMemoryWorkflowStore(), Outbox()
    routing = Triager().routing
    for n in range(24):
        at = utc_iso(NOW - timedelta(minutes=55 - n))
        case = a_case(f"20261124-{n + 200:016x}", created_at=at)
        store.add(case)
        store.negative_cases_seen.append(("billing", case.created_at, case.id))
    [case_id] = billing_wave(store, 1, start=30)
    # When the last one is triaged
    triage_case(case_id, crisis_deps(store, outbox))
    # Then the alert counts all 25 and lists twenty of them, the newest first
    [alert] = [e for e in outbox.sent if e["to"] == list(routing.crisis.contacts)]
    assert "25 casos negativos" in alert["subject"]
    assert alert["text"].index(case_id) < alert["text"].index("20261124-" + f"{223:016x}")
    assert f"20261124-{200 + 4:016x}" not in alert["text"]  # the 21st newest


def test_answers_for_a_topic_not_configured_are_refused():
    # Given the base routing with an answer for a topic nobody configured
    data = asdict(Triager().routing)
    data["crisis"]["answers"] = {"weather": {"es": "Llueve.", "en": "It rains."}}
    # When validated, Then the unknown topic is named
    with pytest.raises(ValueError, match="crisis answers: unknown topic 'weather'"):
        validated(RoutingConfig, data)


def test_answers_must_be_written_in_every_language():
    data = asdict(Triager().routing)
    data["crisis"]["answers"] = {"billing": {"es": "Lo devolvemos."}}
    with pytest.raises(ValueError, match=r"crisis answers: billing: no answer in \['en'\]"):
        validated(RoutingConfig, data)


def test_the_alert_counts_the_cases_it_lists_when_more_were_triaged_meanwhile():
    # Given six billing complaints counted when this case crossed the line, and a seventh
    # triaged by another container before the alert read the window's cases
    store, outbox = InMemoryWorkflowStore(), Outbox()
    ids = billing_wave(store, 7)
    for case_id in ids:
        store.negative_cases_seen.append(("billing", store.cases[case_id].created_at, case_id))
    found = CrisisFound("billing", count=6, alerts=True)
    # When the alert's facts are gathered
    facts = crisis_facts(found, store.case(ids[5]), NOW, crisis_deps(store, outbox))
    # Then it says as many cases as it lists (never "6 cases" above seven)
    assert len(facts.cases) == 7 and facts.count == 7


def test_a_case_still_in_triage_is_listed_without_a_link_and_says_so():
    # Given six billing complaints triaged, and a seventh counted by another container
    # that has not written its triage yet when this one sends the alert
    store, outbox = InMemoryWorkflowStore(), Outbox()
    ids = billing_wave(store, 7)
    for case_id in ids[:6]:
        triage_case(case_id, crisis_deps(store, outbox))
    store.negative_cases_seen.append(("billing", store.cases[ids[6]].created_at, ids[6]))
    found = CrisisFound("billing", count=7, alerts=True)
    dependencies = crisis_deps(store, outbox)
    # When the alert is written
    facts = crisis_facts(found, store.case(ids[5]), NOW, dependencies)
    alert = dependencies.emails.crisis(facts)
    # Then the seventh is listed, with no link, saying why and where to find it; the
    # others keep their links
    assert ids[6] in alert.text and f"/publish/{ids[6]}." not in alert.text
    assert alert.text.count("Aún en triaje cuando salió esta alerta") == 1
    assert "Aún en triaje cuando salió esta alerta" in alert.html
    assert all(f"/publish/{case_id}." in alert.text for case_id in ids[:6])
