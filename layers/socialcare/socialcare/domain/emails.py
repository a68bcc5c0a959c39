"""An email as composed, ready to send."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Email:
    """Whatever composed it, an email carries no control that reorders or hides text."""

    subject: str
    text: str
    html: str

    def __post_init__(self) -> None:
        # Imported here: the webhook imports this module and never writes an email.
        from socialcare.domain.text_controls import neutralise

        for part in ("subject", "text", "html"):
            object.__setattr__(self, part, neutralise(getattr(self, part)))
