"""The rehearsal of a protocol change, pure: past cases given as values, the configuration
read from folders (a copy edited as a person would), nothing stored or sent."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from socialcare.app.protocol_rehearsal import Protocol, rehearse
from socialcare.app.triage import Triager
from socialcare.config.files import CONFIG_DIR
from socialcare.config.loaders import routing_config
from socialcare.domain.cases import TRIAGE_FLAGS
from socialcare.domain.derivation import plan_wait
from socialcare.domain.messages import Channel
from socialcare.domain.rehearsal import CHANGE_KINDS, PastCase, PastTriage

# A Tuesday, 10:00 in Madrid: inside the departments' hours.
TRIAGED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
COMPLAINT = "Me habéis cobrado dos veces el recibo del seguro del coche, quiero la devolución"
PRAISE = "¡Enhorabuena por el servicio! El gruista llegó en 20 minutos, gracias"
EXPOSED = "Mi DNI es 12345678Z y nadie me llama por el siniestro del coche, que vergüenza"
TO_LEGAL = "rules:\n  - department: legal\n    categories: [complaint]\n"


def past(
    text: str,
    channel: Channel = Channel.MESSENGER,
    *,
    case_id: str = "20261201-0000000000000001",
    answered_after: timedelta | None = None,
) -> PastCase:
    """A case as the current configuration triaged it at TRIAGED, derived at once."""
    assessment = Triager().assess(text, channel)
    department = None if assessment.autonomous else assessment.department
    plan = None
    if department is not None:
        plan = plan_wait(
            routing_config(),
            department=department,
            priority=assessment.priority,
            level=0,
            now=TRIAGED,
            time_scale=1,
            reason="derived",
        )
    return PastCase(
        id=case_id,
        created_at="2026-12-01T08:59:59.000Z",
        triaged_at=TRIAGED,
        channel=channel,
        public=channel.is_public,
        text=text,
        triage=PastTriage(
            category=assessment.triage.category.value,
            priority=assessment.priority,
            department=department,
            urgent=assessment.urgent,
            authority=assessment.triage.authority_mentioned,
            needs_review=assessment.needs_review,
            flags=tuple(flag for flag in TRIAGE_FLAGS if flag in assessment.flags),
            confidence=assessment.triage.confidence,
            sentiment=assessment.triage.sentiment.value,
            language=assessment.triage.language,
            relation=assessment.triage.relation.value,
            safety=assessment.triage.safety,
            personal_data_exposed=assessment.triage.personal_data_exposed,
            review_reasons=assessment.triage.review_reasons,
        ),
        status="resolved" if department else "autonomous",
        plan=plan,
        derived_at=TRIAGED if plan else None,
        answered_at=TRIAGED + answered_after if plan and answered_after else None,
        last_seen_at=TRIAGED + (answered_after or timedelta(hours=1)),
    )


def folder(tmp_path: Path, name: str, **edits) -> Path:
    """A copy of the configuration, each file's text edited by the function given."""
    copy = tmp_path / name
    shutil.copytree(CONFIG_DIR, copy, ignore=shutil.ignore_patterns("profiles"))
    for file, edit in edits.items():
        path = copy / file.replace("_", ".")
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return copy


def sla_folder(tmp_path: Path, name: str, *, hours: int) -> Path:
    """A copy whose Madrid departments have `hours` business hours at every priority."""
    every = f"{{P1: {hours}, P2: {hours}, P3: {hours}, P4: {hours}}}"
    madrid = "    calendar: madrid\n    supervisor:"
    return folder(
        tmp_path,
        name,
        routing_yaml=lambda t: t.replace(
            madrid, madrid.replace("\n", f"\n    sla_hours: {every}\n", 1)
        ),
    )


@pytest.fixture(scope="module")
def current() -> Protocol:
    return Protocol.read(CONFIG_DIR)


def test_the_same_configuration_changes_nothing(current: Protocol):
    # Given a complaint answered in time, praise, and a comment exposing personal data
    cases = [
        past(COMPLAINT, answered_after=timedelta(hours=2)),
        past(PRAISE, Channel.FACEBOOK_COMMENT, case_id="20261201-0000000000000002"),
        past(EXPOSED, Channel.FACEBOOK_COMMENT, case_id="20261201-0000000000000003"),
    ]
    # When the configuration that triaged them is rehearsed on them
    outcome = rehearse(cases, current, current)
    # Then every case is read and no count moves
    assert outcome.tally.cases_read == 3
    assert outcome.tally.counts == dict.fromkeys(CHANGE_KINDS, 0)
    assert outcome.changes == [] and outcome.cost["before"] == outcome.cost["after"]


def test_a_rule_moves_the_complaints_a_department_had_and_nothing_else(
    current: Protocol, tmp_path: Path
):
    # Given a derived complaint (customer service) and praise the social team closed
    complaint = past(COMPLAINT, answered_after=timedelta(hours=2))
    praise = past(PRAISE, Channel.FACEBOOK_COMMENT, case_id="20261201-0000000000000002")
    assert complaint.triage.department not in (None, "legal")
    # When a first rule sends every complaint to legal
    proposed = Protocol.read(
        folder(tmp_path, "legal", routing_yaml=lambda t: t.replace("rules:\n", TO_LEGAL, 1))
    )
    outcome = rehearse([complaint, praise], current, proposed)
    # Then the complaint moves from its department to legal; nothing else changes
    [change] = outcome.changes
    assert change.case_id == complaint.id and change.kinds == ("department",)
    assert outcome.tally.moves == {(complaint.triage.department, "legal"): 1}
    assert outcome.emails["legal"] == [0, 1]


def test_halved_deadlines_make_an_answer_late_and_escalate_it(current: Protocol, tmp_path: Path):
    # Given a complaint its department answered 10 business hours after triage (24 allowed)
    case = past(COMPLAINT, answered_after=timedelta(days=1, hours=1))
    assert case.plan is not None
    # When every department's deadline is 8 business hours
    proposed = Protocol.read(sla_folder(tmp_path, "halved", hours=8))
    outcome = rehearse([case], current, proposed)
    # Then its answer would have been late: one escalation, its supervisor's email
    [change] = outcome.changes
    assert change.kinds == ("deadline",)
    assert (change.before.late_levels, change.after.late_levels) == (0, 1)
    assert outcome.tally.would_be_late == 1
    assert outcome.tally.escalation_emails == {"before": 0, "after": 1}
    assert outcome.cost["after"] > outcome.cost["before"]


def test_no_automatic_rule_means_no_hide_and_no_notice(current: Protocol, tmp_path: Path):
    # Given a comment that exposed personal data (hidden, noticed, followed up)
    case = past(EXPOSED, Channel.FACEBOOK_COMMENT)
    before = rehearse([case], current, current).changes
    assert before == []
    # When outbound.yaml sends nothing by itself
    proposed = Protocol.read(
        folder(
            tmp_path,
            "quiet",
            outbound_yaml=lambda t: t[: t.index("\nautomatic:")] + "\nautomatic: []\n",
        )
    )
    outcome = rehearse([case], current, proposed)
    # Then the rehearsal says the hide and what followed it would not have gone out
    [change] = outcome.changes
    assert change.kinds == ("automatic_actions",)
    assert set(outcome.tally.automatic["removed"]) == {"hide", "public_notice", "private_followup"}
    assert outcome.tally.automatic["added"] == {}


def test_a_moved_case_is_not_compared_on_its_deadline(current: Protocol, tmp_path: Path):
    # Given a complaint answered late for its own department (a day and a half, 24 allowed)
    case = past(COMPLAINT, answered_after=timedelta(days=5))
    # When it would have gone to legal instead
    proposed = Protocol.read(
        folder(tmp_path, "legal2", routing_yaml=lambda t: t.replace("rules:\n", TO_LEGAL, 1))
    )
    [change] = rehearse([case], current, proposed).changes
    # Then its move is reported, not a deadline another department never had (its new
    # department is timed as answering when the old one did: legal's 24 hours, late too)
    assert change.kinds == ("department",)
    assert change.before.late_levels and change.after.late_levels


def test_surveys_turned_off_are_surveys_that_would_not_go(current: Protocol, tmp_path: Path):
    # Given a resolved complaint, surveyed when it closed
    case = replace(past(COMPLAINT, answered_after=timedelta(hours=2)), status="resolved")
    # When surveys are disabled
    proposed = Protocol.read(
        folder(
            tmp_path,
            "nosurvey",
            surveys_yaml=lambda t: t.replace("enabled: true", "enabled: false"),
        )
    )
    outcome = rehearse([case], current, proposed)
    # Then the survey is an automatic action that would not have gone out
    assert outcome.tally.automatic["removed"] == {"survey": 1}


def _holdout_cases() -> list[PastCase]:
    import json

    root = Path(__file__).resolve().parents[2] / "triage" / "holdout"
    rows = [
        json.loads(line)
        for path in sorted(root.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()[:40]
    ]
    return [
        past(row["text"], Channel(row["channel"]), case_id=f"20261201-{n:016x}")
        for n, row in enumerate(rows)
    ]


def test_a_kept_text_triage_gives_what_reading_the_words_again_gives(
    current: Protocol, tmp_path: Path
):
    # Given the held-out sets' messages as triaged cases
    cases = _holdout_cases()
    # When a routing change is rehearsed from their kept text triage, and by reading
    # every message again
    proposed = Protocol.read(
        folder(tmp_path, "legal3", routing_yaml=lambda t: t.replace("rules:\n", TO_LEGAL, 1))
    )
    kept = rehearse(cases, current, proposed)
    again = rehearse(cases, current, proposed, retriage=True)
    # Then both say the same of every case
    assert kept.retriaged == 0 and again.retriaged == len(cases)
    assert kept.changes == again.changes and kept.tally == again.tally
    assert kept.tally.counts["department"] > 10


def test_a_changed_model_or_rule_reads_every_message_again(current: Protocol, tmp_path: Path):
    # Given a proposed triage.yaml with one more urgency word
    proposed = Protocol.read(
        folder(
            tmp_path,
            "urgent",
            triage_yaml=lambda t: t.replace("urgency:\n", 'urgency:\n  - "gotera*"\n', 1),
        )
    )
    # When it is rehearsed
    outcome = rehearse([past(COMPLAINT)], current, proposed)
    # Then the case's words were read again with it
    assert outcome.retriaged == 1


def test_a_case_nobody_answered_breaches_under_longer_deadlines_too(
    current: Protocol, tmp_path: Path
):
    # Given a complaint nobody answered: every deadline passed, it closed breached
    case = replace(
        past(COMPLAINT),
        status="breached",
        answered_at=None,
        last_seen_at=TRIAGED + timedelta(days=10),
    )
    before = rehearse([case], current, current)
    # When every department's deadline is doubled
    proposed = Protocol.read(sla_folder(tmp_path, "doubled", hours=96))
    outcome = rehearse([case], current, proposed)
    # Then nothing changes: unanswered, it would have escalated to the end all the same
    # (not only as far as the longer deadlines reached by the day it closed)
    assert before.changes == [] and outcome.changes == []
    assert outcome.tally.escalation_emails["before"] == outcome.tally.escalation_emails["after"]
    assert outcome.tally.escalation_emails["after"] >= 1


def test_an_open_case_nobody_answered_yet_is_no_late_answer(current: Protocol, tmp_path: Path):
    # Given a complaint still waiting for its department, a week after triage
    case = replace(
        past(COMPLAINT),
        status="escalated",
        answered_at=None,
        last_seen_at=TRIAGED + timedelta(days=7),
    )
    # When every deadline is halved
    proposed = Protocol.read(sla_folder(tmp_path, "halved2", hours=8))
    outcome = rehearse([case], current, proposed)
    # Then no answer is counted late or on time: there is no answer yet
    assert outcome.tally.would_be_late == 0 and outcome.tally.would_be_on_time == 0
    assert all("deadline" not in change.kinds for change in outcome.changes)
