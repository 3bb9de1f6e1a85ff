"""The renewal reminders, run once a day (``police demarches remind``, from cron or a timer):
each permit granted on an online application and paid, ending within 30 days, is reminded once
to its holder by email, with a link that opens the renewal form already filled in."""

from __future__ import annotations

from police.aggregates.permit import Permit
from police.aggregates.permit_application import PermitApplication
from police.app import PoliceApp
from police.outbox import Mail
from projections.queries import ReadModels
from web.applicant_mail import letter, tracking_path


def send_renewal_reminders(
    police: PoliceApp, read_models: ReadModels, mail: Mail, public_url: str
) -> int:
    """Returns how many reminders were sent. A letter that cannot be sent stops the run before
    the reminder is recorded: the next run sends it."""
    sent = 0
    for number in read_models.renewals_to_remind():

        def send(application: PermitApplication, permit: Permit, secret: str) -> None:
            link = f"{public_url}{tracking_path(application.number, secret)}/renouveler"
            message = letter("reminder", application, link, permit)
            if message is not None:
                mail.send(message)

        if police.remind_renewal(number, send):
            sent += 1
    return sent
