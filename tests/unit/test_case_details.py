"""What triage reads from the platform before classifying (issue 30, finding 5): an
Instagram mention's words, author and address; a Messenger or Instagram author's name;
and a read that fails never holds the case back, and says so to staff."""

from __future__ import annotations

from socialcare.app.case_triage import TriageOutcome, triage_case
from socialcare.domain.case_details import DetailsProblem, MentionContent, PersonName
from socialcare.domain.cases import Case, CaseAuthor
from socialcare.domain.emails import Email
from socialcare.domain.outbound import OutboundTarget
from socialcare.domain.platform_errors import TokenProblem
from socialcare.presentation.case_emails import CaseEmailComposer
from tests.fakes import InMemoryWorkflowStore, a_case
from tests.service_fakes import Outbox, PlatformContent
from tests.unit.test_case_triage import COMPLAINT, ROUTING, deps

IG_ACCOUNT = "17841400000000001"
MEDIA, COMMENT = "17900000000000001", "17800000000000002"
PLACEHOLDER = "[mention in a comment]"
PERMALINK = "https://www.instagram.com/p/DAbCdEfGhIj/"
CASE_ID = a_case().id
COMPOSER = CaseEmailComposer(ROUTING, "https://api.example")


def a_mention(comment_id: str | None = COMMENT) -> InMemoryWorkflowStore:
    store = InMemoryWorkflowStore()
    target = OutboundTarget(
        account_id=IG_ACCOUNT, message_id=comment_id or MEDIA, thread_id=MEDIA, author_id=None
    )
    store.add(
        a_case(
            platform="instagram",
            channel="instagram_mention",
            author=CaseAuthor(id=f"unknown:{comment_id or MEDIA}"),
            texts=(PLACEHOLDER,),
            language=None,
            reply_to=target,
        )
    )
    return store


def a_message(channel: str = "messenger", **author) -> InMemoryWorkflowStore:
    store = InMemoryWorkflowStore()
    target = OutboundTarget(
        account_id="104857600000001", message_id="m_1", conversation_id="6100000000000001"
    )
    store.add(
        a_case(
            platform="facebook" if channel == "messenger" else "instagram",
            channel=channel,
            public=False,
            author=CaseAuthor(id="6100000000000001", **author),
            texts=(COMPLAINT,),
            reply_to=target,
        )
    )
    return store


def department_email(case: Case, language: str) -> Email:
    assert case.wait_plan is not None  # derived
    return COMPOSER.derivation(case, case.wait_plan, "action-1", language)


class Alarms:
    def __init__(self) -> None:
        self.raised: list[tuple[str, TokenProblem]] = []

    def token_invalid(self, platform: str, problem: TokenProblem) -> None:
        self.raised.append((platform, problem))


def test_a_comment_mention_is_triaged_on_the_comments_words_with_its_author_and_link():
    # Given a comment mention the webhook named by ids only, and the comment on Instagram
    store = a_mention()
    graph = PlatformContent(
        mentions={(IG_ACCOUNT, MEDIA, COMMENT): MentionContent(COMPLAINT, "lucia.g", PERMALINK)}
    )
    # When triaged
    triage_case(CASE_ID, deps(store, details=graph))
    # Then the comment was read by its ids, and the case carries its words, author and link
    assert graph.reads == [("mention", IG_ACCOUNT, MEDIA, COMMENT)]
    case = store.cases[CASE_ID]
    assert case.texts == (COMPLAINT,) and case.author.handle == "lucia.g"
    assert case.permalink == PERMALINK and case.details_problem is None
    # ... classified on those words: a complaint for claims, not praise
    assert case.triage.category == "complaint"
    assert "Gracias" not in (case.triage.public_reply or "")  # not the praise reply


def test_a_caption_mention_is_read_as_the_medias_caption():
    # Given a caption mention (the media id only)
    store = a_mention(comment_id=None)
    graph = PlatformContent(
        mentions={(IG_ACCOUNT, MEDIA, None): MentionContent(COMPLAINT, "lucia.g", PERMALINK)}
    )
    # When triaged
    triage_case(CASE_ID, deps(store, details=graph))
    # Then the media was read without a comment id, and its caption is the case's text
    assert graph.reads == [("mention", IG_ACCOUNT, MEDIA, "")]
    assert store.cases[CASE_ID].texts == (COMPLAINT,)


def test_the_department_email_shows_the_mentions_words_author_and_post_link():
    # Given a mention read at triage
    store = a_mention()
    graph = PlatformContent(
        mentions={(IG_ACCOUNT, MEDIA, COMMENT): MentionContent(COMPLAINT, "lucia.g", PERMALINK)}
    )
    triage_case(CASE_ID, deps(store, details=graph))
    # When the department's email is written
    email = department_email(store.cases[CASE_ID], "es")
    # Then it has the words, the author and the link, and no placeholder
    assert PERMALINK in email.text and "@lucia.g" in email.text
    assert "Graph API" not in email.text and "Llevo tres semanas" in email.text


def test_a_mention_whose_read_fails_is_triaged_all_the_same_and_staff_are_told_why():
    for problem in DetailsProblem:
        # Given a mention, and Instagram refusing the read (token, outage, deleted)
        store, graph = a_mention(), PlatformContent(failing=problem)
        # When triaged
        triaged = triage_case(CASE_ID, deps(store, details=graph))
        # Then the case is triaged (never lost, never crashed), noting the problem
        case = store.cases[CASE_ID]
        assert triaged.outcome in (TriageOutcome.AUTONOMOUS, TriageOutcome.DERIVED), problem
        assert case.details_problem == problem.value
        email = COMPOSER.autonomous(case)
        assert "No se ha podido leer en la plataforma" in email.text, problem


def test_a_token_refused_while_reading_raises_the_token_alarm():
    # Given a mention and a token Meta refuses
    from socialcare.app.case_details import read_details

    store, alarms = a_mention(), Alarms()
    graph = PlatformContent(failing=DetailsProblem.TOKEN)
    # When read
    details = read_details(store.cases[CASE_ID], graph, alarms)
    # Then the alarm ops watch is raised, and the case goes on with the problem noted
    assert alarms.raised == [("instagram", TokenProblem.REJECTED)]
    assert details.problem is DetailsProblem.TOKEN and details.text is None


def test_a_messenger_author_is_named_from_the_user_profile():
    # Given a Messenger message (the webhook names the sender by PSID only)
    store = a_message()
    people = PlatformContent(people={("messenger", "6100000000000001"): PersonName("Marta Ruiz")})
    # When triaged
    triage_case(CASE_ID, deps(store, details=people))
    # Then the author has a name, and the email shows it
    case = store.cases[CASE_ID]
    assert case.author.display_name == "Marta Ruiz"
    email = department_email(case, "es")
    assert "Marta Ruiz" in email.text


def test_an_author_the_platform_does_not_name_is_shown_as_a_word_never_a_dash():
    # Given a Messenger author the profile read could not name
    store = a_message()
    triage_case(CASE_ID, deps(store, details=PlatformContent()))
    case = store.cases[CASE_ID]
    # When the email is written in each language
    spanish, english = department_email(case, "es").text, department_email(case, "en").text
    # Then the author reads as a word in the reader's language
    assert "Autor: sin nombre" in spanish and "Author: no name" in english
    assert "Autor: -" not in spanish


def test_an_author_already_named_and_a_public_comment_are_not_read_again():
    # Given a Messenger author the webhook named, and a comment case
    named, comment = a_message(display_name="Ana"), InMemoryWorkflowStore()
    comment.add(a_case())
    graph = PlatformContent()
    # When both are triaged
    triage_case(CASE_ID, deps(named, details=graph))
    triage_case(CASE_ID, deps(comment, details=graph, email=Outbox()))
    # Then nothing was read
    assert graph.reads == []


def test_nothing_is_read_from_the_platforms_in_dry_run(monkeypatch):
    # Given a stack in dry_run (nothing reaches the platforms)
    from socialcare.bootstrap import Root, adapters
    from socialcare.settings import get_settings

    monkeypatch.setenv("OUTBOUND_MODE", "dry_run")
    get_settings.cache_clear()
    try:
        # When / Then triage is given no reader
        assert adapters.platform_details(Root()) is None
    finally:
        get_settings.cache_clear()
