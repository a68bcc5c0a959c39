"""A report file without a person's cases (their erasure): in cases.csv the row's case id
and initials become "erased" and its creation time its day; elsewhere (kpis.json's
breached cases, report.html) the case id becomes "erased". Every figure stays as it
was: a row is anonymised, never removed, and reads as the report computed again after
the erasure writes it (from the case's anonymised fact).

The initials, and the creation time to the second, are personal data: beside the case's
channel they single out one public comment or post, and so one person (GDPR recital 26).
The day does not."""

from __future__ import annotations

import csv
import io

from socialcare.domain.privacy import ERASED
from socialcare.presentation.report_files import CSV_COLUMNS

_CASE_ID = CSV_COLUMNS.index("case_id")
_CREATED = CSV_COLUMNS.index("created_at")
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
            row[_CREATED] = row[_CREATED][:10]
        rows.writerow(row)
    return out.getvalue()
