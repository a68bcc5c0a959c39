"""The PlatformGateway port: each action to its platform's API."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socialcare.adapters.platform_api.meta import GraphApi
from socialcare.adapters.platform_api.telegram import TelegramApi
from socialcare.adapters.platform_api.x import XApi
from socialcare.domain.failures import SecretsUnavailable, StorageUnavailable
from socialcare.domain.messages import Platform
from socialcare.domain.outbound import Delivery
from socialcare.domain.platform_errors import PlatformFailed

if TYPE_CHECKING:
    from socialcare.ports.outbound import PlatformGateway

# Read before any call to a platform (the tokens' secret, X's refresh lock): when they
# fail, nothing was sent, and the action may be retried.
_BEFORE_ANY_CALL = (SecretsUnavailable, StorageUnavailable)


class PlatformApis:
    def __init__(self, graph: GraphApi, x: XApi, telegram: TelegramApi) -> None:
        self._apis: dict[Platform, PlatformGateway] = {
            Platform.FACEBOOK: graph,
            Platform.INSTAGRAM: graph,
            Platform.WHATSAPP: graph,
            Platform.X: x,
            Platform.TELEGRAM: telegram,
        }

    def send(self, delivery: Delivery) -> str:
        try:
            return self._apis[delivery.action.platform].send(delivery)
        except _BEFORE_ANY_CALL as error:
            raise PlatformFailed(f"tokens unavailable ({error})") from None

    def find_sent(self, delivery: Delivery) -> str | None:
        try:
            return self._apis[delivery.action.platform].find_sent(delivery)
        except _BEFORE_ANY_CALL as error:
            raise PlatformFailed(f"tokens unavailable ({error})") from None
