"""Emails through SES (v2), sent as MIME so both the text and the HTML part travel."""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any

from socialcare.domain.ports import Unavailable


class EmailUnavailable(Unavailable):
    """SES refused or failed; the workflow step is retried."""


class SesEmailSender:
    def __init__(self, client: Any, sender: str) -> None:
        self._client = client
        self._sender = sender

    def send(self, to: list[str], subject: str, text: str, html: str) -> str:
        from botocore.exceptions import BotoCoreError, ClientError

        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = ", ".join(to)
        message["Subject"] = subject
        message.set_content(text)
        message.add_alternative(html, subtype="html")
        try:
            response = self._client.send_email(
                FromEmailAddress=self._sender,
                Destination={"ToAddresses": to},
                Content={"Raw": {"Data": message.as_bytes()}},
            )
        except (ClientError, BotoCoreError) as error:
            raise EmailUnavailable(type(error).__name__) from error
        return str(response.get("MessageId", ""))
