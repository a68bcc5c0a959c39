"""What the optional second opinion (SECOND_OPINION=bedrock, adapters/bedrock.py) costs
per 1,000 cases: the request it sends, built for every message of the corpus exactly as
triage builds it (instructions, the forced tool and its schema, the masked sample),
measured in characters; its tokens estimated from them; times the model's list price;
times the share of cases that need review (the only ones it is asked about).

Tokens are an estimate, not a count: Claude's tokenizer is not public (Anthropic's own
counter is a network call, https://docs.anthropic.com/en/docs/build-with-claude/token-counting).
The adapter logs Converse's `usage` (inputTokens, outputTokens) of every call, so once
switched on the logs give the real figure."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

# Claude 3 Haiku on Amazon Bedrock, on demand: $0.00025 per 1,000 input tokens and
# $0.00125 per 1,000 output tokens (https://aws.amazon.com/bedrock/pricing/).
PRICE_PER_INPUT_TOKEN = 0.00025 / 1000
PRICE_PER_OUTPUT_TOKEN = 0.00125 / 1000
# The system prompt Anthropic adds for tool use: Claude 3 Haiku with a forced tool
# (`any`, `tool`), 340 tokens (https://docs.anthropic.com/en/docs/tool-use-pricing-and-tokens).
TOOL_USE_SYSTEM_TOKENS = 340
# Characters per token assumed: pessimistic for Spanish and English (about 4 is usual for
# English prose); JSON and accented words tokenize worse than prose.
CHARACTERS_PER_TOKEN = 3.0
# The tool_use block's framing (its id and name) beside its JSON input, in tokens.
TOOL_CALL_FRAMING_TOKENS = 20
# Triage waits for the answer at most the timeout (SECOND_OPINION_TIMEOUT_SECONDS, 2 s by
# default): billed here at that ceiling, at the triage function's 512 MB, arm64
# ($0.0000133334 per GB-second, https://aws.amazon.com/lambda/pricing/).
WAIT_SECONDS = 2.0
LAMBDA_GB = 0.5
LAMBDA_GB_SECOND = 0.0000133334
# At least 70% of messages decided alone (issue 34's target): at most 30% asked about.
REVIEW_SHARE = 0.30


def corpus_texts(root: Path) -> list[str]:
    paths = sorted((root / "triage" / "corpus").glob("*.jsonl"))
    return [
        json.loads(line)["text"]
        for path in paths
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def request_characters(text: str) -> int:
    """The characters of what a Converse request carries for the model: the instructions,
    the tool's name, description and schema, and the message as triage sends it."""
    from socialcare.bootstrap.second_opinion import converse_request
    from socialcare.domain.second_opinion import opinion_text
    from socialcare.domain.triage import triage_sample

    request: dict[str, Any] = converse_request("model", opinion_text(triage_sample(text)))
    system = sum(len(block["text"]) for block in request["system"])
    tools = len(json.dumps(request["toolConfig"], ensure_ascii=False))
    message = sum(len(c["text"]) for m in request["messages"] for c in m["content"])
    return system + tools + message


def answer_characters() -> int:
    """The longest valid answer (the longest category), as the tool call's JSON input."""
    from socialcare.domain.triage import Category

    longest = max((c.value for c in Category), key=len)
    return len(json.dumps({"category": longest, "urgent": False, "authority": False}))


def measure(root: Path, review_share: float = REVIEW_SHARE) -> dict[str, Any]:
    texts = corpus_texts(root)
    if not texts:
        raise RuntimeError("no corpus messages under triage/corpus/")
    characters = sorted(request_characters(text) for text in texts)
    mean_characters = sum(characters) / len(characters)
    input_tokens = TOOL_USE_SYSTEM_TOKENS + math.ceil(mean_characters / CHARACTERS_PER_TOKEN)
    output_tokens = math.ceil(answer_characters() / CHARACTERS_PER_TOKEN)
    output_tokens += TOOL_CALL_FRAMING_TOKENS
    per_call = input_tokens * PRICE_PER_INPUT_TOKEN + output_tokens * PRICE_PER_OUTPUT_TOKEN
    waiting = WAIT_SECONDS * LAMBDA_GB * LAMBDA_GB_SECOND
    return {
        "messages": len(texts),
        "request_characters_mean": round(mean_characters),
        "request_characters_p95": characters[int(0.95 * (len(characters) - 1))],
        "input_tokens_estimated": input_tokens,
        "output_tokens_estimated": output_tokens,
        "usd_per_call": round(per_call + waiting, 7),
        "review_share": review_share,
        "usd_per_1000_cases": round(1000 * review_share * (per_call + waiting), 4),
        "ok": True,
    }


def beside_triage(root: Path, count: int) -> dict[str, Any]:
    """The bench's triage step: triage's throughput (triage_throughput.py), and beside it
    what the second opinion would cost."""
    from socialcare_cli.bench import triage_throughput

    return {**triage_throughput.measure(root, count=count), "second_opinion": measure(root)}


if __name__ == "__main__":  # python -m socialcare_cli.bench.second_opinion_cost
    from socialcare_cli.local.stack import project_root

    print(json.dumps(measure(project_root()), indent=2))
