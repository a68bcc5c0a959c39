"""Issue #28's survey-answer probes, over HTTP to the local stack, as an attacker (or a
platform's odd day) would send them: taps from another platform's user with the same id,
from the case's customer elsewhere than the survey's conversation (a supergroup, a
message sent in inline mode, another of the brand's Pages or numbers), quick replies for a
survey asked with a link; many taps and page posts on one case."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from typing import Any
from urllib.parse import urlencode

from socialcare_cli.local.stack import LocalStack
from socialcare_cli.page_text import first_match
from socialcare_cli.reliability.common import post_delivery, sample_payload
from socialcare_cli.reliability.survey_cases import (
    FORM,
    X_USER,
    a_comment_complaint,
    as_x_user,
    new_complainer,
    surveyed,
)
from socialcare_cli.samples import http_request

IGSID = "17841455500000001"  # the Instagram commenter of the sample


# --- many answers on one case, and answers from someone else ------------------------------


def surveys(stack: LocalStack, api: str, taps: int, posts: int) -> dict[str, Any]:
    telegram = surveyed(stack, api, "telegram_message", "telegram")
    x_case = surveyed(stack, api, "x_dm", "x", as_x_user)
    instagram = surveyed(stack, api, "meta_instagram_comment", "meta", a_comment_complaint)
    statuses: Counter[str] = Counter()
    # Telegram: one tap that counts, then `taps` more, each a new callback
    for n in range(taps + 1):
        answer = post_delivery(api, "telegram", _callback(telegram, 4 if n == 0 else 1 + n % 5, n))
        statuses[f"telegram tap {answer.status}"] += 1
    # Telegram user 777000111 names X user 777000111's case; the Instagram commenter's
    # id sends a quick reply for a survey that offered none (it went as a link)
    forged = post_delivery(api, "telegram", _callback(x_case, 1, 900, user=int(X_USER)))
    statuses[f"cross-platform tap {forged.status}"] += 1
    quick = post_delivery(api, "meta", _quick_reply(instagram, 1))
    statuses[f"quick reply on a link survey {quick.status}"] += 1
    forged_counted = {
        "x_case_scored_by_telegram_user": "survey_score" in stack.case(x_case),
        "instagram_scored_by_quick_reply": "survey_score" in stack.case(instagram),
    }
    # The X case's page: one answer, then `posts` more, each another score and comment
    url = _survey_url(stack, x_case)
    token = re.search(rb'name="csrf_token" value="([^"]+)"', http_request("GET", url, {}).body)
    for n in range(posts + 1):
        score = 3 if n == 0 else 1 + n % 5
        form = {"csrf_token": token.group(1).decode() if token else "", "score": str(score)}
        form["comment"] = f"comentario {n}"
        page = http_request("POST", url, FORM, urlencode(form).encode())
        statuses[f"page post {page.status}"] += 1
    cases = {c["id"]: c for c in (stack.case(i) for i in (telegram, x_case, instagram))}
    later = {i: _kinds(c).count("survey_answer_later") for i, c in cases.items()}
    answered = {i: _kinds(c).count("survey_answered") for i, c in cases.items()}
    markers = sum(
        item["PK"]["S"].startswith("DEDUP#survey")
        for item in stack.client("dynamodb").scan(TableName=stack.cases_table)["Items"]
    )
    low_scores = [i for i, c in cases.items() if "follow_up" in c]
    found = {
        "statuses": dict(statuses),
        "telegram": {"score": cases[telegram].get("survey_score"), "later_noted": later[telegram]},
        "x_page": {"score": cases[x_case].get("survey_score"), "later_noted": later[x_case]},
        **forged_counted,
        "follow_ups_opened": len(low_scores),
        "survey_markers_kept": markers,
    }
    ok = (
        set(statuses) <= {f"{kind} 200" for kind in _KINDS}
        and cases[telegram].get("survey_score") == 4
        and not any(forged_counted.values())
        and cases[x_case].get("survey_score") == 3  # the page's first answer
        and "survey_score" not in cases[instagram]
        and answered == {telegram: 1, x_case: 1, instagram: 0}
        and later == {telegram: 1, x_case: 1, instagram: 0}
        and markers == 0
        and low_scores == []  # the 1s were the forged tap's and the dropped ones
    )
    sent = {"telegram_taps": taps + 1, "page_posts": posts + 1, "forged_taps": 2}
    return {"sent": sent, "found": found, "ok": ok}


_KINDS = ("telegram tap", "cross-platform tap", "quick reply on a link survey", "page post")
_TAPS = itertools.count(1)


# --- the case's customer, tapping elsewhere than the survey's conversation ----------------


def taps_from_elsewhere(stack: LocalStack, api: str) -> dict[str, Any]:
    """Telegram, Messenger and WhatsApp customers asked with choices; each taps a 1 from
    elsewhere (a supergroup, a message sent in inline mode, another of the brand's Pages
    or numbers): none counts. Then each taps a 4 in the survey's own conversation: it
    counts (the check does not refuse the right tap)."""
    cases = {
        "telegram": surveyed(stack, api, "telegram_message", "telegram", new_complainer),
        "messenger": surveyed(stack, api, "meta_messenger_message", "meta", new_complainer),
        "whatsapp": surveyed(stack, api, "meta_whatsapp_text", "meta", new_complainer),
    }
    authors = {name: stack.case(case_id)["author"]["id"] for name, case_id in cases.items()}
    elsewhere = {
        "telegram supergroup": ("telegram", _callback_in(cases["telegram"], authors, "group")),
        "telegram inline message": ("telegram", _callback_in(cases["telegram"], authors, None)),
        "messenger another page": ("meta", _messenger_tap(cases, authors, "104857600000009")),
        "whatsapp another number": ("meta", _whatsapp_tap(cases, authors, "106540352249999")),
    }
    statuses = Counter(
        f"{kind} {post_delivery(api, platform, payload).status}"
        for kind, (platform, payload) in elsewhere.items()
    )
    counted = [name for name, case_id in cases.items() if _scored(stack, case_id)]
    follow_ups = [name for name, case_id in cases.items() if "follow_up" in stack.case(case_id)]
    own = {
        "telegram": ("telegram", _callback_in(cases["telegram"], authors, "private", score=4)),
        "messenger": ("meta", _messenger_tap(cases, authors, None, score=4)),
        "whatsapp": ("meta", _whatsapp_tap(cases, authors, None, score=4)),
    }
    for platform, payload in own.values():
        statuses[f"own conversation {post_delivery(api, platform, payload).status}"] += 1
    scores = {name: stack.case(case_id).get("survey_score") for name, case_id in cases.items()}
    found = {
        "statuses": dict(statuses),
        "elsewhere_counted": counted,
        "follow_ups_opened": follow_ups,
        "scores_after_own_taps": scores,
    }
    ok = (
        all(key.endswith(" 200") for key in statuses)
        and not counted
        and not follow_ups
        and set(scores.values()) == {4}
    )
    return {
        "sent": {"taps_elsewhere": len(elsewhere), "own_taps": len(own)},
        "found": found,
        "ok": ok,
    }


def _callback_in(
    case_id: str, authors: dict[str, str], chat: str | None, score: int = 1
) -> dict[str, Any]:
    """The Telegram customer's tap, on a message in `chat` ("private": their own chat with
    the bot, "group": a supergroup) or, None, on a message sent via the bot in inline mode
    (`inline_message_id`, no `message`: https://core.telegram.org/bots/api#callbackquery)."""
    user = int(authors["telegram"])
    update = _callback(case_id, score, 5000 + next(_TAPS), user=user)
    query = update["callback_query"]
    if chat == "group":
        query["message"]["chat"] = {"id": -1001234567890, "type": "supergroup", "title": "g"}
    elif chat is None:
        del query["message"]
        query["inline_message_id"] = "AgAAAPcDAAB0vBkA"
    return update


def _messenger_tap(
    cases: dict[str, str], authors: dict[str, str], page: str | None, score: int = 1
) -> dict[str, Any]:
    """The Messenger customer's quick reply, to the Page they wrote to or to `page`."""
    payload = sample_payload("meta_messenger_survey_answer")
    entry = payload["entry"][0]
    event = entry["messaging"][0]
    event["sender"]["id"] = authors["messenger"]
    event["message"]["mid"] = f"m_tap{next(_TAPS):06d}"
    event["message"]["quick_reply"]["payload"] = f"csat:{cases['messenger']}:{score}"
    if page:
        entry["id"] = event["recipient"]["id"] = page
    return payload


def _whatsapp_tap(
    cases: dict[str, str], authors: dict[str, str], number_id: str | None, score: int = 1
) -> dict[str, Any]:
    """The WhatsApp customer's list reply, on the number they wrote to or `number_id`."""
    payload = sample_payload("meta_whatsapp_survey_answer")
    value = payload["entry"][0]["changes"][0]["value"]
    message = value["messages"][0]
    message["from"] = value["contacts"][0]["wa_id"] = authors["whatsapp"]
    message["id"] = f"wamid.tap{next(_TAPS):06d}="
    message["interactive"]["list_reply"]["id"] = f"csat:{cases['whatsapp']}:{score}"
    if number_id:
        value["metadata"]["phone_number_id"] = number_id
    return payload


def _scored(stack: LocalStack, case_id: str) -> bool:
    return "survey_score" in stack.case(case_id)


# --- plumbing ----------------------------------------------------------------------------


def _survey_url(stack: LocalStack, case_id: str) -> str:
    [text] = [
        s["text"] for s in stack.platforms.state.sent if f"/survey/{case_id}." in str(s["text"])
    ]
    return first_match(r"https?://\S+/survey/\S+", text)


def _callback(case_id: str, score: int, n: int, user: int = 555000111) -> dict[str, Any]:
    return {
        "update_id": 918275000 + n,
        "callback_query": {
            "id": f"52817{n:05d}",
            "from": {"id": user, "is_bot": False, "first_name": "Ana", "language_code": "es"},
            "message": {"message_id": 10001, "chat": {"id": user, "type": "private"}},
            "chat_instance": "-734631",
            "data": f"csat:{case_id}:{score}",
        },
    }


def _quick_reply(case_id: str, score: int) -> dict[str, Any]:
    payload = sample_payload("meta_instagram_survey_answer")
    event = payload["entry"][0]["messaging"][0]
    event["sender"]["id"] = IGSID
    event["message"]["quick_reply"]["payload"] = f"csat:{case_id}:{score}"
    return payload


def _kinds(case: dict[str, Any]) -> list[str]:
    return [event["kind"] for event in case["timeline"]]
