import pytest
from pydantic import ValidationError

from socialcare.config.loaders import approval_rules
from socialcare.config.validation import validated
from socialcare.domain.approvals import ApprovalRules, approval_reasons
from socialcare.domain.console_replies import Visibility
from tests.unit.console.approval_fakes import a_case, a_draft

RULES = approval_rules()


def test_an_innocent_reply_to_a_question_needs_no_approver():
    # Given a plain question from an author with few followers, answered in public
    case = a_case(category="question", followers=300)

    # When its reply is checked
    reasons = approval_reasons(case, a_draft("Abrimos de 9:00 a 18:00."), RULES)

    # Then nothing holds it
    assert reasons == ()


def test_a_reply_on_a_case_that_mentions_an_authority_waits():
    # Given triage flagged a mention of a consumer authority
    case = a_case(flags=("authority_mentioned",))

    # Then even a private reply waits, for that reason
    draft = a_draft(visibility=Visibility.PRIVATE)
    assert approval_reasons(case, draft, RULES) == ("authority_mentioned",)


def test_a_case_in_a_crisis_waits_by_its_topic_or_its_flag():
    # Given a case with a crisis topic, and one only flagged as a crisis
    marked = a_case(crisis_topic="billing")
    flagged = a_case(flags=("crisis",))

    # Then both wait for the crisis rule (any topic by default)
    assert approval_reasons(marked, a_draft(), RULES) == ("crisis",)
    assert approval_reasons(flagged, a_draft(), RULES) == ("crisis",)


def test_a_crisis_rule_limited_to_topics_leaves_other_topics_alone():
    # Given a rule for the billing crisis only
    rules = validated(
        ApprovalRules,
        {"crisis": {"reason": {"es": "crisis", "en": "crisis"}, "topics": ["billing"]}},
    )

    # Then a delays crisis goes, a billing one waits, a flag without topic goes
    assert approval_reasons(a_case(crisis_topic="delays"), a_draft(), rules) == ()
    assert approval_reasons(a_case(crisis_topic="billing"), a_draft(), rules) == ("crisis",)
    assert approval_reasons(a_case(flags=("crisis",)), a_draft(), rules) == ()


def test_reach_counts_from_the_configured_number_of_followers():
    # Given the rule's threshold (100,000 in approvals.yaml)
    assert RULES.reach is not None
    threshold = RULES.reach.min_followers

    # Then one follower short goes, the threshold waits, unknown followers go
    assert approval_reasons(a_case(followers=threshold - 1), a_draft(), RULES) == ()
    assert approval_reasons(a_case(followers=threshold), a_draft(), RULES) == ("reach",)
    assert approval_reasons(a_case(followers=None), a_draft(), RULES) == ()


def test_a_public_reply_to_a_complaint_waits_and_a_private_one_goes():
    # Given the public complaints rule turned on (approvals.yaml leaves it out), a complaint
    rules = validated(
        ApprovalRules,
        {"public_complaint": {"reason": {"es": "q", "en": "c"}, "categories": ["complaint"]}},
    )
    case = a_case(category="complaint")

    # Then the public reply waits and the private one goes
    assert approval_reasons(case, a_draft(), rules) == ("public_complaint",)
    private = a_draft(visibility=Visibility.PRIVATE)
    assert approval_reasons(case, private, rules) == ()
    # And with the shipped file, it goes
    assert approval_reasons(case, a_draft(), RULES) == ()


@pytest.mark.parametrize(
    "text",
    ["Te ofrecemos una indemnización por las molestias.", "Our lawyers will review it."],
)
def test_a_reply_speaking_of_compensation_or_legal_matters_waits(text):
    # Given an innocent case, and a reply with such words (accents and capitals as typed)
    reasons = approval_reasons(a_case(), a_draft(text, visibility=Visibility.PRIVATE), RULES)

    # Then it waits for the words
    assert reasons == ("sensitive_words",)


def test_several_reasons_are_given_in_the_file_s_order():
    # Given a public reply on a complaint that mentions an authority, by a large account
    case = a_case(flags=("authority_mentioned",), category="complaint", followers=150_000)

    # Then every reason is there, in order
    reasons = approval_reasons(case, a_draft("Lo revisa nuestro abogado."), RULES)
    assert reasons == ("authority_mentioned", "reach", "sensitive_words")
    assert RULES.reason("reach", "en").startswith("The author has a large following")


def test_without_the_rules_nothing_waits():
    # Given no approvals.yaml
    case = a_case(flags=("authority_mentioned", "crisis"), category="complaint")

    # Then nothing waits
    assert approval_reasons(case, a_draft(), ApprovalRules()) == ()


@pytest.mark.parametrize(
    "data",
    [
        {"reach": {"reason": {"es": "a", "en": "b"}, "min_followers": 0}},
        {"sensitive_words": {"reason": {"es": "a", "en": "b"}, "words": ["lo*s"]}},
        {"authority": {"reason": {"es": "a", "en": "b"}}},
        {"public_complaint": {"reason": {"es": "", "en": "b"}, "categories": ["complaint"]}},
    ],
)
def test_a_wrong_approvals_file_is_refused_by_the_check(data):
    # Then config check refuses a zero threshold, a bad word, a misspelt rule, no words
    with pytest.raises(ValidationError):
        validated(ApprovalRules, data)
