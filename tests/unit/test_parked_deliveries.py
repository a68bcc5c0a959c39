"""What a parked delivery keeps, and what its seal proves."""

from __future__ import annotations

import pytest

from socialcare.app.parked_deliveries import ParkedInvalid, opened, parked
from socialcare.domain.failures import SecretsUnavailable
from tests.conftest import NOW

KEY = "k" * 64
HEADERS = {
    "content-type": "application/json",
    "x-hub-signature-256": "sha256=ab",
    "x-telegram-bot-api-secret-token": "the-secret",
    "user-agent": "facebookexternalua",
}


def park(platform="telegram", verified=True, seal_key=lambda: KEY):
    return parked(
        platform,
        HEADERS,
        '{"update_id": 1}',
        False,
        verified=verified,
        reason="StorageUnavailable",
        now=NOW,
        seal_key=seal_key,
    )


def test_only_the_content_type_and_body_signatures_are_kept():
    # Given a verified delivery with a secret token among its headers
    record = park()
    # Then no secret is kept, and the record is sealed
    assert set(record.headers) == {"content-type", "x-hub-signature-256"}
    assert "the-secret" not in record.model_dump_json()
    assert record.seal_holds(KEY) and not record.seal_holds("other" * 13)


def test_an_unverified_telegram_delivery_is_not_kept_and_others_keep_their_signature():
    # Given deliveries whose signature could not be checked (secrets unreadable)
    telegram = park(verified=False)
    meta = park("meta", verified=False)
    # Then Telegram's, whose only proof is the secret, is not kept; Meta's is, unsealed
    assert telegram is None
    assert (meta.verified, meta.seal) == (False, None)


def test_without_the_seal_key_a_verified_delivery_is_kept_as_unverified():
    def unreadable():
        raise SecretsUnavailable("down")

    assert park("meta", seal_key=unreadable).verified is False
    assert park("telegram", seal_key=unreadable) is None


@pytest.mark.parametrize(
    "change",
    [
        {"body": '{"update_id": 2}'},
        {"verified": False},
        {"headers": {"content-type": "text/plain"}},
        {"parked_at": "2020-01-01T00:00:00.000Z"},
    ],
)
def test_any_change_breaks_the_seal(change):
    record = park().model_copy(update=change)
    with pytest.raises(ParkedInvalid):
        opened(record.model_dump(), lambda: KEY)


def test_a_sealed_record_opens_trusted_and_an_unsealed_one_untrusted():
    assert opened(park().model_dump(), lambda: KEY)[1] is True
    assert opened(park("meta", verified=False).model_dump(), lambda: KEY)[1] is False


@pytest.mark.parametrize("value", [None, [], {"platform": "x"}, {"event": {}}])
def test_anything_else_is_not_a_parked_delivery(value):
    with pytest.raises(ParkedInvalid):
        opened(value, lambda: KEY)
