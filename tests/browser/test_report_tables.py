"""The report's tables on a 390 px phone: every column of every row can be read (each
value inside the screen, beside its column's name), none hidden off to the side."""

from __future__ import annotations

import pytest

from tests.browser.screens import a_report

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# Each data cell: where it is drawn, the text it shows, and the column name drawn beside it.
_CELLS = """() => [...document.querySelectorAll('table')].flatMap(table =>
  [...table.querySelectorAll('tbody tr, tr')].filter(row => !row.closest('thead'))
    .flatMap(row => [...row.querySelectorAll('td')].map((cell, index) => {
      const box = cell.getBoundingClientRect();
      const label = getComputedStyle(cell, '::before').content;
      return {table: table.id || table.dataset.split, index, left: box.left,
              right: box.right, text: cell.innerText.trim(), label};
    })))"""


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_column_of_every_report_table_is_readable_on_a_phone(chromium, language):
    # Given a week's report with every channel and category, on a 390 px phone
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_content(a_report(language)["report"])
    # When each table's cells are measured
    cells = page.evaluate(_CELLS)
    context.close()
    # Then every one is inside the screen, and each value (not the row's name) carries
    # its column's name
    assert len({c["table"] for c in cells}) >= 6
    outside = [c for c in cells if c["left"] < 0 or c["right"] > PHONE["width"]]
    assert outside == []
    unnamed = [c for c in cells if c["index"] > 0 and c["label"] in ("none", "normal", '""')]
    assert unnamed == []
