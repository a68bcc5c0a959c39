"""A person is found whole from any id a platform gave for them; a username alone only
leads to the ids that wrote with it. The use case against a person index that keeps the
adapter's promise: a case is indexed under its author id and under every alias and
username its case and messages carried."""

from __future__ import annotations

from typing import Any

import pytest

from socialcare.adapters.dynamodb.report_days import case_row
from socialcare.app.privacy import PrivacyDependencies, find, who_used
from socialcare.config.loaders import routing_config
from socialcare.domain.cases import handle_key
from socialcare.domain.privacy import Handle, Held, HoldingKind, Person, PersonInvalid
from socialcare.presentation.report_redaction import redact_report
from socialcare_cli.main import main
from tests.conftest import NOW

PHONE, BSUID = "34699000111", "ES.1410018717833190"


def a_case(number: int, platform: str, *authors: dict[str, Any]) -> dict[str, Any]:
    """A case whose first message had the first author, its later messages the others."""
    return {
        "id": f"2026112{number}-{number:016x}",
        "platform": platform,
        "created_at": f"2026-11-2{number}T10:00:00.000Z",
        "author": authors[0],
        "messages": [
            {"author": author, "text": f"mensaje {n}"} for n, author in enumerate(authors)
        ],
    }


class PersonIndex:
    def __init__(self, *cases: dict[str, Any]) -> None:
        self.by_id = {case["id"]: case for case in cases}

    def _authors(self, case: dict[str, Any]) -> list[dict[str, Any]]:
        return [case["author"], *(m["author"] for m in case["messages"])]

    def case_ids_of(self, person: Person) -> list[str]:
        return [
            case["id"]
            for case in self.by_id.values()
            if case["platform"] == person.platform.value
            and any(
                person.author_id in [a["id"], *(a.get("aliases") or ())]
                for a in self._authors(case)
            )
        ]

    def case_ids_of_handle(self, handle: Handle) -> list[str]:
        return [
            case["id"]
            for case in self.by_id.values()
            if any(
                handle_key(case["platform"], a.get("handle")) == handle.key
                for a in self._authors(case)
            )
        ]

    def case_items(self, case_id: str) -> list[Held]:
        case = self.by_id[case_id]
        messages = [
            Held(HoldingKind.MESSAGE, case_id, (case_id, n), m)
            for n, m in enumerate(case["messages"])
        ]
        data = {k: v for k, v in case.items() if k != "messages"}
        return [*messages, Held(HoldingKind.CASE, case_id, (case_id, "CASE"), data, case_row(data))]

    def cases(self, case_ids: list[str]) -> list[Held]:
        return [self.case_items(case_id)[-1] for case_id in case_ids]

    def open_case_pointer(self, person: Person) -> Held | None:
        return None


class Nothing:
    def find(self, _: Any) -> Any:
        return [] if isinstance(_, frozenset) else None

    def naming(self, folders: list[str], case_ids: set[str]) -> list[Held]:
        return []


def deps(index: PersonIndex) -> PrivacyDependencies:
    return PrivacyDependencies(
        store=index,
        customers=Nothing(),
        parked=Nothing(),
        reports=Nothing(),
        workflows=Nothing(),
        redact_report=redact_report,
        routing=routing_config(),
        clock=lambda: NOW,
        actor=lambda: "ops",
    )


# Her phone-only message; a BSUID-only one (WhatsApp withheld the phone) that she later
# followed with both; and someone else who wrote from another phone.
HER_CASES = (
    a_case(1, "whatsapp", {"id": PHONE}),
    a_case(2, "whatsapp", {"id": BSUID, "handle": "nuria.c"}, {"id": BSUID, "aliases": [PHONE]}),
    a_case(3, "whatsapp", {"id": "34600222333"}),
)


@pytest.mark.parametrize("given", [PHONE, BSUID])
def test_a_person_is_found_whole_from_either_id_through_the_ids_her_cases_show(given):
    # When ops look for her by one id
    data = find([Person.of("whatsapp", given)], deps(PersonIndex(*HER_CASES)))
    # Then both her cases are found, and the other id they show; not the other person
    assert data.case_ids() == [HER_CASES[0]["id"], HER_CASES[1]["id"]]
    assert {p.author_id for p in data.people} == {PHONE, BSUID}
    assert data.asked == (Person.of("whatsapp", given),)


def test_a_username_leads_to_each_id_that_wrote_with_it_and_finds_no_case_itself():
    # Given @Ana_G on X: one account in two cases, then (renamed, the name taken) another
    index = PersonIndex(
        a_case(1, "x", {"id": "111", "handle": "Ana_G"}),
        a_case(2, "x", {"id": "111", "handle": "ana_g"}),
        a_case(5, "x", {"id": "222", "handle": "ana_g"}),
        a_case(6, "telegram", {"id": "333", "handle": "ana_g"}),
    )
    # When ops ask who wrote as @ana_g on X
    uses = who_used(Handle.from_key("x#@ANA_G"), deps(index))
    # Then each id is named with its cases and days, for ops to confirm with the person
    assert [(u.person.key, u.cases, u.first_day, u.last_day) for u in uses] == [
        ("x#111", 2, "2026-11-21", "2026-11-22"),
        ("x#222", 1, "2026-11-25", "2026-11-25"),
    ]


@pytest.mark.parametrize("command", ["export", "erase"])
def test_an_export_or_erasure_by_username_alone_is_refused_in_one_line(command, capsys):
    extra = ["-o", "out.json"] if command == "export" else ["--yes"]
    code = main(
        ["privacy", command, "--handle", "x#ana_g", *extra, "--local", "http://127.0.0.1:9"]
    )
    error = capsys.readouterr().err
    assert code == 1 and "does not say who" in error and error.count("\n") == 1


@pytest.mark.parametrize("handle", ["ana_g", "x#ana g", "x#", "myspace#ana"])
def test_a_handle_that_is_not_one_is_refused_in_one_line(handle, capsys):
    code = main(["privacy", "find", "--handle", handle, "--local", "http://127.0.0.1:9"])
    error = capsys.readouterr().err
    assert code == 1 and error.count("\n") == 1


def test_a_phone_as_people_write_it_is_the_whatsapp_id_and_a_long_bsuid_is_one():
    assert Person.of("whatsapp", "+34 699 00 01 11").author_id == PHONE
    assert Person.of("whatsapp", "US.ENT." + "7" * 128).author_id.endswith("7" * 128)
    with pytest.raises(PersonInvalid):
        Person.of("whatsapp", "US.ENT." + "7" * 160)


@pytest.mark.parametrize(
    "written",
    [
        "0034699000111",  # the international prefix most of Europe dials
        "0034 699 00 01 11",
        "+34 (699) 00-01-11",
        "(+34) 699.00.01.11",
        "34.699.000.111",
    ],
)
def test_a_phone_written_with_00_dots_or_parentheses_finds_her_as_by_her_whatsapp_id(written):
    # When ops look for her by her phone as she wrote it on a form
    data = find([Person.of("whatsapp", written)], deps(PersonIndex(*HER_CASES)))
    # Then it is her WhatsApp id, and her cases are found through it
    assert data.asked == (Person.of("whatsapp", PHONE),)
    assert data.case_ids() == [HER_CASES[0]["id"], HER_CASES[1]["id"]]


def test_a_00_is_not_taken_off_what_is_not_a_phone():
    # A Telegram id or a business-scoped id stays as given
    assert Person.of("telegram", "0012345").author_id == "0012345"
    assert Person.of("whatsapp", "ES.0034699000111").author_id == "ES.0034699000111"
