"""A media link's answer: the file's bytes (inline, never run as a page), a redirect to
the platform's CDN, or a short page in the staff's language saying why not."""

from __future__ import annotations

from socialcare.app.media_links import MediaOpened, MediaState
from socialcare.presentation import http
from socialcare.presentation.notices import media_refused

_REFUSED = {"gone": 410, "unavailable": 503, "too_large": 413}


def media_response(opened: MediaOpened, language: str) -> http.Response:
    if opened.state is MediaState.SHOWN and opened.content is not None:
        return http.inline_file(opened.content.content_type, opened.content.body)
    if opened.state is MediaState.REDIRECT and opened.url:
        return http.redirect(opened.url)
    status = _REFUSED[opened.state.value]
    return http.html(status, media_refused(opened.state.value, language))
