"""The second opinion's adapter, as production builds it over a Root (issue 34)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socialcare.bootstrap import Root

if TYPE_CHECKING:
    from socialcare.adapters.bedrock import BedrockSecondOpinions


def converse_request(model_id: str, text: str) -> dict[str, object]:
    """The Converse request the adapter sends for `text` (the bench prices it)."""
    from socialcare.adapters.bedrock import converse_request as request

    return request(model_id, text)


def second_opinions(root: Root) -> BedrockSecondOpinions | None:
    """Amazon Bedrock's second opinion when switched on (SECOND_OPINION=bedrock); None:
    triage alone, the default."""

    def build() -> BedrockSecondOpinions | None:
        settings = root.settings
        if settings.second_opinion != "bedrock":
            return None
        from socialcare.adapters.bedrock import BedrockSecondOpinions
        from socialcare.bootstrap.clients import bedrock_runtime_client

        timeout = settings.second_opinion_timeout_seconds
        client = root.once("client:bedrock-runtime", lambda: bedrock_runtime_client(timeout))
        return BedrockSecondOpinions(client, settings.second_opinion_model_id)

    return root.once("second_opinions", build)
