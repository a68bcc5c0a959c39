"""The PlatformGateway port: each action to its platform's API."""

from __future__ import annotations

from socialcare.adapters.platform_api.meta import GraphApi
from socialcare.adapters.platform_api.telegram import TelegramApi
from socialcare.adapters.platform_api.x import XApi
from socialcare.domain.messages import Platform
from socialcare.domain.outbound import Delivery


class PlatformApis:
    def __init__(self, graph: GraphApi, x: XApi, telegram: TelegramApi) -> None:
        self._apis = {
            Platform.FACEBOOK: graph,
            Platform.INSTAGRAM: graph,
            Platform.WHATSAPP: graph,
            Platform.X: x,
            Platform.TELEGRAM: telegram,
        }

    def send(self, delivery: Delivery) -> str:
        return self._apis[delivery.action.platform].send(delivery)

    def find_sent(self, delivery: Delivery) -> str | None:
        return self._apis[delivery.action.platform].find_sent(delivery)
