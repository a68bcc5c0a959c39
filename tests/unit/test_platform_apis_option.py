"""`socialcare local --meta-api/--x-api/--telegram-api URL`: what the stack is given, and
a URL it cannot use refused on one line."""

from __future__ import annotations

from typing import Any

import pytest

from socialcare_cli.local.platform_apis import platform_api_url
from socialcare_cli.main import main


@pytest.mark.parametrize(
    ("platform", "given", "used"),
    [
        ("meta", "http://sandbox:8080", "http://sandbox:8080/v21.0"),
        ("meta", "https://graph.example/v19.0/", "https://graph.example/v19.0"),
        ("x", "http://127.0.0.1:9000/", "http://127.0.0.1:9000"),
        ("telegram", "https://bots.example/api", "https://bots.example/api"),
    ],
)
def test_the_base_url_keeps_the_real_paths(platform: str, given: str, used: str) -> None:
    # Given / When / Then: Meta's carries the Graph version the adapters call, unless named
    assert platform_api_url(platform, given) == used


@pytest.mark.parametrize(
    "given", ["ftp://sandbox", "sandbox:8080", "http://", "http://h:port", "http://h/?a=1"]
)
def test_a_url_the_stack_cannot_call_is_one_line_and_exit_2(
    given: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a URL that is not http(s) with a host
    # When `socialcare local` is started with it
    with pytest.raises(SystemExit) as exited:
        main(["local", "--meta-api", given])

    # Then the command stops on one line before starting anything
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "argument --meta-api" in err


def test_the_chosen_urls_reach_the_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given `socialcare local` with two of the three APIs elsewhere
    started: dict[str, Any] = {}

    def serve(port: int, aws_port: int, time_scale: float, apis: dict[str, str]) -> int:
        started.update(apis)
        return 0

    monkeypatch.setattr("socialcare_cli.local.serve.serve", serve)

    # When it starts
    code = main(["local", "--meta-api", "http://h:1", "--telegram-api", "http://t:2"])

    # Then the stack is given those two, Meta's with the Graph version
    assert code == 0
    assert started == {"meta": "http://h:1/v21.0", "telegram": "http://t:2"}
