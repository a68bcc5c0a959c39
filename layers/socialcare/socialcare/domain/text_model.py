"""A learned text classifier: the features of a message and a linear model over them.

Pure: the weights come in as a LinearModel (read from config/triage_model.json by
configuration.py, trained offline by `socialcare triage train`). The same `features`
function serves training and prediction, so the two can never disagree on a message.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from operator import itemgetter, mul

from socialcare.domain.speech_acts import speech_acts

# What `features` computes: a model trained on other features cannot be loaded.
FEATURES_VERSION = "words+pairs+chars3-5+acts/v3"

# Links: "http(s)://…", "www.…", and dotted names ending in a known top-level domain
# ("mi-web.com/precios"). Linear in the text's length: a dotted name is tried only where
# its run of [\w.-] begins (the two lookbehinds; "---a.com" as "---" + the link), each
# label is taken whole (possessive), so a failed try costs the run once and is never
# retried inside it. The old `\b[\w-]+(?:\.[\w-]+)*\.…` was retried at every word
# boundary of the run: 8,000 characters of "b-b-b-…" took seconds.
LINKS = re.compile(
    r"https?://\S++|www\.\S++"
    r"|(?<![\w-])(?<![\w-]\.)(?P<lead>(?:-++\.)*+-*+)(?!https?://|www\.)\w[\w-]*+(?:\.[\w-]++)*"
    r"\.(?:com|net|org|info|shop|win|club|top|xyz|online|link|co|es|io|me|ly)(?:/\S*)?\b"
)
_HANDLE = re.compile(r"@\w++")
# Chosen by 5-fold cross-validation (README, "Trying it, measuring it, retraining it").
ACT_WEIGHT = 3.0
_DIGITS = re.compile(r"\d")
_TOKEN = re.compile(r"\w++|[?!¿¡]|[^\w\s]", re.UNICODE)
_REPEATS = re.compile(r"(\w)\1{2,}")  # "holaaa" -> "holaa", "sooo" -> "soo"


def normalise(text: str) -> str:
    """Lower case without accents ("Dónde" -> "donde"); emoji and punctuation stay."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def replace_links(text: str, by: str) -> str:
    """Each link in the text replaced by `by` (dashes before a name stay)."""
    return LINKS.sub(lambda link: (link.group("lead") or "") + by, text)


def plain_text(text: str) -> str:
    """Normalised, with links and handles as placeholders and digits as 0."""
    plain = replace_links(normalise(text), " _url_ ")
    plain = _HANDLE.sub(" _at_ ", plain)
    plain = _REPEATS.sub(r"\1\1", plain)
    return _DIGITS.sub("0", plain)


def _is_symbol(token: str) -> bool:
    return len(token) == 1 and not token.isalnum() and token != "_"  # noqa: S105 (a token of text, not a secret)


def features(text: str) -> dict[str, float]:
    """Words, word pairs, character 3- to 5-grams inside words, emoji and punctuation
    marks, each counted once; and the speech acts (domain/speech_acts.py). Character
    n-grams carry typos, inflections and words the corpus never saw whole
    ("reembolsasteis" shares most of its n-grams with "reembolso")."""
    plain = plain_text(text)
    tokens = _TOKEN.findall(plain)
    found: dict[str, float] = {"_bias_": 1.0}
    words = [t for t in tokens if t[0].isalnum() or t[0] == "_"]
    for token in tokens:
        if _is_symbol(token):
            found[f"s:{token}"] = 1.0
    for word in words:
        found[f"w:{word}"] = 1.0
        padded = f" {word} "
        for size in (3, 4, 5):
            for start in range(len(padded) - size + 1):
                found[f"c:{padded[start : start + size]}"] = 1.0
    for first, second in pairwise(words):
        found[f"b:{first} {second}"] = 1.0
    found[f"len:{_length_band(len(words))}"] = 1.0
    # Each message's features are scaled to unit length, so long messages do not
    # outweigh short ones; a speech act weighs as much as ACT_WEIGHT words.
    norm = 1.0 / math.sqrt(len(found))
    scaled = {name: norm for name in found}
    for act in speech_acts(plain):
        scaled[act] = ACT_WEIGHT * norm
    return scaled


def _length_band(words: int) -> str:
    return "0" if words == 0 else "1-3" if words <= 3 else "4-12" if words <= 12 else "13+"


@dataclass(frozen=True)
class Prediction:
    label: str
    confidence: float  # the label's probability
    probabilities: dict[str, float]


@dataclass(frozen=True)
class LinearModel:
    """Multinomial logistic regression: for each label a column of one weight per
    feature. Scoring picks the message's rows from each column with itemgetter and sums
    them with map, both in C, rather than looping over rows and labels in Python."""

    labels: tuple[str, ...]
    intercepts: tuple[float, ...]
    rows: Mapping[str, int]  # feature -> its row in every column
    columns: tuple[Sequence[float], ...]  # one per label

    def predict(self, found: Mapping[str, float]) -> Prediction:
        scores = list(self.intercepts)
        present = [
            (row, value)
            for name, value in found.items()
            if (row := self.rows.get(name)) is not None
        ]
        if present:
            indices, values = zip(*present, strict=True)
            pick = itemgetter(*indices)
            for index, column in enumerate(self.columns):
                picked = pick(column) if len(indices) > 1 else (pick(column),)
                scores[index] += sum(map(mul, picked, values))
        top = max(scores)
        exps = [math.exp(score - top) for score in scores]
        total = sum(exps)
        probabilities = {label: e / total for label, e in zip(self.labels, exps, strict=True)}
        label = max(probabilities, key=probabilities.__getitem__)
        return Prediction(label, probabilities[label], probabilities)
