"""The webhook use case: check, parse, record; park what could not be recorded, and replay
it. HTTP-shaped, but free of any AWS SDK."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from socialcare.app.ingestion import IngestReport, ingest
from socialcare.domain.accounts import ANY_ACCOUNT, BrandAccounts
from socialcare.domain.clock import Clock
from socialcare.domain.credentials import PlatformSecrets
from socialcare.domain.delivery_reports import ReportRecorded
from socialcare.domain.failures import Unavailable
from socialcare.domain.messages import InboundMessage
from socialcare.domain.survey_answers import SurveyRecorded
from socialcare.platforms import meta, telegram, x
from socialcare.platforms.base import (
    HttpReply,
    Ignored,
    ParsedDelivery,
    PayloadInvalid,
    SignatureInvalid,
    WebhookRejected,
)
from socialcare.platforms.payload import decoded

if TYPE_CHECKING:  # imported where used: only a failing or replayed delivery needs it
    from socialcare.ports.intake import CaseNotes, DeliveryReports, MessageRecords
    from socialcare.ports.parking import DeliveryParking
    from socialcare.ports.surveys import SurveyAnswers

MAX_BODY_BYTES = 1024 * 1024


@dataclass(frozen=True)
class WebhookRequest:
    platform: str
    method: str
    headers: Mapping[str, str]  # names lower-cased
    query: Mapping[str, str]
    body: str | None
    body_is_base64: bool = False


@dataclass
class WebhookDependencies:
    messages: MessageRecords
    notes: CaseNotes
    delivery_reports: DeliveryReports
    survey_answers: SurveyAnswers
    secrets: Callable[[], PlatformSecrets]
    clock: Clock
    telegram_bot_id: str
    parking: DeliveryParking | None = None
    # The stack's key that seals parked deliveries (read only when one is parked or replayed).
    seal_key: Callable[[], str] | None = None
    # The brand's own accounts (config/accounts.toml): deliveries for others are ignored.
    accounts: BrandAccounts = ANY_ACCOUNT


@dataclass
class WebhookResult:
    reply: HttpReply
    platform_known: bool = True
    signature_rejected: bool = False
    report: IngestReport | None = None
    ignored: list[Ignored] = field(default_factory=list)
    messages: list[InboundMessage] = field(default_factory=list)
    error: str | None = None
    # The signature (or token) was checked and held before anything failed.
    verified: bool = False
    # What broke, when something unexpected did (the handler logs it with its trace).
    failure: Exception | None = None
    # Code points DynamoDB could not store (invalid Unicode), kept as U+FFFD.
    repaired: int = 0


@dataclass(frozen=True)
class _Platform:
    verify: Callable[[Mapping[str, str], bytes, PlatformSecrets], None]
    parse: Callable[[Any, datetime, WebhookDependencies], ParsedDelivery]
    handshake: Callable[[Mapping[str, str], PlatformSecrets], HttpReply] | None


PLATFORMS: dict[str, _Platform] = {
    "meta": _Platform(
        meta.verify, lambda p, t, deps: meta.parse(p, t, deps.accounts), meta.handshake
    ),
    "x": _Platform(x.verify, lambda p, t, deps: x.parse(p, t, deps.accounts), x.handshake),
    "telegram": _Platform(
        telegram.verify,
        lambda p, t, deps: telegram.parse(p, t, bot_id=deps.telegram_bot_id),
        None,
    ),
}


def error_reply(status: int, code: str, message: str) -> HttpReply:
    return HttpReply(status, json.dumps({"error": code, "message": message}))


@dataclass
class _Progress:
    verified: bool = False


def handle_webhook(
    request: WebhookRequest, deps: WebhookDependencies, *, trusted: bool = False
) -> WebhookResult:
    """`trusted`: the delivery was verified when it arrived (a sealed parked delivery being
    replayed); nothing else may skip the signature check."""
    platform = PLATFORMS.get(request.platform)
    if platform is None:
        return WebhookResult(
            error_reply(404, "unknown_platform", "no such platform"), platform_known=False
        )
    progress = _Progress(verified=trusted)
    try:
        if request.method == "GET":
            return _handshake(platform, request, deps)
        if request.method != "POST":
            return WebhookResult(error_reply(405, "method_not_allowed", "use GET or POST"))
        return _delivery(platform, request, deps, progress)
    except SignatureInvalid as rejected:
        result = WebhookResult(error_reply(401, rejected.code, rejected.message))
        result.signature_rejected = True
        result.error = rejected.message
        return result
    except WebhookRejected as rejected:
        return WebhookResult(
            error_reply(rejected.status, rejected.code, rejected.message), error=rejected.message
        )
    except Unavailable as unavailable:
        # 5xx on purpose: the platform retries, and the retry is recognised as duplicate.
        return WebhookResult(
            error_reply(503, "unavailable", "could not record the delivery, retry later"),
            error=type(unavailable).__name__,
            verified=progress.verified,
        )
    except Exception as failure:  # a bug: the platform retries, the delivery is parked
        return WebhookResult(
            error_reply(500, "internal_error", "unexpected error, retry later"),
            error=type(failure).__name__,
            verified=progress.verified,
            failure=failure,
        )


def park(request: WebhookRequest, result: WebhookResult, deps: WebhookDependencies) -> str:
    """Keep a POST that failed with a 5xx for `socialcare replay`: "parked", or why not."""
    if deps.parking is None or request.method != "POST":
        return "no_parking"
    from socialcare.app.parked_deliveries import parked

    record = parked(
        request.platform,
        dict(request.headers),
        request.body,
        request.body_is_base64,
        verified=result.verified,
        reason=result.error or "unavailable",
        now=deps.clock(),
        seal_key=deps.seal_key,
    )
    if record is None:
        return "cannot_keep_unverified_telegram_delivery"
    return "parked" if deps.parking.park(record) else "park_failed"


def replay(value: Any, deps: WebhookDependencies) -> WebhookResult:
    """A parked delivery, as `socialcare replay` sends it straight to the function (never
    through the HTTP API): recorded like a new delivery, trusted on its seal."""
    from socialcare.app.parked_deliveries import ParkedInvalid, opened

    try:
        record, trusted = opened(value, deps.seal_key)
    except ParkedInvalid as invalid:
        result = WebhookResult(error_reply(invalid.status, invalid.code, invalid.message))
        result.error = invalid.message
        return result
    except Unavailable as unavailable:
        reply = error_reply(503, "unavailable", "could not read the seal key, retry later")
        return WebhookResult(reply, error=type(unavailable).__name__)
    request = WebhookRequest(
        platform=record.platform,
        method="POST",
        headers=record.headers,
        query={},
        body=record.body,
        body_is_base64=record.body_is_base64,
    )
    return handle_webhook(request, deps, trusted=trusted)


def _handshake(platform: _Platform, request: WebhookRequest, deps: WebhookDependencies):
    if platform.handshake is None:
        return WebhookResult(error_reply(405, "method_not_allowed", "this platform uses POST"))
    return WebhookResult(platform.handshake(request.query, deps.secrets()))


def _delivery(
    platform: _Platform, request: WebhookRequest, deps: WebhookDependencies, progress: _Progress
) -> WebhookResult:
    raw_body = _raw_body(request)
    if not progress.verified:
        platform.verify(request.headers, raw_body, deps.secrets())
        progress.verified = True
    body = decoded(raw_body)  # every string storable: invalid Unicode becomes U+FFFD
    parsed = platform.parse(body.payload, deps.clock(), deps)
    report = ingest(parsed.messages, deps.messages, deps.clock)
    _record_responses_and_changes(parsed, deps, report)
    statuses = _record_statuses(parsed, deps)
    answers, surveyed = _record_survey_answers(parsed, deps)
    counts = report.counts()
    answer = {"received": len(parsed.messages), "ignored": len(parsed.ignored), **counts}
    if parsed.survey_answers:
        answer["survey_answers"] = answers
    if parsed.delivery_reports:
        answer["statuses"] = statuses
    if parsed.reply_call is not None:  # Telegram runs it: the answer is the call alone
        # Thanked in the language the survey was asked in, not the tapping app's.
        asked_in = deps.survey_answers.survey_language(surveyed) if surveyed else None
        answer = _reply_call(parsed.reply_call, thanked=answers > 0, language=asked_in)
    return WebhookResult(
        HttpReply(200, json.dumps(answer)),
        report=report,
        ignored=parsed.ignored,
        messages=parsed.messages,
        verified=True,
        repaired=body.repaired,
    )


def _record_responses_and_changes(
    parsed: ParsedDelivery, deps: WebhookDependencies, report: IngestReport
) -> None:
    """The brand's own replies and the customers' edits, noted on the cases they touch."""
    for response in parsed.responses:
        if deps.notes.record_brand_response(response, deps.clock()) is None:
            parsed.ignore("response_to_unknown_message", channel=response.channel.value)
        else:
            report.responses += 1
    for change in parsed.changes:
        if deps.notes.record_message_change(change, deps.clock()) is None:
            parsed.ignore("change_to_unknown_message", channel=change.channel.value)
        else:
            report.changes += 1


def _record_statuses(parsed: ParsedDelivery, deps: WebhookDependencies) -> int:
    """How many of the delivery's status reports were recorded."""
    statuses = 0
    for delivery_report in parsed.delivery_reports:
        recorded = deps.delivery_reports.record_delivery_report(delivery_report, deps.clock())
        if recorded is ReportRecorded.UNKNOWN:
            parsed.ignore("status_of_unknown_message", channel=delivery_report.channel.value)
        statuses += recorded is ReportRecorded.RECORDED
    return statuses


def _record_survey_answers(
    parsed: ParsedDelivery, deps: WebhookDependencies
) -> tuple[int, str | None]:
    """How many survey answers were recorded, and the case of the last one."""
    answers, surveyed = 0, None
    for answer in parsed.survey_answers:
        if (
            deps.survey_answers.record_survey_answer(answer, deps.clock())
            is SurveyRecorded.NOT_ASKED
        ):
            parsed.ignore("survey_answer_not_asked", channel=answer.channel.value)
        else:
            answers, surveyed = answers + 1, answer.case_id
    return answers, surveyed


def _reply_call(
    call: dict[str, Any], *, thanked: bool, language: str | None = None
) -> dict[str, Any]:
    """The Bot API call that answers a tapped button: with the survey's thanks, in the
    survey's language (else the tapping app's), when the tap was recorded as an answer."""
    language = language or call.pop("language", "")
    call.pop("language", None)
    if thanked:
        from socialcare.config.loaders import survey_config

        config = survey_config()
        if config.texts:
            call["text"] = config.texts_for(language).thanks
    return call


def _raw_body(request: WebhookRequest) -> bytes:
    """The exact bytes the platform signed; API Gateway may have base64-encoded them."""
    body = request.body or ""
    if len(body) > MAX_BODY_BYTES * 4 // 3 + 4:
        raise _TooLarge()
    if request.body_is_base64:
        try:
            raw = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError) as error:
            raise PayloadInvalid("body is not valid base64") from error
    else:
        raw = body.encode("utf-8", errors="surrogatepass")
    if len(raw) > MAX_BODY_BYTES:
        raise _TooLarge()
    return raw


class _TooLarge(WebhookRejected):
    status = 413
    code = "payload_too_large"

    def __init__(self) -> None:
        super().__init__("body is larger than 1 MiB")
