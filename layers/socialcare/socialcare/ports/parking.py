"""Where a delivery that could not be recorded waits for `socialcare replay`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: a port costs no cold start
    from socialcare.domain.parked import ParkedDelivery


class DeliveryParking(Protocol):
    def park(self, delivery: ParkedDelivery) -> bool:
        """Keep the delivery for `socialcare replay`; False when it could not be kept."""
