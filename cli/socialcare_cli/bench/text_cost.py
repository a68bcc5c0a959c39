"""The cost of adversarial text: triage (the domain's `triage_text` with the shipped model
and rules) plus the personal-data masking the emails use, on texts shaped to make a
regular expression backtrack, as a ratio to normal text of the same length, at each
platform's longest message. A backtracking pattern gives 50-1,000x; linear ones stay
near 1. Used by `make bench` and by tests/unit/domain/test_linear_text.py."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from functools import cache
from typing import Any

# The longest text a person can send in each channel. Facebook posts can be longer
# still (63,206), and what a platform lets a person type may exceed what its API sends:
# the webhook cuts every text at MAX_TEXT (25,000, domain/messages.py), the longest
# triage is ever given.
PLATFORM_LIMITS = {
    # X's character counting: https://docs.x.com/fundamentals/counting-characters
    "x_post": 280,
    # Messenger's Send API: "text must be UTF-8 and has a 2000 character limit"
    # https://developers.facebook.com/docs/messenger-platform/reference/send-api/
    "messenger": 2_000,
    # Instagram captions and comments, 2,200 characters
    # https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media
    "instagram_comment": 2_200,
    # Telegram: "1-4096 characters after entities parsing"
    # https://core.telegram.org/bots/api#sendmessage
    "telegram": 4_096,
    # WhatsApp Cloud API text body: "Maximum 4096 characters"
    # https://developers.facebook.com/docs/whatsapp/cloud-api/messages/text-messages
    "whatsapp": 4_096,
    # Facebook comments, 8,000 characters (Meta's reference gives no figure; the cut at
    # 25,000 below covers anything longer)
    # https://developers.facebook.com/docs/graph-api/reference/object/comments/
    "facebook_comment": 8_000,
    # X Direct Messages, 10,000 characters since 2015
    # https://blog.x.com/en_us/a/2015/removing-the-140-character-limit-from-direct-messages
    "x_dm": 10_000,
    # X Premium long posts, 25,000 characters (https://help.x.com/en/using-x/x-premium);
    # also the webhook's cut, MAX_TEXT
    "x_long_post": 25_000,
}

# Each unit repeated to the length measured: separators, dots, dashes, "@", digits, emoji,
# brackets, long unbroken runs, and the mixes that found backtracking before.
SHAPES = {
    "b-b-b": "b-",
    "a.a.a": "a.",
    "a@a@a": "a@",
    "1 1 1": "1 ",
    "12 12 12": "12 ",
    "card groups": "4111 ",
    "phone groups": "612 345 678 ",
    "((((": "(",
    "(1)(1)": "(1) ",
    "nested brackets": "([{<",
    "https://": "https://",
    "www.": "www.",
    "____": "_",
    "a.com.a.com": "a.com.",
    "a.com/": "a.com/",
    "-a.-a.": "-a.",
    "a-.a-.": "a-.",
    "-.-.": "-.",
    "dashes": "-",
    "dots": ".",
    "@@@@": "@",
    "@a @a": "@a ",
    "digits": "1",
    "letters": "x",
    "a1a1": "a1",
    "emoji": "😀",
    "emoji zwj": "👨\u200d👩\u200d👧",
    "bidi": "\u202ea",
    "spaces": " ",
    "newlines": "\n",
    "iban-like": "ES00 ",
    "dni-like": "12345678Z ",
    "email-like": "x@y.es ",
    "x@x.x.": "x@x.x.",
    "authority words": "denuncia consumo abogado ",
    "urgency words": "arcen hospital alergia ",
    "holaaa": "holaaa ",
}


def shaped(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


@cache
def _prose() -> str:
    """Normal text: the development and held-out messages, one after another."""
    from socialcare_cli.local.stack import project_root

    root = project_root()
    sources = sorted(root.glob("tests/fixtures/triage_*.jsonl")) + sorted(
        root.glob("triage/holdout/*.jsonl")
    )
    texts = [
        json.loads(line)["text"]
        for path in sources
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    if not texts:
        raise RuntimeError("no labelled messages found for normal text")
    return " ".join(texts)


def normal_text(length: int) -> str:
    return shaped(_prose() + " ", length)


@cache
def _triage_and_mask() -> Callable[[str], object]:
    from socialcare.config.loaders import triage_model, triage_rules
    from socialcare.domain.personal_data import mask_personal_data
    from socialcare.domain.triage import triage_text

    model, rules = triage_model(), triage_rules()

    def cost(text: str) -> object:
        return triage_text(text, public=True, model=model, rules=rules), mask_personal_data(text)

    return cost


def _cpu(work: Callable[[str], object], text: str) -> float:
    """CPU time of this thread: other processes on the machine do not count."""
    started = time.thread_time()
    work(text)
    return time.thread_time() - started


def cost_ratio(text: str, repetitions: int = 5) -> float:
    """The text's cost over normal text's of the same length: the minimum of interleaved
    repetitions of each (the least disturbed run of both)."""
    work = _triage_and_mask()
    normal = normal_text(len(text))
    work(normal)  # the first call pays for the caches
    best_text = best_normal = float("inf")
    for _ in range(repetitions):
        best_text = min(best_text, _cpu(work, text))
        best_normal = min(best_normal, _cpu(work, normal))
    return best_text / max(best_normal, 1e-6)


def measure(rounds: int = 3, repetitions: int = 5) -> dict[str, Any]:
    """Each shape at each platform's limit; per limit the worst ratio over the shapes,
    with its spread over `rounds` independent runs."""
    by_limit: dict[str, dict[str, Any]] = {}
    worst_overall = 0.0
    for platform, length in PLATFORM_LIMITS.items():
        runs = []
        for _ in range(rounds):
            ratios = {
                name: cost_ratio(shaped(unit, length), repetitions) for name, unit in SHAPES.items()
            }
            worst = max(ratios, key=ratios.__getitem__)
            runs.append((ratios[worst], worst))
        values = [ratio for ratio, _ in runs]
        by_limit[platform] = {
            "characters": length,
            "worst_ratio": round(max(values), 2),
            "worst_shape": max(runs)[1],
            "spread": round(max(values) - min(values), 2),
        }
        worst_overall = max(worst_overall, max(values))
    return {
        "shapes": len(SHAPES),
        "limits": by_limit,
        "worst_ratio": round(worst_overall, 2),
        "target": 5,
        "ok": worst_overall <= 5,
    }


if __name__ == "__main__":  # one quick look: python -m socialcare_cli.bench.text_cost
    print(json.dumps(measure(rounds=1), indent=2))
