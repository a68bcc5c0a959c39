"""The emulator's Lambda calls (the state machine's tasks) dispatched to the template's
functions, each loaded as Lambda runs it (local/functions.py)."""

from __future__ import annotations

import json
import traceback
from typing import Any

from socialcare_cli.local.functions import LocalFunction
from socialcare_cli.local.names import ACCOUNT_ID, REGION
from socialcare_cli.local.stack_parts import StackParts


class FunctionDispatch(StackParts):
    """Mixed into LocalStack: the template's functions, loaded and invoked."""

    def _load_handler(self, logical_id: str) -> None:
        props = self.template.functions()[logical_id]["Properties"]
        module_name, attribute = props["Handler"].rsplit(".", 1)
        path = self.root / props["CodeUri"] / f"{module_name.replace('.', '/')}.py"
        self.functions[logical_id] = LocalFunction(
            logical_id,
            self.refs[logical_id],
            self.attributes[f"{logical_id}.Arn"],
            path,
            attribute,
        )
        if logical_id == "WebhookFunction":  # the platform saw what its webhook delivers
            self.functions[logical_id].observers.append(self.platforms.observe_delivery)

    def function(self, logical_id: str) -> LocalFunction:
        return self.functions[logical_id]

    def _install_lambda_dispatch(self) -> None:
        from moto.awslambda_simple.models import lambda_simple_backends

        backend = lambda_simple_backends[ACCOUNT_ID][REGION]

        def invoke(
            function_name: str, qualifier: Any, body: Any, headers: Any, response_headers: dict
        ) -> bytes:
            target = self._function_by_name(function_name)
            payload = json.loads(body or "{}")
            try:
                result = target.invoke(payload)
            except Exception as error:  # reported to the state machine as Lambda reports it
                self.invocation_errors.append(f"{target.logical_id}: {error!r}")
                response_headers["x-amz-function-error"] = "Unhandled"
                return json.dumps(
                    {
                        "errorType": type(error).__name__,
                        "errorMessage": str(error),
                        "stackTrace": traceback.format_tb(error.__traceback__),
                    }
                ).encode()
            return json.dumps(result).encode()

        # moto's Lambda backend runs nothing itself: the local stack's handlers answer.
        backend.invoke = invoke  # type: ignore[method-assign]

    def _function_by_name(self, name_or_arn: str) -> LocalFunction:
        name = name_or_arn.split(":function:")[-1].split(":")[0]
        for function in self.functions.values():
            if function.name == name:
                return function
        raise LookupError(f"no local function {name_or_arn}")
