"""`make demo`'s walk through the social team's console, in headless Chromium as people
would use it: a community manager and an approver are invited with `socialcare users add`,
the manager signs in at the (local) managed login (temporary password, a new one, an
authenticator), answers a customer from a case's page, writes a reply to a case that
mentions a consumer authority (which approvals.yaml holds for an approver), signs out;
the approver signs in and approves it; only then does it go to the platform."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socialcare_cli.authenticator import totp
from socialcare_cli.errors import CommandFailed
from socialcare_cli.local.stack import LocalStack

# Chromium's own background traffic is refused on machines without internet; off.
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
_PASSWORD = "Consola-Demo-2026!"
_ANSWER = "Hola, gracias por escribirnos. Lo revisamos y te contestamos por aquí."
# True when it is said: the case was derived to the legal department at triage.
_TO_AUTHORITY = (
    "Sentimos mucho lo ocurrido. Hemos pasado tu caso a nuestro equipo jurídico y te "
    "contestaremos en cuanto lo revise."
)


@dataclass(frozen=True)
class _Person:
    email: str
    username: str
    temporary_password: str


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


def walk_the_console(stack: LocalStack, base_url: str, output: Path) -> Path | None:
    """The inbox's screenshot, or None (and why, printed) when Chromium is absent."""
    path = chromium_path()
    if path is None:
        print("  Chromium is not installed: the console walk is skipped")
        print("  (apt-get install chromium, or set CHROMIUM_PATH)")
        return None
    from playwright.sync_api import sync_playwright

    manager = _invite(base_url, "carla.ruiz@brand.example", "community_manager")
    approver = _invite(base_url, "pablo.sanz@brand.example", "approver")
    question, authority = _cases_to_answer(stack)
    shot = output / "console-inbox.png"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        try:
            page = _signed_in(browser, base_url, manager)
            print(
                f"  {manager.username} (community manager) signed in: new password, authenticator"
            )
            page.goto(f"{base_url}/console/")
            page.screenshot(path=str(shot), full_page=True)
            print(f"  inbox: {_queue_counts(page)}")
            said = _reply(page, base_url, question[0], _ANSWER, question[1])
            print(f"  {question[1]} reply to case {question[0]} -> {said}")
            said = _reply(page, base_url, authority, _TO_AUTHORITY, "public")
            print(f"  reply to case {authority} (consumer authority mentioned) -> {said}")
            _sign_out(page)
            page = _signed_in(browser, base_url, approver)
            print(f"  {approver.username} (approver) signed in")
            print(f"  approves it -> {_approve(page, base_url, authority)}")
            print(f"  the platform received: {_last_reply(stack, authority)}")
        finally:
            browser.close()
    return shot


def _invite(base_url: str, email: str, role: str) -> _Person:
    from socialcare_cli import users_cli

    command = argparse.Namespace(
        users_command="add", email=email, role=role, username=None, stack_name=None, local=base_url
    )
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = users_cli.main(command)  # `socialcare users add EMAIL --role ROLE --local URL`
    text = printed.getvalue()
    password = re.search(r"temporary password: (\S+)", text)
    if code != 0 or password is None:
        raise CommandFailed(f"socialcare users add {email} failed: {text.strip()}")
    return _Person(email, text.split(" ", 1)[0], password.group(1))


# Where a reply may go now, whatever the conversation's age: a comment's or a post's one
# public reply, or a chat that has no window (the samples' other conversations are weeks
# old, past Meta's and WhatsApp's windows).
_ANSWERABLE = {
    "facebook_comment": "public",
    "instagram_comment": "public",
    "x_mention": "public",
    "telegram": "private",
    "x_dm": "private",
}


def _cases_to_answer(stack: LocalStack) -> tuple[tuple[str, str], str]:
    """(An open case nobody has answered yet, without a consumer authority, and how to
    answer it), and an open comment that mentions one."""
    question: tuple[str, str] | None = None
    authority = None
    for case in sorted(stack.list_cases(), key=lambda c: str(c.get("created_at", ""))):
        triage = case.get("triage") or {}
        visibility = _ANSWERABLE.get(str(case.get("channel")))
        if case.get("closed_at") or visibility is None:
            continue
        if triage.get("authority_mentioned"):
            authority = authority or (case["id"] if visibility == "public" else None)
        elif question is None and triage.get("category") not in ("troll", "spam"):
            once = visibility == "public" and _answered(stack, case["id"])
            question = None if once else (case["id"], visibility)
    if question is None or authority is None:
        raise CommandFailed("the demo's deliveries left no open case the console can answer")
    return question, authority


def _answered(stack: LocalStack, case_id: str) -> bool:
    """Something went out already (a comment takes one public reply from the brand)."""
    return any(e.get("kind") == "outbound_sent" for e in stack.case(case_id).get("timeline", []))


def _signed_in(browser: Any, base_url: str, person: _Person) -> Any:
    """A new browser context signed in at the managed login, the first time: temporary
    password, a new one, then an authenticator app set up with the key it shows."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-ES")
    page = context.new_page()
    page.goto(f"{base_url}/console/")
    page.get_by_label("Username or email").fill(person.email)
    page.get_by_label("Password").fill(person.temporary_password)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("New password").fill(_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    key = page.locator("code").inner_text()
    page.get_by_label("Code from your authenticator app").fill(totp(key))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r".*/console/.*"))
    return page


def _queue_counts(page: Any) -> str:
    queues = page.locator("nav.queues li")
    return ", ".join(" ".join(queues.nth(i).inner_text().split()) for i in range(queues.count()))


def _reply(page: Any, base_url: str, case_id: str, text: str, visibility: str) -> str:
    page.goto(f"{base_url}/console/cases/{case_id}")
    choice = page.locator(f"input[name=visibility][value={visibility}]")
    if choice.count():
        choice.check()
    page.locator("#reply-text").fill(text)
    with page.expect_navigation():
        page.locator("form[action$='/reply'] button[type=submit]").click()
    return _notice(page)


def _sign_out(page: Any) -> None:
    page.get_by_role("button", name=re.compile("Cerrar sesión|Sign out")).click()
    page.wait_for_url(re.compile(r".*/oauth2/authorize.*|.*/signin.*"))
    page.context.close()


def _approve(page: Any, base_url: str, case_id: str) -> str:
    page.goto(f"{base_url}/console/approvals")
    waiting = page.locator("section.card").filter(has_text=_TO_AUTHORITY[:40])
    button = waiting.locator("form[action$='/approve'] button[type=submit]")
    if not button.count():
        kept = Path("demo-output") / "console-approvals.html"
        kept.write_text(page.content(), encoding="utf-8")
        raise CommandFailed(f"the approver sees no reply of case {case_id} to approve ({kept})")
    with page.expect_navigation():
        button.first.click()
    return _notice(page)


def _last_reply(stack: LocalStack, case_id: str) -> str:
    """What the case's timeline says of its last send (the rule's reason if one held it)."""
    events = [
        e
        for e in stack.case(case_id).get("timeline", [])
        if str(e.get("kind", "")).startswith("outbound_")
    ]
    if not events:
        return "nothing yet"
    last = events[-1]
    data = last.get("data") or {}
    return f"{last.get('kind')} ({data.get('outbound')}, {data.get('channel')})"


def _notice(page: Any) -> str:
    notice = page.locator("[role=status]").first
    return " ".join(notice.inner_text().split()) if notice.count() else page.title()
