"""Step Functions: starts a derived case's workflow once (at its first wait), and resumes
a waiting one (SendTaskSuccess) when a department answers."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from socialcare.domain.cases import execution_name_for
from socialcare.domain.derivation import WaitPlan
from socialcare.domain.failures import TaskGone, Unavailable, WorkflowUnavailable

_GONE = {"TaskTimedOut", "InvalidToken", "TaskDoesNotExist"}


class StepFunctionsWorkflowStarter:
    def __init__(self, client: Any, state_machine_arn: str) -> None:
        self._client = client
        self._state_machine_arn = state_machine_arn

    def start(self, case_id: str, plan: WaitPlan) -> str:
        name = execution_name_for(case_id)
        try:
            response = self._client.start_execution(
                stateMachineArn=self._state_machine_arn,
                name=name,
                input=json.dumps({"case_id": case_id, "plan": plan.as_dict()}),
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ExecutionAlreadyExists":
                return self._execution_arn(name)  # started before: exactly what we want
            raise WorkflowUnavailable(str(error)) from error
        except BotoCoreError as error:
            raise WorkflowUnavailable(str(error)) from error
        return response["executionArn"]

    def _execution_arn(self, name: str) -> str:
        return self._state_machine_arn.replace(":stateMachine:", ":execution:", 1) + f":{name}"


class StepFunctionsTaskTokens:
    def __init__(self, client: Any) -> None:
        self._client = client

    def succeed(self, token: str, output: dict[str, Any]) -> None:
        try:
            self._client.send_task_success(taskToken=token, output=json.dumps(output))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _GONE:
                raise TaskGone(error.response["Error"]["Code"]) from error
            raise Unavailable(str(error.response.get("Error", {}).get("Code"))) from error
        except BotoCoreError as error:
            raise Unavailable(type(error).__name__) from error


class StepFunctionsWorkflows:
    """Stops a case's workflow (its personal data was erased): it ends ABORTED, with no
    escalation email about a case that no longer exists."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def stop(self, execution_arn: str, cause: str) -> None:
        try:
            self._client.stop_execution(
                executionArn=execution_arn, error="socialcare.Erased", cause=cause
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ExecutionDoesNotExist":
                return  # gone already (its history expired): nothing waits
            raise WorkflowUnavailable(str(error)) from error
        except BotoCoreError as error:
            raise WorkflowUnavailable(str(error)) from error
