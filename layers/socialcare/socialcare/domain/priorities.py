"""A case's priority (P1-P4), from config/triage.yaml's `priority:` block: the category's
base, bumped for customers, public negative messages and large audiences, then capped and
floored by what was flagged."""

from __future__ import annotations

from dataclasses import dataclass, field

from socialcare.domain.config_rules import STRICT, require, within
from socialcare.domain.routing import Flag, Priority
from socialcare.domain.triage import Category, TextTriage


@dataclass(frozen=True)
class FollowerTier:
    __pydantic_config__ = STRICT

    min_followers: int
    bump: int

    def __post_init__(self) -> None:
        require(self.min_followers >= 0, "min_followers", "must be at least 0")
        within(self.bump, "bump", 0, 3)


@dataclass(frozen=True)
class PriorityConfig:
    __pydantic_config__ = STRICT

    base: dict[Category, Priority]
    customer_bump: list[Category] = field(default_factory=list)
    public_negative_bump: bool = True
    follower_tiers: list[FollowerTier] = field(default_factory=list)
    floors: dict[Flag, Priority] = field(default_factory=dict)
    capped: dict[Category, Priority] = field(default_factory=dict)

    def priority(
        self,
        assessment: TextTriage,
        *,
        public: bool,
        followers: int | None,
        flags: set[str],
    ) -> Priority:
        level = int(self.base.get(assessment.category, "P3")[1])
        if assessment.relation.value == "customer" and assessment.category in self.customer_bump:
            level -= 1
        if self.public_negative_bump and public and assessment.sentiment.value == "negative":
            level -= 1
        for tier in sorted(self.follower_tiers, key=lambda t: t.min_followers, reverse=True):
            if (followers or 0) >= tier.min_followers:
                level -= tier.bump
                break
        # Caps first: an authority mention or an urgent message is owed attention even
        # when it reads as a troll's.
        if assessment.category in self.capped:
            level = max(level, int(self.capped[assessment.category][1]))
        for flag, floor in self.floors.items():
            if flag in flags:
                level = min(level, int(floor[1]))
        return f"P{min(4, max(1, level))}"  # type: ignore[return-value]
