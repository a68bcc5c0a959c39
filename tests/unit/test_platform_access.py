"""What connect and the doctor's platform checks say when a stack or a platform answers
oddly: one line, never a traceback."""

from __future__ import annotations

from socialcare_cli.doctor.checks import Check
from socialcare_cli.doctor.platform_checks import platform_checks
from socialcare_cli.platform_access import Answer
from socialcare_cli.stack_target import StackTarget

APIS = {
    "meta": "http://127.0.0.1:1/v21.0",
    "x": "http://127.0.0.1:1",
    "telegram": "http://127.0.0.1:1",
}


def test_a_stack_without_its_secrets_outputs_is_one_failing_check():
    # Given a stack deployed from an older template (no PlatformSecretsArn output)
    target = StackTarget({}, "http://127.0.0.1:1", APIS)
    # When the platform checks run
    found = platform_checks(target)
    # Then one check fails, saying why, and nothing else is attempted
    assert found == [
        Check(
            "platform secrets",
            False,
            "the stack has no output PlatformSecretsArn (deploy this version)",
        )
    ]


def test_a_stack_that_does_not_say_its_platform_apis_is_one_failing_check():
    # Given a local stack older than the platform_apis answer
    target = StackTarget({}, "http://127.0.0.1:1", {})
    # When the platform checks run
    [found] = platform_checks(target)
    # Then it says which are missing
    assert not found.ok and "meta, telegram, x API" in found.detail


def test_each_platforms_refusal_reads_in_its_own_words():
    # Given a refusal in each platform's shape, and OAuth's (a string error)
    graph = Answer(400, {"error": {"message": "(#100) Invalid parameter", "code": 100}})
    telegram = Answer(400, {"ok": False, "description": "Bad Request: invalid webhook URL"})
    x = Answer(400, {"errors": [{"message": "CrcValidationFailed"}]})
    oauth = Answer(400, {"error": "invalid_request", "error_description": "..."})
    # When / Then each is the status and the platform's words
    assert graph.problem() == "400 (#100) Invalid parameter"
    assert telegram.problem() == "400 Bad Request: invalid webhook URL"
    assert x.problem() == "400 CrcValidationFailed"
    assert oauth.problem() == "400 invalid_request"
