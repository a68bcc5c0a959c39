"""The department's links to what a customer sent (app/media_links.py, the parsers'
typed attachments, the emails' labels), against in-memory ports and scripted answers."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from socialcare.adapters.platform_api.media import PlatformMedia
from socialcare.app.case_triage import triage_case
from socialcare.app.media_links import MediaDependencies, MediaState, open_media
from socialcare.domain.case_details import DetailsProblem
from socialcare.domain.cases import CaseAuthor, MediaLink
from socialcare.domain.clock import utc_iso
from socialcare.domain.media import MAX_MEDIA_BYTES, MediaContent, MediaUnavailable
from socialcare.domain.messages import Attachment, Platform
from socialcare.domain.outbound import OutboundTarget
from socialcare.platforms import attachments
from socialcare.presentation.case_views import attachment_links
from tests.conftest import NOW
from tests.fakes import InMemoryWorkflowStore, a_case
from tests.http_fakes import ScriptedHttp, answer
from tests.token_fakes import ContainerTokens, SharedSecret
from tests.unit.test_case_triage import deps

KEY = "k" * 32
VOICE = Attachment(kind="voice", media_id="1234567890")
CASE_ID = a_case().id


class Files:
    def __init__(self, failing: MediaUnavailable | None = None) -> None:
        self.opened: list[tuple[Platform, str, Attachment]] = []
        self.failing = failing

    def open(self, platform: Platform, account_id: str, attachment: Attachment):
        self.opened.append((platform, account_id, attachment))
        if self.failing:
            raise self.failing
        return MediaContent(b"OggS", "audio/ogg")


def a_store(expires: str = "2026-12-08T09:00:00Z") -> InMemoryWorkflowStore:
    store = InMemoryWorkflowStore()
    store.add(
        a_case(
            platform="whatsapp",
            channel="whatsapp",
            author=CaseAuthor(id="34600000000"),
            attachments=(VOICE,),
            media_link=MediaLink(KEY, expires),
            reply_to=OutboundTarget(account_id="106540352242922", message_id="wamid.1"),
        )
    )
    return store


def opened(link: str, store, files) -> MediaState:
    return open_media(link, MediaDependencies(store, files, lambda: NOW)).state


def test_the_link_opens_the_file_through_the_platform_with_the_cases_account():
    store, files = a_store(), Files()
    result = open_media(f"{CASE_ID}.{KEY}.0", MediaDependencies(store, files, lambda: NOW))
    assert result.state is MediaState.SHOWN and result.content.body == b"OggS"
    assert files.opened == [(Platform.WHATSAPP, "106540352242922", VOICE)]


@pytest.mark.parametrize(
    "link",
    [f"{CASE_ID}.{'x' * 32}.0", f"{CASE_ID}.{KEY}.1", f"{CASE_ID}.{KEY}", "../../etc", ""],
)
def test_a_wrong_key_number_or_shape_is_gone_and_asks_nothing(link):
    store, files = a_store(), Files()
    assert opened(link, store, files) is MediaState.GONE and files.opened == []


def test_an_expired_link_is_gone_and_asks_nothing():
    store, files = a_store(expires="2026-11-24T08:00:00Z"), Files()
    assert opened(f"{CASE_ID}.{KEY}.0", store, files) is MediaState.GONE
    assert files.opened == []


@pytest.mark.parametrize(
    ("failure", "state"),
    [
        (MediaUnavailable(DetailsProblem.GONE), MediaState.GONE),
        (MediaUnavailable(DetailsProblem.UNAVAILABLE), MediaState.UNAVAILABLE),
        (MediaUnavailable(DetailsProblem.GONE, too_large=True), MediaState.TOO_LARGE),
    ],
)
def test_what_the_platform_cannot_give_is_said(failure, state):
    assert opened(f"{CASE_ID}.{KEY}.0", a_store(), Files(failure)) is state


def test_triage_gives_a_case_with_media_a_link_key_and_a_case_without_none():
    # Given a case with a voice note and one without
    with_media, without = InMemoryWorkflowStore(), InMemoryWorkflowStore()
    with_media.add(replace(a_store().cases[CASE_ID], media_link=None))
    without.add(a_case())
    # When triaged
    triage_case(CASE_ID, deps(with_media))
    triage_case(CASE_ID, deps(without))
    # Then only the first has a key, good for 14 days
    link = with_media.cases[CASE_ID].media_link
    assert link is not None and link.expires_at == utc_iso(NOW + timedelta(days=14))
    assert without.cases[CASE_ID].media_link is None


def test_the_email_names_each_attachment_in_the_readers_language_with_its_link():
    case = a_store().cases[CASE_ID]
    [spanish] = attachment_links(case, "es", "https://links.example")
    [english] = attachment_links(case, "en", "https://links.example")
    assert spanish == {
        "label": "nota de voz",
        "name": None,
        "url": f"https://links.example/media/{CASE_ID}.{KEY}.0",
    }
    assert english["label"] == "voice note"


def test_each_platform_names_its_media_by_what_its_api_reads():
    whatsapp = attachments.whatsapp("audio", {"audio": {"id": "987", "voice": True}})
    telegram = attachments.telegram({"photo": [{"file_id": "small"}, {"file_id": "AgAD-big_1"}]})
    meta = attachments.meta(
        [
            {"type": "image", "payload": {"url": "https://scontent.example/a.jpg"}},
            {"type": "image", "payload": {"url": "http://plain.example/a.jpg"}},
            {"type": "location", "payload": {}},
        ]
    )
    assert whatsapp == (Attachment(kind="voice", media_id="987"),)
    assert telegram == (Attachment(kind="image", media_id="AgAD-big_1"),)
    assert meta == (Attachment(kind="image", url="https://scontent.example/a.jpg"),)
    assert attachments.whatsapp("image", {"image": {"id": "../x"}}) == ()


def whatsapp_media(*answers) -> tuple[PlatformMedia, ScriptedHttp]:
    http = ScriptedHttp(list(answers))
    tokens = ContainerTokens(SharedSecret({"whatsapp_token": "wa-token"}))
    return PlatformMedia(http, "https://graph.example/v21.0", "https://tg.example", tokens), http


def test_whatsapp_media_is_read_with_the_token_in_the_header_at_click_time():
    found = {"url": "https://lookaside.example/m?mid=987", "mime_type": "audio/ogg", "id": "987"}
    media, http = whatsapp_media(answer(200, found))
    http.download = lambda url, headers, limit: (200, "audio/ogg", b"OggS")  # type: ignore[attr-defined]
    content = media.open(
        Platform.WHATSAPP, "106540352242922", Attachment(kind="voice", media_id="987")
    )
    assert http.path(0) == "/v21.0/987"
    assert http.requests[0]["headers"] == {"Authorization": "Bearer wa-token"}
    assert content == MediaContent(b"OggS", "audio/ogg")


def test_a_file_larger_than_a_link_carries_is_refused_before_downloading():
    media, _ = whatsapp_media(
        answer(200, {"url": "https://x.example", "file_size": MAX_MEDIA_BYTES + 1})
    )
    with pytest.raises(MediaUnavailable) as refused:
        media.open(Platform.WHATSAPP, "1", Attachment(kind="video", media_id="987"))
    assert refused.value.too_large
