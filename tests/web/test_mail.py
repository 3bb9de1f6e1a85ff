"""The mailer against a real SMTP server (aiosmtpd): an Arabic letter arrives intact; STARTTLS
with the city's own certificate authority and a login; a wrong password or a server that is
down is a ``MailFailed`` that never carries the password; no server configured: the letter,
link included, is written to the log."""

from __future__ import annotations

import logging
import ssl
import time
from pathlib import Path

import pytest
import trustme

from police.outbox import Letter
from police.settings import Settings, SettingsError
from tests.smtp_server import SmtpServer
from web.mail import Mailer, MailFailed

LETTER = Letter(
    to="gerant@cafe-atlas.ma",
    subject="طلبكم DEM-2026-000001 مسجل",
    body="مرحبا،\nتتبعوا طلبكم هنا : http://127.0.0.1:8000/demarches/suivi/DEM-2026-000001/abc",
    language="ar",
)


def mailer(tmp_path: Path, **env: str) -> Mailer:
    return Mailer(Settings.from_env({"POLICE_DATA_DIR": str(tmp_path), **env}).mail)


def test_an_arabic_letter_arrives_intact() -> None:
    server = SmtpServer().start()
    try:
        Mailer(Settings.from_env(server.env()).mail).send(LETTER)
        (received,) = server.mailbox.wait_for(1)
    finally:
        server.stop()
    assert received["Subject"] == LETTER.subject
    assert received["To"] == "gerant@cafe-atlas.ma"
    assert received["From"] == "autorisations@casablanca.ma"
    assert received["Content-Language"] == "ar"
    assert received["Message-ID"]
    assert received.get_content().strip() == LETTER.body


def test_starttls_and_login_with_the_citys_own_authority(tmp_path: Path) -> None:
    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    ca_file = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    server = SmtpServer(tls=context, credentials=("autorisations", "s3cret-pass")).start()
    env = server.env() | {"POLICE_SMTP_TLS": "starttls", "POLICE_SMTP_CA_FILE": str(ca_file)}
    try:
        mailer(
            tmp_path, **env, POLICE_SMTP_USER="autorisations", POLICE_SMTP_PASSWORD="s3cret-pass"
        ).send(LETTER)
        assert server.mailbox.wait_for(1)[0]["Subject"] == LETTER.subject
        wrong = mailer(
            tmp_path, **env, POLICE_SMTP_USER="autorisations", POLICE_SMTP_PASSWORD="devine-moi"
        )
        with pytest.raises(MailFailed) as failed:
            wrong.send(LETTER)
        assert "devine-moi" not in str(failed.value)
        unknown_ca = mailer(
            tmp_path,
            **(env | {"POLICE_SMTP_CA_FILE": ""}),
            POLICE_SMTP_USER="autorisations",
            POLICE_SMTP_PASSWORD="s3cret-pass",
        )
        with pytest.raises(MailFailed):  # a certificate no authority of ours signed
            unknown_ca.send(LETTER)
    finally:
        server.stop()
    assert len(server.mailbox.messages) == 1


def test_a_server_that_is_down_fails_within_its_timeout(tmp_path: Path) -> None:
    down = mailer(
        tmp_path,
        POLICE_SMTP_HOST="127.0.0.1",
        POLICE_SMTP_PORT="9",
        POLICE_SMTP_TLS="none",
        POLICE_MAIL_FROM="autorisations@casablanca.ma",
        POLICE_SMTP_TIMEOUT="2",
    )
    started = time.monotonic()
    with pytest.raises(MailFailed):
        down.send(LETTER)
    assert time.monotonic() - started < 3


def test_without_a_server_the_letter_and_its_link_go_to_the_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="police.mail"):
        mailer(tmp_path).send(LETTER)
    assert "/demarches/suivi/DEM-2026-000001/abc" in caplog.text
    assert "gerant@cafe-atlas.ma" in caplog.text


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"POLICE_SMTP_HOST": "smtp.casablanca.ma"}, "POLICE_MAIL_FROM"),
        (
            {
                "POLICE_SMTP_HOST": "smtp.casablanca.ma",
                "POLICE_MAIL_FROM": "a@b.ma",
                "POLICE_SMTP_TLS": "tls13",
            },
            "POLICE_SMTP_TLS",
        ),
        (
            {
                "POLICE_SMTP_HOST": "smtp.casablanca.ma",
                "POLICE_MAIL_FROM": "a@b.ma",
                "POLICE_SMTP_PORT": "0",
            },
            "POLICE_SMTP_PORT",
        ),
        (
            {
                "POLICE_SMTP_HOST": "smtp.casablanca.ma",
                "POLICE_MAIL_FROM": "a@b.ma",
                "POLICE_SMTP_CA_FILE": "/nowhere.pem",
            },
            "POLICE_SMTP_CA_FILE",
        ),
    ],
)
def test_malformed_mail_settings_are_refused_by_name(env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        Settings.from_env(env)


def test_the_default_ports_follow_the_tls_mode() -> None:
    base = {"POLICE_SMTP_HOST": "smtp.casablanca.ma", "POLICE_MAIL_FROM": "a@b.ma"}
    ports = {
        tls: Settings.from_env(base | {"POLICE_SMTP_TLS": tls}).mail.port
        for tls in ("starttls", "ssl", "none")
    }
    assert ports == {"starttls": 587, "ssl": 465, "none": 25}
