"""Amazon Bedrock's Converse API for the second opinion on a message triage is unsure of
(SECOND_OPINION=bedrock; ports/second_opinion.SecondOpinions). The model must call one
tool whose input is a JSON schema (category, urgent, authority): `toolChoice.tool`
forces it, "supported by Anthropic Claude 3 and Amazon Nova models"
(https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ToolChoice.html,
https://docs.aws.amazon.com/bedrock/latest/userguide/tool-use.html). One attempt, the
client's connect and read timeouts (bootstrap/clients.py): a throttle, a timeout, a
refusal or an answer outside the schema is None, and triage stands as the model made it.
"Amazon Bedrock doesn't store any text ... that you provide as content"
(https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html)."""

from __future__ import annotations

import time
from typing import Any

from aws_lambda_powertools import Logger
from botocore.exceptions import BotoCoreError, ClientError

from socialcare.domain.second_opinion import (
    OPINION_INSTRUCTIONS,
    OPINION_SCHEMA,
    OPINION_TOOL,
    SecondOpinion,
    opinion_from,
)

logger = Logger(service="triage", child=True)  # triage calls it: its handler writes the record

# Three booleans and a word: the tool call is about 40 output tokens; room for a little more.
MAX_TOKENS = 200


def converse_request(model_id: str, text: str) -> dict[str, Any]:
    """Converse's request (API_runtime_Converse.html): the instructions as `system`, the
    message as the one user turn, and the one tool the model must call."""
    return {
        "modelId": model_id,
        "system": [{"text": OPINION_INSTRUCTIONS}],
        "messages": [{"role": "user", "content": [{"text": text}]}],
        "inferenceConfig": {"maxTokens": MAX_TOKENS, "temperature": 0},
        "toolConfig": {
            "tools": [
                {
                    "toolSpec": {
                        "name": OPINION_TOOL,
                        "description": "Record the triage of the customer's message.",
                        "inputSchema": {"json": OPINION_SCHEMA},
                    }
                }
            ],
            "toolChoice": {"tool": {"name": OPINION_TOOL}},
        },
    }


class BedrockSecondOpinions:
    def __init__(self, client: Any, model_id: str) -> None:
        self._client = client
        self._model_id = model_id

    def opinion(self, text: str) -> SecondOpinion | None:
        started = time.monotonic()
        try:
            response = self._client.converse(**converse_request(self._model_id, text))
        except (ClientError, BotoCoreError) as error:  # throttled, timed out, refused
            logger.warning("second opinion unavailable", extra={"why": type(error).__name__})
            return None
        latency_ms = round((time.monotonic() - started) * 1000)
        usage = response.get("usage") or {}
        logger.info(
            "second opinion",
            extra={
                "model_id": self._model_id,
                "latency_ms": latency_ms,
                "input_tokens": usage.get("inputTokens"),
                "output_tokens": usage.get("outputTokens"),
            },
        )
        found = opinion_from(_tool_input(response), self._model_id, latency_ms)
        if found is None:
            logger.warning("second opinion outside the schema", extra={"stop": _stop(response)})
        return found


def _tool_input(response: dict[str, Any]) -> object:
    """The input of the one call to the tool (toolUse content block), or None."""
    message = (response.get("output") or {}).get("message") or {}
    calls = [
        block["toolUse"]
        for block in message.get("content") or ()
        if isinstance(block, dict) and isinstance(block.get("toolUse"), dict)
    ]
    if len(calls) != 1 or calls[0].get("name") != OPINION_TOOL:
        return None
    return calls[0].get("input")


def _stop(response: dict[str, Any]) -> str:
    return str(response.get("stopReason", ""))
