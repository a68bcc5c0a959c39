"""Privacy, as a person's request and an attacker's leftovers would try it, against the local
stack: WhatsApp customers write over HTTP (one by phone, then with phone and
business-scoped id; another by phone only); each is found by every id she wrote with and
erased by one (a phone dialled with 00 finds her too); today's report, run again, keeps
its figures; an export refuses a leftover `<out>.partial` and a symlink there. Then what
privacy hands out (privacy_handed_out.py): an export that opens no route of the actions
function, and a breached-cases list that an erasure leaves as a recomputation gives it.

WhatsApp's messages webhook carries the phone in `messages[].from` / `contacts[].wa_id`
and the business-scoped id in `messages[].from_user_id` / `contacts[].user_id`
(https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/
reference/messages/order.md)."""

from __future__ import annotations

import copy
import json
import os
import stat
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from socialcare_cli.local.stack import LocalStack, local_secrets, project_root
from socialcare_cli.reliability.common import privacy_command as _privacy
from socialcare_cli.reliability.privacy_handed_out import breached_list_kept, export_opens_nothing
from socialcare_cli.samples import SIGNATURE_HEADERS, http_request, load_event, signature_for
from socialcare_cli.synthetic import dated

NURIA_PHONE, NURIA_BSUID = "34699000111", "ES.1410018717833190"
PEDRO_PHONE = "34600222333"
ANA_PHONE = "34600333444"  # stays: her case is what is exported


def _whatsapp(api: str, n: int, text: str, phone: str | None, bsuid: str | None) -> int:
    """One text over HTTP, signed as Meta signs it, from a phone, a BSUID or both."""
    event = load_event(project_root() / "events" / "meta_whatsapp_text.json")
    body = dated(json.loads(event["body"]), datetime.now(UTC))
    value = body["entry"][0]["changes"][0]["value"]
    message = copy.deepcopy(value["messages"][0])
    message.pop("from")
    message.update(id=f"wamid.privacyprobe{n}", text={"body": text})
    contact: dict[str, Any] = {"profile": {"name": "Cliente"}}
    if phone:
        message["from"] = contact["wa_id"] = phone
    if bsuid:
        message["from_user_id"] = contact["user_id"] = bsuid
    value["messages"], value["contacts"] = [message], [contact]
    raw = json.dumps(body).encode()
    headers = {
        "content-type": "application/json",
        SIGNATURE_HEADERS["meta"]: signature_for("meta", raw, local_secrets({})),
    }
    return http_request("POST", f"{api}/webhooks/meta", headers, raw).status


def _settled(stack: LocalStack, timeout: float = 60.0) -> None:
    """Every case triaged and its workflow started: the report's figures stand still."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stack.wait_until_triaged()
        if all(c["status"] not in ("new", "triaged") for c in stack.list_cases()):
            return
        time.sleep(0.2)


def _cases(output: str) -> int:
    for line in output.splitlines():
        if line.strip().startswith("cases: "):
            return int(line.split(":")[1])
    return 0


def _figures(kpis: dict[str, Any]) -> dict[str, Any]:
    """What managers read, but when it was generated, the ids of breached cases (erased
    ones read "erased") and the hours departments held open cases (they grow with the
    clock until an erasure stops them)."""

    def without(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                k: without(v)
                for k, v in node.items()
                if k not in ("generated_at", "business_hours_in_department", "case_id")
            }
        if isinstance(node, list):
            return [without(v) for v in node]
        return node

    return without(kpis)


def _by_each_id(api: str) -> tuple[dict[str, int], bool]:
    """Each id finds the person whole: Nuria by phone and by BSUID, Pedro by phone."""
    found = {
        "nuria_by_phone": _cases(
            _privacy(api, "find", "--platform", "whatsapp", "--author", NURIA_PHONE)[1]
        ),
        "nuria_by_bsuid": _cases(
            _privacy(api, "find", "--platform", "whatsapp", "--author", NURIA_BSUID)[1]
        ),
        "nuria_by_phone_dialled_00": _cases(
            _privacy(api, "find", "--platform", "whatsapp", "--author", "00" + NURIA_PHONE)[1]
        ),
        "pedro_by_phone": _cases(
            _privacy(api, "find", "--platform", "whatsapp", "--author", PEDRO_PHONE)[1]
        ),
    }
    expected = {
        "nuria_by_phone": 2,
        "nuria_by_bsuid": 2,
        "nuria_by_phone_dialled_00": 2,
        "pedro_by_phone": 1,
    }
    return found, found == expected


def _erased(stack: LocalStack, api: str) -> tuple[dict[str, Any], bool]:
    """Nuria erased by her phone, Pedro by his: no id of theirs is left in the table."""
    codes = [
        _privacy(api, "erase", "--platform", "whatsapp", "--author", phone, "--yes")[0]
        for phone in (NURIA_PHONE, PEDRO_PHONE)
    ]
    after = {
        person: _cases(_privacy(api, "find", "--platform", "whatsapp", "--author", author)[1])
        for person, author in (("nuria_bsuid", NURIA_BSUID), ("pedro_phone", PEDRO_PHONE))
    }
    table = json.dumps(stack.client("dynamodb").scan(TableName=stack.cases_table)["Items"])
    left = [i for i in (NURIA_PHONE, NURIA_BSUID, PEDRO_PHONE) if i in table]
    found = {"exit_codes": codes, "cases_found_after": after, "ids_left_in_table": len(left)}
    return found, codes == [0, 0] and not any(after.values()) and not left


def _export_leftovers(api: str) -> tuple[dict[str, Any], bool]:
    """A leftover partial (0644) and a symlink at the partial are refused in one line and
    never written through; with neither, the export is 0600."""
    who = ("--platform", "whatsapp", "--author", ANA_PHONE)
    found: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "ana.json"
        partial = Path(folder) / "ana.json.partial"
        partial.write_text("left over")
        partial.chmod(0o644)
        code, said = _privacy(api, "export", *who, "-o", str(out))
        refusal = [line for line in said.splitlines() if "ana.json.partial" in line]
        found["leftover"] = {"exit": code, "said": refusal[-1][-60:] if refusal else None}
        leftover_ok = (
            code == 1
            and len(refusal) == 1
            and not out.exists()
            and partial.read_text() == "left over"
        )
        partial.unlink(missing_ok=True)
        out.unlink(missing_ok=True)
        target = Path(folder) / "readable.txt"
        target.write_text("")
        target.chmod(0o644)
        os.symlink(target, partial)
        code, _ = _privacy(api, "export", *who, "-o", str(out))
        found["symlink"] = {"exit": code, "written_through": target.read_text() != ""}
        symlink_ok = code == 1 and target.read_text() == "" and not out.exists()
        partial.unlink(missing_ok=True)
        out.unlink(missing_ok=True)
        code, _ = _privacy(api, "export", *who, "-o", str(out))
        mode = stat.S_IMODE(out.stat().st_mode) if out.exists() else None
        found["clean"] = {"exit": code, "mode": oct(mode) if mode is not None else None}
        clean_ok = code == 0 and mode == 0o600
    return found, leftover_ok and symlink_ok and clean_ok


def privacy_probes(stack: LocalStack, api: str) -> dict[str, Any]:
    sent = [
        _whatsapp(api, 1, "Os escribo desde mi número: me cobrasteis dos veces", NURIA_PHONE, None),
        _whatsapp(api, 2, "Ahora con mi usuario: sigo sin la devolución", NURIA_PHONE, NURIA_BSUID),
        _whatsapp(api, 3, "Hola, quiero dar un parte de hogar", PEDRO_PHONE, None),
        _whatsapp(api, 4, "Buenas, ¿cuándo llega el técnico?", ANA_PHONE, None),
    ]
    _settled(stack)
    today = datetime.now(ZoneInfo("Europe/Madrid")).date().isoformat()
    stack.run_report("daily", today)
    before = json.loads(stack.report_file("reports/latest/daily/kpis.json") or b"{}")
    by_id, by_id_ok = _by_each_id(api)
    erased, erased_ok = _erased(stack, api)
    stack.run_report("daily", today)
    after = json.loads(stack.report_file("reports/latest/daily/kpis.json") or b"{}")
    figures_ok = bool(before) and _figures(after) == _figures(before)
    received = [
        k.get("overall", {}).get("cases_received", {}).get("value") for k in (before, after)
    ]
    export, export_ok = _export_leftovers(api)
    links = export_opens_nothing(stack, api)
    breached = breached_list_kept(stack, api)
    return {
        "sent": {
            "whatsapp_deliveries": len(sent),
            "finds_by_phone_and_bsuid": 4,
            "erasures": 2,
            "exports_over_leftovers": 3,
            "export_links": links["sent"],
            "breached_list": breached["sent"],
        },
        "found": {
            "delivery_answers": sent,
            "cases_found": by_id,
            "erasure": erased,
            "cases_received_before_after": received,
            "figures_equal": figures_ok,
            "export": export,
            "export_links": links["found"],
            "breached_list": breached["found"],
        },
        "ok": sent == [200] * 4
        and by_id_ok
        and erased_ok
        and figures_ok
        and export_ok
        and links["ok"]
        and breached["ok"],
    }
