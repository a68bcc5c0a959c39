"""What LocalStack's parts (provisioning, streams, inspection) read of one another: they
are mixed into one object, and each uses what the others set up. Declared here, the type
checker checks each part on its own against the whole."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from socialcare_cli.local.functions import LocalFunction
    from socialcare_cli.local.platform_emulator import PlatformEmulator
    from socialcare_cli.local.template import Template


class StackParts:
    root: Path
    template: Template
    secrets: dict[str, Any]
    quiet: bool
    refs: dict[str, str]  # logical id (and pseudo parameter) -> what Ref gives
    attributes: dict[str, str]  # "<logical id>.<attribute>" -> what Fn::GetAtt gives
    conditions: dict[str, bool]
    functions: dict[str, LocalFunction]
    stream_adapters: dict[str, dict[str, Any]]
    platforms: PlatformEmulator
    api_base_url: str | None
    invocation_errors: list[str]  # what the state machine's Lambda calls raised

    if TYPE_CHECKING:  # each is defined by LocalStack or by another of its parts

        def client(self, service: str) -> Any: ...

        def function(self, logical_id: str) -> LocalFunction: ...

        def function_environment(self, logical_id: str) -> dict[str, str]: ...

        def wait_for_streams(self, timeout: float = 15.0) -> bool: ...

        def _table(self, logical_id: str, props: dict[str, Any]) -> None: ...

        def _load_customers(self) -> None: ...

        def _load_handler(self, logical_id: str) -> None: ...

        def _provision_operations(self) -> None: ...

        def _provision_cognito(self) -> None: ...

        def console_login_environment(self) -> dict[str, str]: ...
