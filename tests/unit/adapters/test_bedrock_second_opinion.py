"""Amazon Bedrock's Converse API as the optional second opinion, answered by botocore's
Stubber (which checks each request against the service's model) in the shapes
API_runtime_Converse.html documents: the answer is recorded only when it is exactly what
the schema allows; a throttle, a timeout or a malformed answer is no opinion at all."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
import pytest
from botocore.config import Config
from botocore.stub import Stubber

from socialcare.adapters.bedrock import BedrockSecondOpinions, converse_request
from socialcare.bootstrap import Root
from socialcare.bootstrap.second_opinion import second_opinions
from socialcare.domain.second_opinion import OPINION_TOOL, SecondOpinion, opinion_text
from socialcare.domain.triage import Category
from socialcare.settings import Settings

MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
TEXT = "No es reclamo, solo quiero entender cómo se pide la devolución"


def a_client(**config):
    return boto3.client(
        "bedrock-runtime",
        region_name="eu-west-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(**config) if config else None,
    )


@pytest.fixture
def bedrock():
    client = a_client()
    with Stubber(client) as stub:
        yield client, stub


def answered(tool_input: object, name: str = OPINION_TOOL) -> dict:
    """Converse's response when the model called a tool (toolUse content block)."""
    return {
        "output": {
            "message": {
                "role": "assistant",
                "content": [
                    {"toolUse": {"toolUseId": "tooluse_1", "name": name, "input": tool_input}}
                ],
            }
        },
        "stopReason": "tool_use",
        "usage": {"inputTokens": 612, "outputTokens": 41, "totalTokens": 653},
        "metrics": {"latencyMs": 480},
    }


def test_the_answer_is_the_tool_input_the_schema_allows(bedrock):
    # Given Bedrock answering with the forced tool's input
    client, stub = bedrock
    answer = {"category": "question", "urgent": False, "authority": False}
    stub.add_response("converse", answered(answer), converse_request(MODEL, TEXT))
    # When asked
    opinion = BedrockSecondOpinions(client, MODEL).opinion(TEXT)
    # Then its category and flags are the opinion, with the model and its latency
    stub.assert_no_pending_responses()
    assert opinion is not None
    assert (opinion.category, opinion.urgent, opinion.authority) == (
        Category.QUESTION,
        False,
        False,
    )
    assert opinion.model_id == MODEL and opinion.latency_ms >= 0
    assert set(opinion.as_dict()) == {"category", "urgent", "authority", "model_id", "latency_ms"}


def test_the_request_forces_the_one_tool_and_its_json_schema():
    request = converse_request(MODEL, TEXT)
    tools = request["toolConfig"]
    assert tools["toolChoice"] == {"tool": {"name": OPINION_TOOL}}
    [tool] = tools["tools"]
    schema = tool["toolSpec"]["inputSchema"]["json"]
    assert schema["required"] == ["category", "urgent", "authority"]
    assert set(schema["properties"]["category"]["enum"]) == set(Category)
    assert request["messages"] == [{"role": "user", "content": [{"text": TEXT}]}]


@pytest.mark.parametrize(
    "tool_input",
    [
        {"category": "refund", "urgent": False, "authority": False},  # not a category
        {"category": "question", "urgent": "no", "authority": False},  # not a boolean
        {"category": "question", "urgent": False},  # a field missing
        {"category": "question", "urgent": False, "authority": False, "text": "..."},  # more
        "question",
    ],
)
def test_an_answer_outside_the_schema_is_no_opinion(bedrock, tool_input):
    client, stub = bedrock
    stub.add_response("converse", answered(tool_input), converse_request(MODEL, TEXT))
    assert BedrockSecondOpinions(client, MODEL).opinion(TEXT) is None


def test_an_answer_in_words_or_from_another_tool_is_no_opinion(bedrock):
    client, stub = bedrock
    words = {
        "output": {"message": {"role": "assistant", "content": [{"text": "It is a question."}]}},
        "stopReason": "end_turn",
        "usage": {"inputTokens": 600, "outputTokens": 6, "totalTokens": 606},
        "metrics": {"latencyMs": 300},
    }
    stub.add_response("converse", words, converse_request(MODEL, TEXT))
    other = answered({"category": "question", "urgent": False, "authority": False}, "other")
    stub.add_response("converse", other, converse_request(MODEL, TEXT))
    opinions = BedrockSecondOpinions(client, MODEL)
    assert opinions.opinion(TEXT) is None and opinions.opinion(TEXT) is None


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("ThrottlingException", 429),
        ("ModelTimeoutException", 408),
        ("AccessDeniedException", 403),
        ("ServiceUnavailableException", 503),
    ],
)
def test_a_refusal_of_bedrock_is_no_opinion(bedrock, code, status):
    client, stub = bedrock
    stub.add_client_error("converse", code, "no", status, expected_params=None)
    assert BedrockSecondOpinions(client, MODEL).opinion(TEXT) is None


class _Slow(BaseHTTPRequestHandler):
    requests = 0
    release = threading.Event()

    def do_POST(self) -> None:
        type(self).requests += 1
        self.release.wait(5)  # past the client's read timeout

    def log_message(self, *args: object) -> None: ...


def test_bedrock_not_answering_in_time_is_one_attempt_and_no_opinion():
    # Given an endpoint that does not answer, and a client with production's settings
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    client = boto3.client(
        "bedrock-runtime",
        region_name="eu-west-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        endpoint_url=f"http://127.0.0.1:{server.server_address[1]}",
        config=Config(read_timeout=0.2, connect_timeout=0.2, retries={"total_max_attempts": 1}),
    )
    try:
        # When asked
        opinion = BedrockSecondOpinions(client, MODEL).opinion(TEXT)
    finally:
        _Slow.release.set()
        server.shutdown()
    # Then there is no opinion, after one request (no retry)
    assert opinion is None and _Slow.requests == 1


def test_production_builds_the_client_with_one_attempt_and_the_timeout(monkeypatch):
    # Given the second opinion switched on with a 1.5 s timeout
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    settings = Settings(second_opinion="bedrock", second_opinion_timeout_seconds=1.5)
    # When built
    built = second_opinions(Root(settings, client=lambda _service: None))
    # Then its client waits 1.5 s to connect and to read, once
    config = built._client.meta.config
    assert (config.connect_timeout, config.read_timeout) == (1.5, 1.5)
    assert config.retries["total_max_attempts"] == 1


def test_it_is_off_by_default():
    assert Settings().second_opinion == "off"
    assert second_opinions(Root(Settings(), client=lambda _service: None)) is None


def test_what_is_sent_is_triage_s_sample_with_personal_data_masked():
    sent = opinion_text("Mi DNI es 12345678Z y no me devolvéis el dinero")
    assert "12345678Z" not in sent and "no me devolvéis el dinero" in sent


def test_an_opinion_records_nothing_of_the_text():
    opinion = SecondOpinion(Category.INCIDENT, True, False, MODEL, 512)
    assert opinion.as_dict() == {
        "category": "incident",
        "urgent": True,
        "authority": False,
        "model_id": MODEL,
        "latency_ms": 512,
    }
