"""The outbound use case's dependencies as production builds them: apart from
use_cases.py so that the console's replies (bootstrap/console_replies.py), which the
approvals area sends with, need not import every bundle (and the approvals area
through them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socialcare.bootstrap import Root
from socialcare.bootstrap import adapters as built

if TYPE_CHECKING:
    from socialcare.app.outbound import OutboundDependencies


def outbound(root: Root) -> OutboundDependencies:
    """The outbound use case's ports and settings (triage and the link pages share them)."""
    from socialcare.adapters.dynamodb.outbound import DynamoDBOutboundActions

    table = built.cases_table(root)

    def build() -> OutboundDependencies:
        from socialcare.app.outbound import OutboundDependencies
        from socialcare.config.loaders import outbound_config
        from socialcare.domain.clock import system_clock

        settings = root.settings
        return OutboundDependencies(
            store=DynamoDBOutboundActions(table),
            platforms=built.platform_gateway(root),
            config=outbound_config(),
            clock=system_clock,
            mode=settings.outbound_mode,
            alarm=built.token_alarm(root),
            time_scale=settings.time_scale,
        )

    return root.once("outbound", build)
