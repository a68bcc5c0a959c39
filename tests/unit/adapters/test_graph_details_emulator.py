"""The emulator answers triage's Graph reads as Meta documents them, and refuses what Meta
refuses: the real adapter against the emulator's HTTP side (a mention by its ids, a
profile, a missing or wrong token, an id the account holds nothing for)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from socialcare.adapters.platform_api.graph_details import GraphDetails
from socialcare.adapters.platform_api.http import HttpClient
from socialcare.domain.case_details import DetailsProblem, DetailsUnavailable
from socialcare.domain.messages import Channel
from socialcare.domain.platform_errors import TokenProblem
from socialcare_cli.local.platform_emulator import LOCAL_TOKENS, PlatformEmulator
from tests.token_fakes import ContainerTokens, SharedSecret

IG, MEDIA, COMMENT, PSID = "17841400000000001", "18098765432100001", "18100000000000777", "734"
PERMALINK = "https://www.instagram.com/p/DAbCdEfGhIj/"


@pytest.fixture
def emulator() -> Iterator[PlatformEmulator]:
    emulator = PlatformEmulator().start()
    emulator.content.add(
        {
            "instagram_mentions": [
                {
                    "account_id": IG,
                    "media_id": MEDIA,
                    "comment_id": COMMENT,
                    "text": "nadie me llama",
                    "username": "lucia.g",
                    "permalink": PERMALINK,
                },
                {
                    "account_id": IG,
                    "media_id": "555",
                    "text": "pie de foto",
                    "permalink": PERMALINK,
                },
            ],
            "profiles": [{"id": PSID, "platform": "facebook", "first_name": "Marta"}],
        }
    )
    yield emulator
    emulator.stop()


def reader(emulator: PlatformEmulator, **tokens) -> GraphDetails:
    secret = ContainerTokens(SharedSecret({**LOCAL_TOKENS, **tokens}))
    return GraphDetails(HttpClient(), f"{emulator.url}/v21.0", secret)  # type: ignore[arg-type]


def test_a_comment_and_a_caption_mention_are_answered_with_their_words(emulator):
    # Given / When the adapter reads both mentions
    comment = reader(emulator).mention(IG, MEDIA, COMMENT)
    caption = reader(emulator).mention(IG, "555", None)
    # Then the emulator answered as Graph does
    assert (comment.text, comment.username, comment.permalink) == (
        "nadie me llama",
        "lucia.g",
        PERMALINK,
    )
    assert (caption.text, caption.permalink) == ("pie de foto", PERMALINK)


def test_a_profile_is_answered_with_the_fields_asked(emulator):
    assert reader(emulator).person(Channel.MESSENGER, "104857600000001", PSID).display_name == (
        "Marta"
    )


def test_a_mention_of_another_comment_or_account_is_gone(emulator):
    for account, comment in ((IG, "18100000000000999"), ("17841400000000002", COMMENT)):
        with pytest.raises(DetailsUnavailable) as failed:
            reader(emulator).mention(account, MEDIA, comment)
        assert failed.value.problem is DetailsProblem.GONE


def test_a_token_the_platform_does_not_know_is_refused_as_graph_does(emulator):
    # Given the Page's token where the Instagram account's is needed
    wrong = reader(emulator, instagram_tokens={"*": "not-a-token"})
    # When / Then: Graph's 190, a token problem (alarmed by triage)
    with pytest.raises(DetailsUnavailable) as failed:
        wrong.mention(IG, MEDIA, COMMENT)
    assert failed.value.token is TokenProblem.REJECTED
    calls = emulator.calls_made()
    assert calls[-1]["status"] == 401 and calls[-1]["error"]["error"]["code"] == 190
