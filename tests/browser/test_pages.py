"""The pages people open, in a real browser: the department's action page (GET, then the
form), its 410 and 404 pages, and the managers' report.html."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

from socialcare.presentation.formatting import Formats
from tests.conftest import sample
from tests.integration.test_case_workflow import SUPPORT, email_to, wait_for

pytestmark = pytest.mark.browser


def derived_link(stack, choice: str = "resolved") -> tuple[str, str]:
    stack.function("WebhookFunction").invoke(sample("telegram_message"))
    [case] = stack.wait_until_triaged()
    email = email_to(stack, SUPPORT, case["id"])
    [url] = [u for u in email["links"] if u.endswith(f"?do={choice}")]
    return case["id"], url


def test_a_department_confirms_on_the_action_page(stack, api, page, screenshot):
    # Given the "Resolved" link of a derivation email
    case_id, url = derived_link(stack)
    # When the department opens it
    response = page.goto(url)
    # Then it sees the case and a form with "Resolved" chosen, and nothing has changed yet
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Queja · Telegram · Nuria Campos (@nuriacampos)"
    assert case_id in page.locator("body").inner_text()  # small, for reference
    assert "cobrado dos veces" in page.locator("blockquote").first.inner_text()
    assert page.locator("input[name=action][value=resolved]").is_checked()
    assert stack.get_case(case_id)["status"] == "derived"
    screenshot("1-confirm")
    # When it adds a note and confirms
    page.fill("textarea[name=note]", "Llamada hecha, cargo devuelto")
    with page.expect_navigation():
        page.click("button[type=submit]")
    # Then it is thanked and the case closes as resolved, with the note
    assert page.locator("h1").inner_text() == "Gracias, queda registrado"
    screenshot("2-done")
    closed = wait_for(stack, case_id, lambda c: "closed_at" in c)
    assert closed["status"] == "resolved"
    notes = [e["data"].get("note") for e in closed["timeline"] if e["kind"] == "department_action"]
    assert notes == ["Llamada hecha, cargo devuelto"]
    # When the link is opened again
    again = page.goto(url)
    # Then a 410 page says it was used, and offers to note a late answer
    assert again.status == 410
    assert "ya se usó" in page.locator("body").inner_text()
    assert page.locator("form textarea[name=note]").count() == 1
    screenshot("3-gone")


def test_another_action_moves_the_case_on(stack, api, page, screenshot):
    # Given the "Not ours" link
    case_id, url = derived_link(stack, "not_ours")
    page.goto(url)
    # When the department sends it to claims
    page.select_option("select[name=department]", "claims")
    with page.expect_navigation():
        page.click("button[type=submit]")
    # Then the page says where it went, and claims is emailed
    assert "Siniestros" in page.locator("body").inner_text()
    screenshot("rederived")
    wait_for(stack, case_id, lambda c: c.get("department") == "claims" and c["hops"] == 1)


def test_an_unknown_link_gets_a_404_page(api, page, screenshot):
    response = page.goto(f"{api}/actions/{'x' * 32}")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Enlace no encontrado"
    screenshot("404")


def test_the_report_is_self_contained_and_readable(stack, api, page, screenshot):
    # Given a day with a case and the daily report
    stack.function("WebhookFunction").invoke(sample("telegram_message"))
    stack.wait_until_triaged()
    today = datetime.now(ZoneInfo("Europe/Madrid")).date().isoformat()
    stack.run_report("daily", today)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    # When a manager opens report.html
    response = page.goto(f"{api}/_local/reports/latest/daily/report.html")
    # Then it shows the period, the figures and five charts, fetching nothing else
    assert response.status == 200
    day = Formats("es").day(today)
    assert page.locator("#period").inner_text() == f"{day} \N{EN DASH} {day}"
    row = page.locator("tr[data-kpi=cases_received] td")
    assert row.nth(1).inner_text() == "1"
    assert page.locator("svg").count() == 5
    assert all(urlsplit(u).path.endswith("report.html") for u in requested), requested
    assert page.locator("script").count() == 0
    screenshot("report")


def test_the_social_team_edits_and_publishes_a_reply(stack, api, page, screenshot):
    # Given a praise comment written just now, and the social team's email about it
    from tests.integration.test_outbound_on_stack import SOCIAL_TEAM, fresh

    event = fresh("meta_facebook_comment", "meta", "¡Enhorabuena por el servicio, un placer!")
    stack.function("WebhookFunction").invoke(event)
    [case] = stack.wait_until_triaged()
    [url] = [u for u in email_to(stack, SOCIAL_TEAM, case["id"])["links"] if "/publish/" in u]
    # When it opens the link: the suggested reply, editable, and nothing sent yet
    response = page.goto(url)
    assert response.status == 200
    suggested = page.locator("textarea[name=public_text]").input_value()
    assert suggested and stack.platforms.calls_made() == []
    screenshot("1-form")
    # When it edits the reply and publishes it
    page.fill("textarea[name=public_text]", "¡Gracias, Lucía! Se lo contamos al equipo.")
    with page.expect_navigation():
        page.click("button[type=submit]")
    # Then the page says it went out, and the platform holds that text once
    assert "Publicada en Facebook" in page.locator("body").inner_text()
    screenshot("2-published")
    [reply] = [s for s in stack.platforms.state.sent if s["kind"] == "comment_reply"]
    assert reply["text"] == "¡Gracias, Lucía! Se lo contamos al equipo."
    # When the link is opened again: used
    assert page.goto(url).status == 410
    screenshot("3-used")


def test_a_department_replies_in_the_customers_chat(stack, api, page, screenshot):
    # Given the "I contacted the customer" link of a Telegram derivation
    case_id, url = derived_link(stack, "contacted")
    page.goto(url)
    # When the department writes to the customer from the page
    page.fill("textarea[name=reply]", "Hola Nuria, el cargo duplicado ya está devuelto.")
    with page.expect_navigation():
        page.locator("form", has=page.locator("textarea[name=reply]")).locator("button").click()
    # Then the chat has it and the case is contacted
    assert page.locator("h1").inner_text() == "Gracias, queda registrado"
    screenshot("replied")
    # ... followed by the satisfaction survey its closing asks
    reply, survey = [s for s in stack.platforms.state.sent if s["platform"] == "telegram"]
    assert reply["text"] == "Hola Nuria, el cargo duplicado ya está devuelto."
    assert survey["text"].startswith("Hemos cerrado tu consulta")
    assert wait_for(stack, case_id, lambda c: "closed_at" in c)["status"] == "contacted"
