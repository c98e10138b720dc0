"""Settings of notifications, mounted as ``settings.notifications``
(``BASTION_NOTIFICATIONS__SMTP_HOST=mail.example.org``). E-mail is off until ``smtp_host`` is
set; text messages are off until ``sms_url`` is set.

Kept free of imports from the rest of Bastion: ``core.config`` builds its settings class from
the manifests when it is imported, and loads this module then.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, SecretStr


class NotificationSettings(BaseModel):
    smtp_host: str | None = Field(None, description="the SMTP server (unset: no e-mail)")
    smtp_port: int = Field(25, ge=1, le=65535, description="its port")
    smtp_tls: Literal["none", "starttls", "ssl"] = Field(
        "starttls", description="none, starttls (upgrade after connecting) or ssl (TLS at once)")
    smtp_user: str | None = Field(None, description="the SMTP login, if the server wants one")
    smtp_password: SecretStr | None = Field(None, description="its password")
    smtp_from: str = Field("bastion@localhost", description="the sender address of e-mails")
    sms_url: str | None = Field(
        None, description="the SMS gateway's URL, sent a JSON POST {to, text, id} "
        "(unset: no text messages)")
    sms_token: SecretStr | None = Field(
        None, description="sent as 'Authorization: Bearer <token>' to the SMS gateway")
    send_timeout_s: float = Field(10.0, gt=0, le=120, description="one send's time limit")
    max_attempts: int = Field(5, ge=1, le=50, description="tries before a message is failed")
    retry_backoff_s: float = Field(
        30.0, ge=0, le=86400, description="the wait before the first retry, doubled each time")
    outbox_every_s: float = Field(
        10.0, ge=0, le=3600, description="how often the outbox is sent (0: off)")
    watch_every_s: float = Field(
        60.0, ge=0, le=3600,
        description="how often unacknowledged notifications are reminded and escalated (0: off)")
