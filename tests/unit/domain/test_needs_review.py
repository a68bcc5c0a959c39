"""needs_review: triage says when it is unsure of what sets the case's course (the
category, urgency no cue decided, an authority's words), decided in the domain."""

from __future__ import annotations

import math
from array import array

import pytest

from socialcare.domain.calibration import Calibration
from socialcare.domain.text_model import LinearModel
from socialcare.domain.triage import (
    Category,
    TriageModel,
    TriageRules,
    compile_pattern,
    triage_text,
)


def linear(
    labels: list[str], intercepts: list[float], weights: dict[str, list[float]]
) -> LinearModel:
    names = list(weights)
    return LinearModel(
        labels=tuple(labels),
        intercepts=tuple(intercepts),
        rows={name: row for row, name in enumerate(names)},
        columns=tuple(array("f", [weights[n][i] for n in names]) for i in range(len(labels))),
    )


CATEGORIES = [c.value for c in Category]


def model(*, urgent_probability: float, **overrides: object) -> TriageModel:
    """Sure of praise when a message says "gracias" (feature weights are scaled by the
    message's length: 80 is plenty), unsure of anything else; urgency at a fixed probability."""
    praise = [80.0 if c == "praise" else 0.0 for c in CATEGORIES]
    logit = math.log(urgent_probability / (1 - urgent_probability))
    settings: dict[str, object] = {
        "category": linear(CATEGORIES, [0.0] * 9, {"w:gracias": praise}),
        "sentiment": linear(["negative", "neutral", "positive"], [0.0, 1.0, 0.0], {}),
        "urgent": linear(["false", "true"], [0.0, logit], {}),
        "confidence_threshold": 0.6,
        "urgent_threshold": 0.5,
        "review_category_doubt": 0.2,
        "review_urgent_doubt": 0.2,
    }
    settings.update(overrides)
    return TriageModel(**settings)  # type: ignore[arg-type]


RULES = TriageRules(
    authority=(compile_pattern("abogad[oa]s?|ocu"),),
    authority_exceptions=(compile_pattern(r"re:\bmi abogad[oa] me pide\b"),),
    urgency=(compile_pattern("ahora mismo"),),
    empty_words=frozenset({"hola"}),
    language_words={"es": frozenset({"gracias"})},
    safety=(compile_pattern("incendio"),),
)


def triage(text: str, triage_model: TriageModel):
    return triage_text(text, public=False, model=triage_model, rules=RULES)


def test_a_sure_triage_is_decided_alone():
    # Given a model sure of the category and of no urgency
    result = triage("gracias gracias", model(urgent_probability=0.01))
    # Then nobody needs to look
    assert result.category is Category.PRAISE
    assert not result.needs_review and result.review_reasons == ()


def test_an_unsure_category_asks_for_review():
    # Given a message the model spreads over every category
    result = triage("blablabla", model(urgent_probability=0.01))
    # Then it asks, saying why
    assert result.needs_review and result.review_reasons == ("category",)


def test_urgency_the_model_half_believes_asks_for_review():
    # Given urgency at 0.4: not urgent, yet not sure of it
    result = triage("gracias gracias", model(urgent_probability=0.4))
    # Then it asks about urgency
    assert not result.urgent
    assert result.review_reasons == ("urgent",)


def test_urgency_a_cue_decided_needs_no_review():
    # Given urgency at 0.4 and a safety cue in the words
    result = triage("gracias, hay un incendio en la tienda", model(urgent_probability=0.4))
    # Then the rule decided it: no doubt about urgency
    assert result.urgent and "urgent" not in result.review_reasons


def test_the_calibrated_probability_decides_and_is_the_confidence():
    # Given a calibration that says such sure-looking scores are right half the time
    halved = Calibration((0.0, 1.0), (0.0, 0.5))
    result = triage("gracias gracias", model(urgent_probability=0.01, category_calibration=halved))
    # Then the confidence shown is the calibrated one, and it asks
    assert result.confidence == pytest.approx(0.5, abs=0.01)
    assert result.review_reasons == ("category",)


def test_an_authority_word_in_an_innocent_use_asks_for_review():
    # Given thanks from someone whose own lawyer asks for a paper (an innocent use)
    result = triage(
        "gracias gracias, mi abogado me pide el certificado y me lo enviasteis enseguida",
        model(urgent_probability=0.01),
    )
    # Then no mention, but a person confirms it
    assert not result.authority_mentioned
    assert result.review_reasons == ("authority",)
