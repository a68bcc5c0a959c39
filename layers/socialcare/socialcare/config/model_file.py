"""config/triage_model.json: the learned triage model as `socialcare triage train` writes
it, validated by `config check` and the tests (a truncated or hand-edited file fails
there, not a case); functions read it with config/model_reading.py."""

from __future__ import annotations

import binascii
from array import array
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from socialcare.config.model_reading import linear_model, weights_of
from socialcare.domain.calibration import Calibration
from socialcare.domain.text_model import FEATURES_VERSION, LinearModel
from socialcare.domain.triage import Category, Sentiment, TriageModel


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClassifierFile(_Strict):
    labels: list[str] = Field(min_length=2)
    intercepts: list[float]
    # The features, one a line, and their weights: little-endian float32, one row of
    # len(labels) per feature, base64.
    features: str
    weights: str

    @model_validator(mode="after")
    def _one_weight_per_label(self) -> ClassifierFile:
        if len(self.intercepts) != len(self.labels):
            raise ValueError("one intercept per label is needed")
        if len(self._weights()) != len(self._features()) * len(self.labels):
            raise ValueError("one weight per feature and label is needed")
        return self

    def _features(self) -> list[str]:
        return self.features.split("\n") if self.features else []

    def _weights(self) -> array[float]:
        try:
            return weights_of(self.weights)
        except binascii.Error:
            raise ValueError("the weights are not base64") from None

    def model(self) -> LinearModel:
        return linear_model(self.labels, self.intercepts, self.features, self._weights())


class TrainingRecord(_Strict):
    messages: int = Field(gt=0)
    # sha256 of the corpus files, in order: the test suite checks the shipped model was
    # trained on the corpus in the repository.
    corpus_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class CalibrationFile(_Strict):
    """A score -> probability map (domain/calibration.py)."""

    points: list[float] = Field(min_length=1)
    values: list[float] = Field(min_length=1)

    @model_validator(mode="after")
    def _a_map(self) -> CalibrationFile:
        if any(not 0 <= v <= 1 for v in self.values):
            raise ValueError("a calibration's values are probabilities")
        self.calibration()  # ascending points, one value each
        return self

    def calibration(self) -> Calibration:
        return Calibration(tuple(self.points), tuple(self.values))


class Calibrations(_Strict):
    category: CalibrationFile
    urgent: CalibrationFile


class ModelFile(_Strict):
    format: Literal[2]
    features: Literal["words+pairs+chars3-5+acts/v3"]
    trained_on: TrainingRecord
    category: ClassifierFile
    sentiment: ClassifierFile
    urgent: ClassifierFile
    calibration: Calibrations

    @model_validator(mode="after")
    def _known_labels(self) -> ModelFile:
        if self.features != FEATURES_VERSION:
            raise ValueError(f"features {self.features!r}: this code computes {FEATURES_VERSION!r}")
        for name, labels, known in (
            ("category", self.category.labels, set(Category)),
            ("sentiment", self.sentiment.labels, set(Sentiment)),
            ("urgent", self.urgent.labels, {"true", "false"}),
        ):
            if set(labels) != known:
                raise ValueError(f"{name}: the labels must be {', '.join(sorted(known))}")
        return self

    def triage_model(
        self,
        confidence_threshold: float,
        urgent_threshold: float,
        review_category_doubt: float = 1.0,
        review_urgent_doubt: float = 1.0,
    ) -> TriageModel:
        return TriageModel(
            category=self.category.model(),
            sentiment=self.sentiment.model(),
            urgent=self.urgent.model(),
            confidence_threshold=confidence_threshold,
            urgent_threshold=urgent_threshold,
            category_calibration=self.calibration.category.calibration(),
            urgent_calibration=self.calibration.urgent.calibration(),
            review_category_doubt=review_category_doubt,
            review_urgent_doubt=review_urgent_doubt,
        )
