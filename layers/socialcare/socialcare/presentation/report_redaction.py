"""A report file without a person's cases (their erasure): in cases.csv the row's case id
and initials become "erased", elsewhere (kpis.json's breached cases, report.html) the
case id does. Every figure stays as it was: a row is anonymised, never removed.

The initials are personal data: beside the case's channel and creation time to the
second they single out one public comment or post, and so one person (GDPR recital 26)."""

from __future__ import annotations

import csv
import io

from socialcare.domain.privacy import ERASED
from socialcare.presentation.report_files import CSV_COLUMNS

_CASE_ID = CSV_COLUMNS.index("case_id")
_AUTHOR = CSV_COLUMNS.index("author")


def redact_report(key: str, body: bytes, case_ids: set[str]) -> bytes | None:
    """The file without the cases; None when it cannot be read as text."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if key.endswith(".csv"):
        return _redact_csv(text, case_ids).encode("utf-8")
    for case_id in case_ids:
        text = text.replace(case_id, ERASED)
    return text.encode("utf-8")


def _redact_csv(text: str, case_ids: set[str]) -> str:
    out = io.StringIO(newline="")
    rows = csv.writer(out)
    for row in csv.reader(io.StringIO(text, newline="")):
        if len(row) > _AUTHOR and row[_CASE_ID] in case_ids:
            row[_CASE_ID] = row[_AUTHOR] = ERASED
        rows.writerow(row)
    return out.getvalue()
