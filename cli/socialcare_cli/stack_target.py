"""The stack an ops command works on: a deployed one (found by its name, through
CloudFormation outputs) or the local stack (`--local URL` of `socialcare local`), with
the platforms' API base URLs its functions call."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from socialcare.bootstrap import Root
from socialcare.settings import Settings
from socialcare_cli.errors import CommandFailed

# The settings a stack's functions get from the template, as its outputs name them.
_SETTING_OF_OUTPUT = {
    "CasesTableName": "cases_table_name",
    "CaseWorkflowArn": "case_workflow_arn",
    "CustomersTableName": "customers_table_name",
    "PlatformSecretsArn": "platform_secrets_id",
    "PlatformTokensSecretArn": "platform_tokens_secret_id",
    "ReportsBucketName": "reports_bucket_name",
    "FailedDeliveriesQueueUrl": "failed_deliveries_queue_url",
    "DeliverySealSecretArn": "delivery_seal_secret_id",
    "UserPoolId": "user_pool_id",
}
_SETTING_OF_API = {
    "meta": "meta_graph_api_url",
    "x": "x_api_url",
    "telegram": "telegram_api_url",
}


@dataclass(frozen=True)
class StackTarget:
    outputs: dict[str, str]
    endpoint: str | None  # the local stack's AWS emulator; None: AWS itself
    # "meta" (with its version, https://graph.facebook.com/v21.0), "x", "telegram"
    platform_apis: dict[str, str] = field(default_factory=dict)
    local_url: str | None = None
    # What ${AWS::StackName} is in the template (schedule names); local: the local prefix
    stack_name: str = ""
    # Business time N times faster (the local stack's --time-scale; 1 in AWS): the
    # workflow's waits were the deadlines divided by it.
    time_scale: float = 1.0

    def client(self, service: str) -> Any:
        import boto3

        if self.endpoint is None:
            return boto3.client(service)  # type: ignore[call-overload]  # the service is named at run time; the stubs type literals
        from socialcare_cli.local.names import emulator_client

        return emulator_client(self.endpoint, service)

    def root(self) -> Root:
        """The composition root over this stack: its outputs as the settings, the
        operator's (or the emulator's) clients."""
        found: dict[str, Any] = {
            setting: self.outputs[output]
            for output, setting in _SETTING_OF_OUTPUT.items()
            if output in self.outputs
        }
        found.update(
            (setting, self.platform_apis[api])
            for api, setting in _SETTING_OF_API.items()
            if api in self.platform_apis
        )
        return _StackRoot(Settings(**found), client=self.client)

    def output(self, name: str) -> str:
        if name not in self.outputs:
            raise CommandFailed(f"the stack has no output {name} (deploy this version)")
        return self.outputs[name]


def resolve_stack(stack_name: str, local_url: str | None) -> StackTarget:
    if local_url is None:
        from socialcare_cli.report_cli import stack_outputs

        defaults = {spec.name: spec.default for spec in fields(Settings)}
        apis = {
            "meta": str(defaults["meta_graph_api_url"]),
            "x": str(defaults["x_api_url"]),
            "telegram": str(defaults["telegram_api_url"]),
        }
        return StackTarget(stack_outputs(stack_name), None, apis, stack_name=stack_name)
    from socialcare_cli.samples import http_request

    base = local_url.rstrip("/")
    answer = http_request("GET", f"{base}/_local/stack", {})
    if answer.status != 200:
        raise CommandFailed(f"no local stack at {local_url} ({answer.status})")
    found = answer.json()
    return StackTarget(
        found["outputs"],
        found["endpoint"],
        found.get("platform_apis", {}),
        base,
        stack_name=found.get("stack_name", ""),
        time_scale=float(found.get("time_scale", 1.0)),
    )


class _StackRoot(Root):
    """A stack's settings are its outputs: a missing one means a stack deployed from an
    older template, and the command says which output it needs."""

    def required(self, name: str) -> str:
        value = getattr(self.settings, name)
        if value:
            return str(value)
        output = next(o for o, setting in _SETTING_OF_OUTPUT.items() if setting == name)
        raise CommandFailed(f"the stack has no output {output} (deploy this version)")
