"""What the doctor reads of a stack beyond its outputs: a function's environment (the
template's parameters as the functions got them: SenderEmail, OutboundMode)."""

from __future__ import annotations

from socialcare_cli.stack_target import StackTarget


def function_environment(target: StackTarget) -> dict[str, str]:
    """TriageFunction's environment: it sends emails and answers on the platforms, so it
    carries both SENDER_EMAIL and OUTBOUND_MODE (Lambda GetFunctionConfiguration,
    https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html)."""
    found = target.client("lambda").get_function_configuration(
        FunctionName=target.output("TriageFunctionName")
    )
    return dict(found.get("Environment", {}).get("Variables", {}))
