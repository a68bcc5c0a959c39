"""The console's audit entries (ports/console_audit.ConsoleAudit): one item per action,
under its person, newest first by sort key, kept a year.

  CONSOLE_AUDIT#<sha256 of the username, 32 hex> / <at>#<fingerprint>

The key holds a digest, never the username (the stream keeps changed keys for 24 hours,
and a username may be an email address); the item names the case (`GSI2PK=CASE#<id>`, so
an erasure finds it) but never what anyone wrote. Heat: one person's key, at the pace
a person acts."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from socialcare.adapters.dynamodb.items import about_case, decode_item, encode_item
from socialcare.adapters.dynamodb.table import CasesTable
from socialcare.domain.console_audit import AuditEntry

# Admins look back at people's last actions; a year covers any review (DynamoDB's TTL
# deletes the entry after it, https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html).
KEEP_DAYS = 365


def audit_pk(username: str) -> str:
    return "CONSOLE_AUDIT#" + hashlib.sha256(username.encode("utf-8")).hexdigest()[:32]


class DynamoDBConsoleAudit:
    def __init__(self, table: CasesTable) -> None:
        self._table = table

    def record(self, entry: AuditEntry) -> None:
        what = f"{entry.action}|{entry.case_id}|{entry.detail}"
        fingerprint = hashlib.sha256(what.encode("utf-8")).hexdigest()[:12]
        at = datetime.fromisoformat(entry.at.replace("Z", "+00:00"))
        item = encode_item(
            PK=audit_pk(entry.username),
            SK=f"{entry.at}#{fingerprint}",
            entity="console_audit",
            username=entry.username,
            action=entry.action,
            at=entry.at,
            case_id=entry.case_id or None,
            detail=entry.detail or None,
            expires_at=int((at + timedelta(days=KEEP_DAYS)).timestamp()),
            **(about_case(entry.case_id, "console_audit") if entry.case_id else {}),
        )
        self._table.write(self._table.client.put_item, "-", TableName=self._table.name, Item=item)

    def last_actions(self, username: str, limit: int = 5) -> list[AuditEntry]:
        page: dict[str, Any] = self._table.call(
            self._table.client.query,
            TableName=self._table.name,
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues=encode_item(**{":pk": audit_pk(username)}),
            ScanIndexForward=False,
            Limit=max(1, limit),
        )
        return [_entry(decode_item(item)) for item in page.get("Items", [])]


def _entry(item: dict[str, Any]) -> AuditEntry:
    return AuditEntry(
        username=str(item["username"]),
        action=str(item["action"]),
        at=str(item["at"]),
        case_id=str(item.get("case_id", "")),
        detail=str(item.get("detail", "")),
    )
