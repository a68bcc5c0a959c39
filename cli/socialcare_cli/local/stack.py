"""The local stack: moto's server in a thread holding the template's resources, the case
workflow executing for real, and its Lambda tasks dispatched to the real handlers."""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path
from typing import Any

from socialcare_cli.local.function_dispatch import FunctionDispatch
from socialcare_cli.local.functions import LambdaContext, LocalFunction
from socialcare_cli.local.inspection import Inspection
from socialcare_cli.local.names import ACCOUNT_ID, REGION, emulator_client
from socialcare_cli.local.platform_emulator import PlatformEmulator
from socialcare_cli.local.provision import Provisioning
from socialcare_cli.local.provision_cognito import CognitoProvisioning
from socialcare_cli.local.provision_operations import OperationsProvisioning
from socialcare_cli.local.ses_account import SesAccount
from socialcare_cli.local.streams import StreamDelivery
from socialcare_cli.local.template import Template

LOCAL_SECRET_DEFAULTS = {
    "SOCIALCARE_META_APP_SECRET": "local-meta-app-secret",
    "SOCIALCARE_META_VERIFY_TOKEN": "local-meta-verify-token",
    "SOCIALCARE_X_CONSUMER_KEY": "local-x-consumer-key",
    "SOCIALCARE_X_CONSUMER_SECRET": "local-x-consumer-secret",
    "SOCIALCARE_TELEGRAM_SECRET_TOKEN": "local-telegram-secret-token",
}
_SECRET_KEYS = {
    "SOCIALCARE_META_APP_SECRET": "meta_app_secret",
    "SOCIALCARE_META_VERIFY_TOKEN": "meta_verify_token",
    "SOCIALCARE_X_CONSUMER_KEY": "x_consumer_key",
    "SOCIALCARE_X_CONSUMER_SECRET": "x_consumer_secret",
    "SOCIALCARE_TELEGRAM_SECRET_TOKEN": "telegram_secret_token",
}


def local_secrets(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The platform secrets the local stack uses, keyed as in the Secrets Manager secret."""
    environ = dict(os.environ) if environ is None else environ
    return {
        key: environ.get(variable) or LOCAL_SECRET_DEFAULTS[variable]
        for variable, key in _SECRET_KEYS.items()
    }


def project_root() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "template.yaml").exists():
            return parent
    return Path.cwd()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LocalStack(
    Provisioning,
    OperationsProvisioning,
    CognitoProvisioning,
    FunctionDispatch,
    StreamDelivery,
    Inspection,
):
    """Start with `start()`; `endpoint_url` then serves the AWS API (aws --endpoint-url)."""

    def __init__(
        self,
        root: Path | None = None,
        *,
        port: int | None = None,
        time_scale: float = 1.0,
        secrets: dict[str, str] | None = None,
        quiet: bool = False,
        platform_apis: dict[str, str] | None = None,
    ) -> None:
        self.root = root or project_root()
        self.template = Template.load(self.root)
        self.port = port or free_port()
        self.time_scale = time_scale
        self.secrets = secrets or local_secrets()
        self.quiet = quiet
        self.refs: dict[str, str] = {}
        self.attributes: dict[str, str] = {}
        self.conditions: dict[str, bool] = {}  # the template's, for its parameters' defaults
        self.functions: dict[str, LocalFunction] = {}
        self.invocation_errors: list[str] = []
        self.stream_pollers: list[Any] = []
        # Adapters the stream's invocations pass a handler (tests and fault scenarios).
        self.stream_adapters: dict[str, dict[str, Any]] = {}
        # The platforms' APIs the handlers answer on (the outbound actions go there).
        self.platforms = PlatformEmulator()
        # The SES account's sending status (the sandbox, sending paused): see ses_account.py.
        self.ses_account = SesAccount()
        self.platforms.registrations.use_app_secrets(self.secrets)
        # Another implementation of some platforms' APIs (`socialcare local --meta-api`...).
        self.external_platform_apis = dict(platform_apis or {})
        self.api_base_url: str | None = None
        self._server: Any = None

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LocalStack:
        self.platforms.start()
        self._configure_process()
        self._start_emulator()
        self._provision()
        self._start_stream_mappings()
        return self

    def stop(self) -> None:
        self._stop_stream_mappings()
        if self._server is not None:
            # Workflows still waiting (for a department, a deadline) would wake to call
            # Lambda on an emulator that is gone and print moto's States.Runtime error.
            self.stop_executions()
            self._server.stop()
            self._server = None
        self.stop_managed_login()
        self.platforms.stop()

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def client(self, service: str) -> Any:
        return emulator_client(self.endpoint_url, service)

    def _configure_process(self) -> None:
        # The real handlers run in this process and find the emulator through these.
        os.environ.update(
            {
                "AWS_ENDPOINT_URL": self.endpoint_url,
                "AWS_DEFAULT_REGION": REGION,
                "AWS_REGION": REGION,
                "AWS_ACCESS_KEY_ID": "local",
                "AWS_SECRET_ACCESS_KEY": "local",
                # moto's Step Functions interpreter calls Lambda on this port.
                "MOTO_PORT": str(self.port),
                "SOCIALCARE_TIME_SCALE": str(self.time_scale),
                # Answers go to the platform emulator, live (a deployed stack starts in
                # dry_run); a timeout is a second there, not ten.
                **{_API_SETTINGS[name]: url for name, url in self.platform_apis().items()},
                "OUTBOUND_TIMEOUT_SECONDS": "1",
                # The emulator's SES sends at any rate, but its account reads as the
                # sandbox (one a second): paced to it, a derivation's two emails would
                # leave the second owed. Pacing itself is tested against fakes and moto.
                "SES_MAX_SEND_RATE": "1000",
            }
        )
        # The emulator's own request log says nothing a user of the stack needs; its state
        # machine interpreter logs each caught error (a department's wait timing out into
        # Escalate is the workflow working) as an ERROR with the whole state's repr.
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        logging.getLogger("moto.stepfunctions.parser").setLevel(logging.CRITICAL)

    def _start_emulator(self) -> None:
        from moto.core.config import default_user_config

        from socialcare_cli.local.emulator import SerialisedMotoServer

        default_user_config["stepfunctions"] = {"execute_state_machine": True}
        default_user_config["lambda"] = {"use_docker": False}
        self._server = SerialisedMotoServer(port=self.port, ses_account=self.ses_account)
        self._server.start()
        self._install_lambda_dispatch()

    def platform_apis(self) -> dict[str, str]:
        """The platforms' API base URLs the handlers call: the built-in emulator's, or
        the ones chosen instead (`socialcare local --meta-api URL`...)."""
        return {
            "meta": f"{self.platforms.url}/v21.0",
            "x": self.platforms.url,
            "telegram": self.platforms.url,
            **self.external_platform_apis,
        }

    def use_platform_apis(self, apis: dict[str, str]) -> None:
        """From now on, the platform calls go to `apis` (base URLs by platform, as
        `platform_api_url` makes them) instead of the built-in emulator; {}: back to it."""
        self.external_platform_apis = dict(apis)
        self._set_environment(**{_API_SETTINGS[n]: url for n, url in self.platform_apis().items()})

    def set_api_base_url(self, url: str) -> None:
        """Where action links in emails point, and the platforms deliver webhooks to
        (WebhookBaseUrl): the local HTTP API."""
        self.api_base_url = url
        self._set_environment(ACTIONS_BASE_URL=url)
        self.console_urls(url)

    def set_outbound_mode(self, mode: str) -> None:
        """live (the local default) or dry_run, as a deployed stack's OutboundMode."""
        self._set_environment(OUTBOUND_MODE=mode)
        self.configure_functions()  # what GetFunctionConfiguration says, as in AWS

    def set_time_scale(self, time_scale: float) -> None:
        """Business time runs `time_scale` times faster (every SLA wait is divided)."""
        self.time_scale = time_scale
        self._set_environment(SOCIALCARE_TIME_SCALE=str(time_scale))

    @staticmethod
    def _set_environment(**variables: str) -> None:
        from socialcare import bootstrap
        from socialcare.settings import get_settings

        os.environ.update(variables)
        get_settings.cache_clear()  # the handlers read settings once; re-read them
        bootstrap.reset()  # and build their adapters from the new ones


_API_SETTINGS = {
    "meta": "META_GRAPH_API_URL",
    "x": "X_API_URL",
    "telegram": "TELEGRAM_API_URL",
}

__all__ = [
    "ACCOUNT_ID",
    "REGION",
    "LambdaContext",
    "LocalFunction",
    "LocalStack",
    "free_port",
    "local_secrets",
    "project_root",
]
