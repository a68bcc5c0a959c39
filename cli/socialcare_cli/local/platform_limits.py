"""The platforms' limits on buttons under a message, as their APIs enforce them: the local
emulator refuses what the real API would."""

from __future__ import annotations

from typing import Any

from socialcare_cli.local.platform_state import Refusal, graph_error


def check_inline_keyboard(markup: Any) -> None:
    """Telegram's limits on an inline keyboard: callback_data of 1-64 bytes."""
    if markup is None:
        return
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    buttons = [b for row in rows or [] for b in (row if isinstance(row, list) else [None])]
    for button in buttons or [None]:
        data = button.get("callback_data") if isinstance(button, dict) else None
        # data is a str only where the button is a dict: its text is asked last, as Telegram does
        if not isinstance(data, str) or not 0 < len(data.encode()) <= 64 or not button["text"]:  # type: ignore[index]
            raise Refusal(
                400,
                {"ok": False, "error_code": 400, "description": "Bad Request: BUTTON_DATA_INVALID"},
            )


def check_quick_replies(replies: Any) -> None:
    """Messenger's and Instagram's limits: up to 13, titles of 20 characters, a payload."""
    if replies is None:
        return
    ok = isinstance(replies, list) and 0 < len(replies) <= 13
    for reply in replies if ok else []:
        title, payload = reply.get("title"), reply.get("payload")
        ok = ok and isinstance(title, str) and 0 < len(title) <= 20
        ok = ok and isinstance(payload, str) and 0 < len(payload) <= 1000
    if not ok:
        raise graph_error(100, "(#100) Invalid quick_replies", status=400)


def whatsapp_interactive(interactive: Any) -> str:
    """A list message within WhatsApp's limits (10 rows, titles of 24, a button of 20);
    the text it shows."""
    body = interactive if isinstance(interactive, dict) else {}
    action = body.get("action") or {}
    rows = [row for section in action.get("sections") or [] for row in section.get("rows") or []]
    ok = body.get("type") == "list" and 0 < len(rows) <= 10
    ok = ok and 0 < len(str(action.get("button", ""))) <= 20
    for row in rows:
        ok = ok and 0 < len(str(row.get("title", ""))) <= 24
        ok = ok and 0 < len(str(row.get("id", ""))) <= 200
    text = str((body.get("body") or {}).get("text", ""))
    if not ok or not text:
        raise graph_error(131009, "(#131009) Parameter value is not valid", status=400)
    return text
