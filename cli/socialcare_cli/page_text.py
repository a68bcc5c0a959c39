"""What the scenarios, the demo and the bench read out of the product's pages and
messages: a form's CSRF token, a link or a number in a text. A page without one is a
failure of what is measured, named as such (not an AttributeError on None)."""

from __future__ import annotations

import re

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_CSRF_BYTES = re.compile(_CSRF.pattern.encode())


class NotFoundInPage(ValueError):
    pass


def csrf_token(page: bytes | str) -> str:
    """The token of the page's form (every form of the product carries one)."""
    if isinstance(page, bytes):
        found_bytes = _CSRF_BYTES.search(page)
        if found_bytes is None:
            raise NotFoundInPage("the page has no form with a csrf_token")
        return found_bytes.group(1).decode()
    return first_match(_CSRF, page, 1)


def first_match(pattern: re.Pattern[str] | str, text: str, group: int = 0) -> str:
    """`group` of the first match of `pattern` in `text`."""
    found = re.search(pattern, text)
    if found is None:
        shown = pattern.pattern if isinstance(pattern, re.Pattern) else pattern
        raise NotFoundInPage(f"nothing matches {shown!r}")
    return found.group(group)
