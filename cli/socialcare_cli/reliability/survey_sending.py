"""Issue #28's survey-sending probes on the local stack: a survey sent as a link that its
platform refused at the closing (a token renewed at Meta or X, not yet in the secret) is
sent by `replay` once the secret has it, once; fifty clients posting survey pages at the
same moment are all answered."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterable
from typing import Any

from socialcare_cli.local.stack import LocalStack
from socialcare_cli.reliability.survey_cases import FORM, as_x_user, derived_case, resolve
from socialcare_cli.samples import NoAnswer, http_request


def owed_link_surveys(stack: LocalStack, api: str) -> dict[str, Any]:
    """A Facebook commenter's and an X DM's cases, resolved through the department's link
    while the platform no longer takes the token the secret holds: each survey is owed
    and waits in TriageFailuresQueue. Ops put the renewed tokens in the secret and run
    `replay` (POST /_local/replay, as `socialcare replay --local`): each survey's link
    goes, once. The platforms' tokens and the secret are put back as they were."""
    from socialcare import bootstrap
    from socialcare.bootstrap import adapters

    tokens = stack.platforms.tokens
    secrets = stack.client("secretsmanager")
    secret_id = stack.refs["PlatformTokensSecret"]
    kept = (dict(tokens), secrets.get_secret_value(SecretId=secret_id)["SecretString"])
    try:
        cases = {
            "facebook_comment": derived_case(stack, api, "meta_facebook_comment", "meta"),
            "x_dm": derived_case(stack, api, "x_dm", "x", as_x_user),
        }
        tokens["facebook_page_tokens"] = {"*": "renewed-page-token"}
        tokens["x_access_token"], tokens["x_refresh_token"] = "revoked", "revoked-too"
        for case_id in cases.values():
            resolve(stack, case_id)
        stack.wait_for_streams(timeout=60)
        waiting = stack.triage_failures()
        sent_before = _survey_links_sent(stack, cases.values())
        renewed = {
            **json.loads(kept[1]),
            "facebook_page_tokens": {"*": "renewed-page-token"},
            "x_access_token": "a-new",
            "x_refresh_token": "r-new",
            "x_token_expires_at": 0,
        }
        tokens["x_access_token"], tokens["x_refresh_token"] = "a-new", "r-new"
        secrets.put_secret_value(SecretId=secret_id, SecretString=json.dumps(renewed))
        replayed = http_request("POST", f"{api}/_local/replay", {}).json()
        stack.wait_for_streams(timeout=30)
        marked = [name for name, case_id in cases.items() if _marked_sent(stack, case_id)]
        found = {
            "owed_batches_waiting": waiting,
            "survey_links_sent_before_renewal": sent_before,
            "replay": replayed,
            "survey_links_sent": _survey_links_sent(stack, cases.values()),
            "surveys_marked_sent": marked,
            "left_in_triage_failures": stack.triage_failures(),
        }
    finally:
        tokens.update(kept[0])
        secrets.put_secret_value(SecretId=secret_id, SecretString=kept[1])
        adapters.platform_tokens(
            bootstrap.root()
        ).fresh()  # the containers' cache of the secret with them
    ok = (
        waiting >= 1
        and sent_before == 0
        and found["survey_links_sent"] == len(cases)
        and sorted(marked) == sorted(cases)
        and found["left_in_triage_failures"] == 0
    )
    return {"sent": {"cases": list(cases), "renewed_tokens": 2}, "found": found, "ok": ok}


def _survey_links_sent(stack: LocalStack, case_ids: Iterable[str]) -> int:
    """The messages sent with a survey link of one of these cases."""
    links = [f"/survey/{case_id}." for case_id in case_ids]
    return sum(any(link in str(s["text"]) for link in links) for s in stack.platforms.state.sent)


def _marked_sent(stack: LocalStack, case_id: str) -> bool:
    return bool((stack.get_case(case_id) or {}).get("survey_sent_at"))


def survey_burst(api: str, clients: int = 50) -> dict[str, Any]:
    """`clients` survey pages posted at the same moment (a link that does not exist: the
    page answers 404): each is answered, none reset or refused by the local server."""
    ready = threading.Barrier(clients)
    answers: Counter[str] = Counter()
    lock = threading.Lock()

    def one(n: int) -> None:
        ready.wait()
        url = f"{api}/survey/20261124-0123456789abcdef.{n:032d}"
        try:
            answer = str(http_request("POST", url, FORM, b"score=5").status)
        except (NoAnswer, OSError) as error:
            answer = type(error).__name__
        with lock:
            answers[answer] += 1

    threads = [threading.Thread(target=one, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"sent": {"clients": clients}, "found": dict(answers), "ok": answers == {"404": clients}}
