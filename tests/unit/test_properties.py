"""Properties over any input (Hypothesis): the normalisers, the webhook use case, signature
checks, triage, personal data and the business calendar never raise an unhandled
exception, and keep their promises."""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialcare.app.webhook import WebhookDependencies, WebhookRequest, handle_webhook
from socialcare.domain.cases import Recorded, RecordOutcome
from socialcare.domain.messages import Channel
from socialcare.domain.personal_data import find_personal_data, mask_personal_data
from socialcare.platforms import meta, telegram, x
from socialcare.platforms.base import SignatureInvalid, WebhookRejected
from socialcare_cli.samples import SIGNATURE_HEADERS, signature_for
from socialcare_cli.triage_cli import TriageDesk
from tests.conftest import NOW, sample_payload, secrets
from tests.intake_fakes import StoredCases

# 150 examples each in `make test`; FUZZ_EXAMPLES=5000 for a longer hunt.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)
PARSERS = {
    "meta": lambda payload: meta.parse(payload, NOW),
    "x": lambda payload: x.parse(payload, NOW),
    "telegram": lambda payload: telegram.parse(payload, NOW, bot_id="socialcare_bot"),
}
SAMPLES = {
    "meta": ["meta_batched_page", "meta_whatsapp_media", "meta_instagram_dm", "meta_page_reply"],
    "x": ["x_mention", "x_dm", "x_reply_from_brand"],
    "telegram": ["telegram_message", "telegram_photo"],
}


def _mutate(payload, path_choices, replacement):
    """Replace one node of a real payload (chosen by index) with any JSON."""
    nodes = []

    def walk(node, parent, key):
        nodes.append((parent, key))
        children = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node)
            if isinstance(node, list)
            else []
        )
        for child_key, child in list(children):
            walk(child, node, child_key)

    walk(payload, None, None)
    parent, key = nodes[path_choices % len(nodes)]
    if parent is None:
        return replacement
    parent[key] = replacement
    return payload


@FUZZ
@given(platform=st.sampled_from(sorted(PARSERS)), payload=JSON)
def test_any_json_is_parsed_or_refused_cleanly(platform, payload):
    try:
        delivery = PARSERS[platform](payload)
    except WebhookRejected:
        return
    for message in delivery.messages:
        assert message.dedup_key and message.text is not None
    assert_keys_fit_dynamodb(delivery)


def assert_keys_fit_dynamodb(delivery):
    """Every key built from what a caller sends stays within DynamoDB's limits (partition
    key 2,048 bytes, sort key 1,024), so no delivery can fail for ever on a key."""
    partition_keys = [f"AUTHOR#{m.platform.value}#{m.author.id}" for m in delivery.messages]
    partition_keys += [f"PERSON#{m.platform.value}#{m.author.id}" for m in delivery.messages]
    sort_keys = [
        f"EVENT#2026-11-24T10:00:00.000Z#public_response#{r.response_id}"
        for r in delivery.responses
    ]
    assert all(len(k.encode()) <= 2048 for k in partition_keys)
    assert all(len(k.encode()) <= 1024 for k in sort_keys)


@FUZZ
@given(
    platform=st.sampled_from(sorted(PARSERS)),
    choice=st.integers(min_value=0, max_value=10_000),
    index=st.integers(min_value=0, max_value=500),
    replacement=JSON,
)
def test_real_payloads_with_any_part_replaced_never_crash(platform, choice, index, replacement):
    names = SAMPLES[platform]
    payload = _mutate(sample_payload(names[choice % len(names)]), index, replacement)
    with contextlib.suppress(WebhookRejected):
        assert_keys_fit_dynamodb(PARSERS[platform](payload))


class _Store:
    def record(self, message, now):
        return Recorded(f"case-{message.dedup_key[:20]}", RecordOutcome.CREATED)

    def record_brand_response(self, response, now):
        return None

    def record_message_change(self, change, now):
        return None


_STORE = _Store()
DEPS = WebhookDependencies(
    messages=_STORE,
    notes=_STORE,
    delivery_reports=_STORE,
    survey_answers=_STORE,
    secrets=secrets,
    clock=lambda: NOW,
    telegram_bot_id="socialcare_bot",
)


@FUZZ
@given(
    platform=st.sampled_from(["meta", "x", "telegram", "myspace", ""]),
    method=st.sampled_from(["GET", "POST", "PUT"]),
    body=st.text(max_size=300) | st.builds(lambda v: json.dumps(v), JSON),
    sign=st.booleans(),
    base64_flag=st.booleans(),
    query=st.dictionaries(st.text(max_size=15), st.text(max_size=30), max_size=3),
)
def test_the_webhook_answers_any_request_with_a_clear_status(
    platform, method, body, sign, base64_flag, query
):
    headers = {}
    if sign and platform in SIGNATURE_HEADERS:
        raw = body.encode("utf-8", errors="surrogatepass")
        headers[SIGNATURE_HEADERS[platform]] = signature_for(platform, raw, asdict(secrets()))
    request = WebhookRequest(platform, method, headers, query, body, base64_flag)
    result = handle_webhook(request, DEPS)
    assert result.reply.status in {200, 400, 401, 403, 404, 405, 413, 503}
    if result.reply.status >= 400:
        assert set(json.loads(result.reply.body)) == {"error", "message"}


@FUZZ
@given(
    platform=st.sampled_from(["meta", "x", "telegram"]),
    body=st.binary(max_size=200),
    forged=st.text(max_size=80),
)
def test_only_the_right_signature_passes(platform, body, forged):
    verify = {"meta": meta.verify, "x": x.verify, "telegram": telegram.verify}[platform]
    right = signature_for(platform, body, asdict(secrets()))
    verify({SIGNATURE_HEADERS[platform]: right}, body, secrets())
    if forged != right:
        try:
            verify({SIGNATURE_HEADERS[platform]: forged}, body, secrets())
        except SignatureInvalid:
            return
        raise AssertionError("a forged signature passed")


@FUZZ
@given(token=st.text(max_size=300) | st.builds(lambda v: json.dumps(v), JSON))
def test_no_answer_of_the_x_handshake_is_a_valid_delivery_signature(token):
    # Given whatever a caller sends as crc_token
    try:
        answer = x.handshake({"crc_token": token}, secrets())
    except WebhookRejected:
        return
    # When it posts that token as a delivery with the signature the handshake gave back
    signature = json.loads(answer.body)["response_token"]
    request = WebhookRequest("x", "POST", {x.SIGNATURE_HEADER: signature}, {}, token)
    result = handle_webhook(request, DEPS)
    # Then nothing is taken from it
    assert result.reply.status == 400 and not result.messages


# Any code points around a lone surrogate (DynamoDB refuses it; json.loads accepts it).
_CODE_POINTS = st.text(alphabet=st.characters(categories=["Cs", "L", "N", "P", "S", "Z"]))
ANY_TEXT = st.tuples(_CODE_POINTS, _CODE_POINTS).map(lambda pair: "\ud800".join(pair))


@FUZZ
@given(
    platform=st.sampled_from(sorted(PARSERS)),
    choice=st.integers(min_value=0, max_value=10_000),
    index=st.integers(min_value=0, max_value=500),
    text=ANY_TEXT,
)
def test_a_signed_delivery_with_any_text_anywhere_is_stored_or_refused_never_503(
    platform, choice, index, text
):
    # Given a real delivery with any text (surrogates too) in place of one of its values
    names = SAMPLES[platform]
    payload = _mutate(sample_payload(names[choice % len(names)]), index, text)
    raw = json.dumps(payload).encode()
    headers = {SIGNATURE_HEADERS[platform]: signature_for(platform, raw, asdict(secrets()))}
    # When it is delivered to a store that refuses what DynamoDB refuses
    cases = StoredCases()
    deps = WebhookDependencies(
        messages=cases,
        notes=cases,
        delivery_reports=cases,
        survey_answers=cases,
        secrets=secrets,
        clock=lambda: NOW,
        telegram_bot_id="socialcare_bot",
    )
    result = handle_webhook(WebhookRequest(platform, "POST", headers, {}, raw.decode()), deps)
    # Then it is taken (or, not being a JSON object any more, refused): never a 5xx
    assert result.reply.status in {200, 400}, result.reply.body


TRIAGER = TriageDesk()


@FUZZ
@given(
    text=st.text(max_size=400),
    channel=st.sampled_from(list(Channel)),
    followers=st.none() | st.integers(min_value=-5, max_value=10**9),
)
def test_triage_takes_any_text(text, channel, followers):
    assessment = TRIAGER.assess(text, channel, followers=followers)
    assert assessment.priority in {"P1", "P2", "P3", "P4"}
    replies = TRIAGER.replies(assessment, text, channel)
    assert replies.public is None or isinstance(replies.public, str)


PERSONAL = st.sampled_from(
    [
        "12345678Z",
        "X1234567L",
        "Y-1234567-X",
        "ana@example.com",
        "ES91 2100 0418 4502 0005 1332",
        "ES9121000418450200051332",
        "4111 1111 1111 1111",
        "5555-5555-5555-4444",
        "612 345 678",
        "612345678",
        "698 11 22 33",
        "+34 612 34 56 78",
        "+44 20 7946 0958",
        "07700 900123",
        "(555) 234-5678",
        "555-234-5678",
    ]
)
# Numbers written next to the personal data: "612 345 678 00", "2024 4111 1111 1111 1111".
NEIGHBOUR = st.none() | st.from_regex(r"\A[0-9]{1,5}( [0-9]{1,4})?\Z")
SEPARATOR = st.sampled_from([" ", "-", ".", ", ", " y "])


@FUZZ
@given(
    before=st.text(max_size=80),
    left=NEIGHBOUR,
    data=PERSONAL,
    right=NEIGHBOUR,
    separator=SEPARATOR,
    after=st.text(max_size=80),
)
def test_masking_leaves_none_of_the_personal_data_around_any_text(
    before, left, data, right, separator, after
):
    left = f"{left}{separator}" if left else ""
    right = f"{separator}{right}" if right else ""
    text = f"{before} {left}{data}{right} {after}"
    masked = mask_personal_data(text)
    assert data not in masked
    for found in find_personal_data(text):
        assert text[found.start : found.end] not in masked


CALENDAR = TRIAGER.routing.report_calendar()


@FUZZ
@given(
    start=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 1), timezones=st.just(UTC)
    ),
    hours=st.floats(min_value=0, max_value=120, allow_nan=False),
)
def test_business_hours_added_are_the_business_hours_between(start, hours):
    deadline = CALENDAR.add_business_hours(start, hours)
    assert deadline >= start
    assert abs(CALENDAR.business_hours_between(start, deadline) - hours) < 1e-6
    later = CALENDAR.add_business_hours(start, hours + 1)
    assert later > deadline - timedelta(microseconds=1)
