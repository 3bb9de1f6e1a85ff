"""The mailer: letters sent through the city's SMTP server (the standard library's ``smtplib``:
STARTTLS or TLS, login when configured), or, with no server configured, written to the log whole
so that a demo or a pilot can still read the tracking links it carries."""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from police.outbox import Letter
from police.settings import MailSettings

log = logging.getLogger("police.mail")


class MailFailed(Exception):
    """The letter could not be handed to the SMTP server (never carries the password)."""


class Mailer:
    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings

    def send(self, letter: Letter) -> None:
        s = self.settings
        if not s.host:
            log.info("letter to %s: %s\n%s", letter.to, letter.subject, letter.body)
            return
        message = EmailMessage()
        message["From"] = s.sender
        message["To"] = letter.to
        message["Subject"] = letter.subject
        message["Date"] = format_datetime(datetime.now(UTC))
        message["Message-ID"] = make_msgid(domain=s.sender.partition("@")[2] or None)
        message.set_content(letter.body)
        message["Content-Language"] = letter.language  # after the content: it resets Content-*
        context = ssl.create_default_context(cafile=s.ca_file or None)
        try:
            if s.tls == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=s.timeout_seconds, context=context
                )
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout_seconds)
            with smtp:
                if s.tls == "starttls":
                    smtp.starttls(context=context)
                if s.user:
                    smtp.login(s.user, s.password)
                smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as failed:
            raise MailFailed(f"{s.host}:{s.port}: {type(failed).__name__}") from None
        log.info("letter sent to %s: %s", letter.to, letter.subject)


def open_mailer(settings: MailSettings) -> Mailer:
    return Mailer(settings)


def send_quietly(send: Callable[[Letter], None], message: Letter | None) -> bool:
    """Sends; False (and a warning in the log) when it could not: what was recorded stays."""
    if message is None:
        return False
    try:
        send(message)
    except Exception:  # the mailer's MailFailed, or anything under it: the record stands
        log.warning("letter %r not sent", message.subject, exc_info=True)
        return False
    return True
