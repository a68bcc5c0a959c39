"""A right-to-left override (U+202E) in a customer's name or message, as Chromium lays the
department's page out: the words after it must still read left to right."""

from __future__ import annotations

import pytest

from socialcare.app.action_links import Confirmation
from socialcare.domain.action_links import ActionChoice
from socialcare.domain.cases import CaseAuthor
from socialcare.presentation.action_pages import page_for
from tests.browser.screens import ROUTING, a_link, a_rich_case

pytestmark = pytest.mark.browser

# Where each character of `word` is drawn, in every text node that holds it.
_POSITIONS = """(word) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const at = node.data.indexOf(word);
    if (at < 0) continue;
    const xs = [];
    for (let i = at; i < at + word.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      xs.push(range.getBoundingClientRect().left);
    }
    found.push(xs);
  }
  return found;
}"""


def test_an_override_in_a_customer_text_no_longer_reverses_the_page_around_it(page, screenshot):
    # Given a case whose author's name and message carry a right-to-left override
    case = a_rich_case(
        author=CaseAuthor(id="42", display_name="Lucía\u202e", followers=12840),
        texts=("Pago\u202e duplicado del recibo de noviembre",),
    )
    html = page_for(Confirmation(a_link(), case, "es", ActionChoice.RESOLVED), ROUTING).html
    # When Chromium shows the department's page
    page.set_content(html)
    screenshot("override")
    # Then the words after each override (the follower count after the name, the rest of
    # the message) are drawn left to right, and the override shows where it was
    for word in ("seguidores", "noviembre"):
        drawn = page.evaluate(_POSITIONS, word)
        assert drawn, word
        for xs in drawn:
            assert xs == sorted(xs) and len(set(xs)) == len(xs), (word, xs)
    assert "[U+202E]" in page.locator("body").inner_text()
