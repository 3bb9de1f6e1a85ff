"""A real SMTP server for the tests (aiosmtpd, on a free local port): it keeps every message it
receives, parsed, so that a test reads what an applicant would find in their mailbox."""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session


@dataclass
class Mailbox:
    messages: list[EmailMessage] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        content = envelope.content
        assert isinstance(content, bytes)
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        with self.arrived:
            self.messages.append(parsed)
            self.arrived.notify_all()
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(self.messages)} messages arrived, {count} awaited")
                self.arrived.wait(left)
            return list(self.messages)


class SmtpServer:
    """Plain SMTP by default; given a TLS context and credentials, it offers STARTTLS and
    accepts only that user, only over TLS (as a city's server would)."""

    def __init__(
        self, tls: ssl.SSLContext | None = None, credentials: tuple[str, str] | None = None
    ) -> None:
        self.mailbox = Mailbox()
        self.port = _free_port()
        extra: dict[str, Any] = {}
        if tls is not None:
            extra |= {"tls_context": tls, "require_starttls": True}
        if credentials is not None:
            extra |= {
                "authenticator": _Only(*credentials),
                "auth_required": True,
                "auth_require_tls": True,
            }
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port, **extra)

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def env(self) -> dict[str, str]:
        """The settings that send the app's mail here (plain SMTP on the loopback)."""
        return {
            "POLICE_SMTP_HOST": "127.0.0.1",
            "POLICE_SMTP_PORT": str(self.port),
            "POLICE_SMTP_TLS": "none",
            "POLICE_MAIL_FROM": "autorisations@casablanca.ma",
        }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Only:
    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user.encode(), password.encode()

    def __call__(
        self, server: Any, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            self.user,
            self.password,
        )
        return AuthResult(success=ok, handled=False)
