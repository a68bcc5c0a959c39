"""The console's user pool in the emulator (moto's Cognito), as the template declares it,
and the local managed login over it (managed_login.py). moto checks TOTP codes only when
MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP is set, and offers MFA_SETUP only once the pool's
software-token MFA is switched on with SetUserPoolMfaConfig: both done here, so the
local sign-in asks for an authenticator as the deployed pool does."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from socialcare_cli.local.names import PREFIX
from socialcare_cli.local.stack_parts import StackParts
from socialcare_cli.local.template import resolve

_POOL_PROPERTIES = (
    "Policies",
    "AliasAttributes",
    "AutoVerifiedAttributes",
    "AdminCreateUserConfig",
    "UsernameConfiguration",
    "AccountRecoverySetting",
)


class CognitoProvisioning(StackParts):
    """Mixed into LocalStack: the pool, its groups and app client, and the managed login."""

    login_server: Any = None

    if TYPE_CHECKING:

        @property
        def endpoint_url(self) -> str: ...

    def _provision_cognito(self) -> None:
        pools = self.template.of_type("AWS::Cognito::UserPool")
        if not pools:
            return
        os.environ["MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP"] = "true"
        cognito = self.client("cognito-idp")
        for logical_id, resource in pools.items():
            props = resource["Properties"]
            request = {k: props[k] for k in _POOL_PROPERTIES if k in props}
            pool = cognito.create_user_pool(PoolName=f"{PREFIX}-{logical_id}", **request)
            pool_id = pool["UserPool"]["Id"]
            self.refs[logical_id] = pool_id
            self.attributes[f"{logical_id}.Arn"] = pool["UserPool"]["Arn"]
            if props.get("MfaConfiguration", "OFF") != "OFF":
                cognito.set_user_pool_mfa_config(
                    UserPoolId=pool_id,
                    SoftwareTokenMfaConfiguration={"Enabled": True},
                    MfaConfiguration=props["MfaConfiguration"],
                )
        for resource in self.template.of_type("AWS::Cognito::UserPoolGroup").values():
            props = resolve(resource["Properties"], self.refs, self.attributes, self.conditions)
            cognito.create_group(**props)
        for logical_id, resource in self.template.of_type("AWS::Cognito::UserPoolClient").items():
            self._app_client(cognito, logical_id, resource["Properties"])
        self._start_managed_login(cognito)

    def _app_client(self, cognito: Any, logical_id: str, props: dict[str, Any]) -> None:
        keep = (
            "AllowedOAuthFlows",
            "AllowedOAuthFlowsUserPoolClient",
            "AllowedOAuthScopes",
            "ExplicitAuthFlows",
            "EnableTokenRevocation",
            "AccessTokenValidity",
            "IdTokenValidity",
            "RefreshTokenValidity",
            "TokenValidityUnits",
            "ReadAttributes",
            "WriteAttributes",
        )
        created = cognito.create_user_pool_client(
            UserPoolId=resolve(props["UserPoolId"], self.refs, self.attributes),
            ClientName=f"{PREFIX}-{logical_id}",
            GenerateSecret=False,
            **{k: props[k] for k in keep if k in props},
        )
        self.refs[logical_id] = created["UserPoolClient"]["ClientId"]

    def _start_managed_login(self, cognito: Any) -> None:
        from socialcare_cli.local.managed_login import ManagedLogin
        from socialcare_cli.local.managed_login_server import ManagedLoginServer

        self.login_server = ManagedLoginServer(
            ManagedLogin(cognito, self.refs["ConsoleUserPool"])
        ).start()
        for domain in self.template.of_type("AWS::Cognito::UserPoolDomain"):
            self.refs[domain] = "local"

    def console_login_environment(self) -> dict[str, str]:
        """What the functions read in place of the template's managed-login URL; set after
        the template's variables, over them."""
        if self.login_server is None:
            return {}
        pool_id = self.refs["ConsoleUserPool"]
        return {
            "CONSOLE_LOGIN_URL": self.login_server.url,
            # moto serves the pool's keys here; its tokens' issuer is the AWS one.
            "COGNITO_JWKS_URL": f"{self.endpoint_url}/{pool_id}/.well-known/jwks.json",
        }

    def console_urls(self, api_base_url: str) -> None:
        """The app client's callback and sign-out URLs: the local HTTP API's console."""
        if "ConsoleUserPoolClient" not in self.refs:
            return
        self.client("cognito-idp").update_user_pool_client(
            UserPoolId=self.refs["ConsoleUserPool"],
            ClientId=self.refs["ConsoleUserPoolClient"],
            CallbackURLs=[f"{api_base_url}/console/callback"],
            LogoutURLs=[f"{api_base_url}/console/signin"],
            AllowedOAuthFlows=["code"],
            AllowedOAuthFlowsUserPoolClient=True,
            AllowedOAuthScopes=["openid", "email", "profile"],
            SupportedIdentityProviders=["COGNITO"],
        )

    def stop_managed_login(self) -> None:
        if self.login_server is not None:
            self.login_server.stop()
            self.login_server = None
