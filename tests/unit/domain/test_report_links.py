"""Signed report links: only report files, only with our signature, only for 7 days."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from socialcare.domain.report_links import check, signature

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
SECRET = "s" * 64
KEY = "reports/weekly/2026-11-16/report.html"
LATER = str(int(NOW.timestamp()) + 3600)


def test_a_signed_link_to_a_report_file_is_good_until_it_expires():
    good = signature(KEY, int(LATER), SECRET)
    assert check(KEY, LATER, good, SECRET, NOW) is None
    past = str(int(NOW.timestamp()) - 1)
    assert check(KEY, past, signature(KEY, int(past), SECRET), SECRET, NOW) == "expired"


@pytest.mark.parametrize(
    "key",
    [
        "reports/weekly/2026-11-16/../../secrets.json",
        "reports/latest/daily/report.html",
        "reports/weekly/2026-11-16/other.txt",
        "cases/2026-11-16/report.html",
    ],
)
def test_only_dated_report_files_can_be_linked(key):
    assert check(key, LATER, signature(key, int(LATER), SECRET), SECRET, NOW) == "not_found"


def test_another_secret_an_empty_one_or_a_bad_expiry_is_forged():
    good = signature(KEY, int(LATER), SECRET)
    assert check(KEY, LATER, good, "t" * 64, NOW) == "forged"
    assert check(KEY, LATER, signature(KEY, int(LATER), ""), "", NOW) == "forged"
    assert check(KEY, "soon", good, SECRET, NOW) == "forged"


@pytest.mark.parametrize(
    ("expires", "given"),
    [
        ("\u00b2", "0" * 64),  # a superscript two: isdigit() says yes, int() says no
        ("9" * 5000, "0" * 64),  # past int()'s 4,300-digit limit
        ("-1", "0" * 64),
        (" 1", "0" * 64),
        (LATER, "ZZ" * 32),
        (LATER, "0" * 63),
    ],
)
def test_an_expiry_or_signature_of_the_wrong_shape_is_forged_not_an_error(expires, given):
    # Given numbers and signatures no link of ours carries (they answered 500 before)
    # When / Then
    assert check(KEY, expires, given, SECRET, NOW) == "forged"
