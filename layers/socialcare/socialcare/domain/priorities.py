"""A case's priority (P1-P4), from config/triage.yaml's `priority:` block: the category's
base, bumped for customers, public negative messages and large audiences, then capped and
floored by what was flagged."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from socialcare.domain.routing import Flag, Priority
from socialcare.domain.triage import Category, TextTriage


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FollowerTier(_Strict):
    min_followers: int = Field(ge=0)
    bump: int = Field(ge=0, le=3)


class PriorityConfig(_Strict):
    base: dict[Category, Priority]
    customer_bump: list[Category] = []
    public_negative_bump: bool = True
    follower_tiers: list[FollowerTier] = []
    floors: dict[Flag, Priority] = {}
    capped: dict[Category, Priority] = {}

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
