"""Opening what a customer sent (domain/messages.Attachment) through the platform's own
media endpoint, when a person clicks its socialcare link: the bytes, or for a CDN
address that needs no token (Messenger, Instagram), where to go."""

from __future__ import annotations

from dataclasses import dataclass

from socialcare.domain.case_details import DetailsProblem

# What a link streams at most: API Gateway and Lambda carry 6 MB, base64 makes bytes a
# third longer (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
MAX_MEDIA_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class MediaContent:
    body: bytes
    content_type: str


@dataclass(frozen=True)
class MediaRedirect:
    url: str


class MediaUnavailable(Exception):
    """GONE: the platform no longer keeps it; UNAVAILABLE: it did not answer now; TOKEN:
    the brand's token must be renewed (alarmed). `too_large`: over MAX_MEDIA_BYTES."""

    def __init__(self, problem: DetailsProblem, reason: str = "", too_large: bool = False):
        super().__init__(f"{problem.value}: {reason}" if reason else problem.value)
        self.problem = problem
        self.too_large = too_large
