"""Resumes a waiting workflow with SendTaskSuccess."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from socialcare.domain.ports import TaskGone, Unavailable

_GONE = {"TaskTimedOut", "InvalidToken", "TaskDoesNotExist"}


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
