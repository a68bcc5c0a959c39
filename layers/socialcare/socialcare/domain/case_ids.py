"""What case_id_for makes: the day and a digest (<yyyymmdd>-<16 hex digits>). Apart from
cases.py so that what only reads a case id (a survey's payload) does not import the case."""

from __future__ import annotations

import re

CASE_ID = re.compile(r"\d{8}-[0-9a-f]{16}")
