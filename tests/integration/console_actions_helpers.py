"""The console's actions area on the local stack, as the console function builds it (its
settings: the stack's, with the user pool the template gives it)."""

from __future__ import annotations

from dataclasses import replace

from socialcare.bootstrap import Root
from socialcare.bootstrap.console_actions import dependencies
from socialcare.presentation.console.actions_routes import ActionsArea
from socialcare.settings import get_settings
from socialcare_cli.local.dependencies import stack_root
from socialcare_cli.local.stack import LocalStack


def area_root(stack: LocalStack) -> Root:
    settings = replace(get_settings(), user_pool_id=stack.stack_outputs()["UserPoolId"])
    return stack_root(stack, settings)


def actions_area(stack: LocalStack) -> ActionsArea:
    return dependencies(area_root(stack))
