"""What a webhook does not carry and triage reads from the platform before classifying:
an Instagram mention's words (Meta's mentions webhook sends only ids), who wrote a
Messenger or Instagram message (its webhook sends only the person's scoped id). The
reads are the platform's; these are their typed answers and the port that gives them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from socialcare.domain.cases import Case, CaseAuthor
from socialcare.domain.platform_errors import TokenProblem


class DetailsProblem(StrEnum):
    """Why a read gave nothing; the case goes on without it, and says so to staff."""

    TOKEN = "token"  # noqa: S105 (a kind of problem, not a secret): a token or permission a person must renew (alarmed)
    UNAVAILABLE = "unavailable"  # the platform failed or did not answer
    GONE = "gone"  # deleted, hidden from the brand, or refused for good


class DetailsUnavailable(Exception):
    def __init__(
        self, problem: DetailsProblem, reason: str = "", token: TokenProblem | None = None
    ) -> None:
        super().__init__(f"{problem.value}: {reason}" if reason else problem.value)
        self.problem = problem
        self.token = token  # what is wrong with the token, for the alarm


@dataclass(frozen=True)
class MentionContent:
    """The comment or caption that @mentioned the brand, as Instagram gives it."""

    text: str
    username: str | None = None
    permalink: str | None = None


@dataclass(frozen=True)
class PersonName:
    display_name: str | None = None
    handle: str | None = None


@dataclass(frozen=True)
class CaseDetails:
    """What triage learnt of a case before classifying it; kept on the case."""

    # Replaces the first message's placeholder (an Instagram mention's words).
    text: str | None = None
    handle: str | None = None
    display_name: str | None = None
    permalink: str | None = None
    # Set when a read gave nothing: what staff are told instead.
    problem: DetailsProblem | None = None

    @property
    def empty(self) -> bool:
        return self == CaseDetails()


def with_details(case: Case, details: CaseDetails) -> Case:
    """The case as triage and every later reader see it once `details` are kept."""
    if details.empty:
        return case
    author = case.author
    if details.handle or details.display_name:
        author = CaseAuthor(
            id=author.id,
            aliases=author.aliases,
            handle=details.handle or author.handle,
            display_name=details.display_name or author.display_name,
            followers=author.followers,
        )
    texts = case.texts
    if details.text is not None:
        texts = (details.text, *case.texts[1:])
    return replace(
        case,
        author=author,
        texts=texts,
        permalink=details.permalink or case.permalink,
        details_problem=details.problem.value if details.problem else case.details_problem,
    )
