"""What an applicant types on the public form, checked into the facts an application records:
who applies (an establishment by ICE and RC, a person by CIN), how to reach them (an email
and/or a phone), and the permit asked for, checked by the registry's own rules so that what the
office grants is what was checked. Pure rules, no storage.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from police.aggregates.permit import PermitKind
from police.errors import N_, InvalidInput
from police.identifiers import SubjectInput, SubjectKind, clean_text, identify
from police.permit_terms import Billboard, PermitTerms, check_terms
from police.roles import Brigade
from police.submission import Location
from police.territory import Territory

# The longest period one application may ask for; a renewal asks again.
MAX_YEARS = 3
LANGUAGES = ("fr", "ar")
DEFAULT_PROCESSING_DAYS = 30
# A billboard asked for online has no structure identifier yet: the office gives it on granting.
# The request is checked with this one, which is not recorded.
_UNNUMBERED_STRUCTURE = "A-ATTRIBUER"


@dataclass(frozen=True)
class ApplicationInput:
    """The public form, as typed: the submit command's input."""

    kind: str
    holder: SubjectInput
    email: str
    phone: str
    location: Location
    valid_from: date
    valid_until: date
    frontage_m: Decimal | None = None
    depth_m: Decimal | None = None
    billboard: Billboard | None = None
    note: str = ""
    language: str = "fr"
    renewal_of: str | None = None


@dataclass(frozen=True)
class CheckedApplication:
    kind: PermitKind
    applicant: dict[str, str]
    holder_label: str
    holder_key: str
    contact: dict[str, str]
    language: str
    request: dict[str, Any]


def check_application(
    form: ApplicationInput, territory: Territory, today: date
) -> CheckedApplication:
    holder = form.holder
    if holder.kind == SubjectKind.ESTABLISHMENT:
        if not holder.ice.strip() or not holder.rc.strip():
            raise InvalidInput(
                N_("Un établissement se présente par son ICE et son numéro de RC."), field="ice"
            )
    elif holder.kind == SubjectKind.PERSON:
        if not holder.cin.strip():
            raise InvalidInput(N_("Une personne se présente par le numéro de sa CIN."), field="cin")
    else:
        raise InvalidInput(
            N_("Choisissez : un établissement ou une personne."), field="subject_kind"
        )
    contact = check_contact(form.email, form.phone)
    if form.valid_from < today:
        raise InvalidInput(
            N_("La période demandée ne peut commencer avant aujourd'hui."), field="valid_from"
        )
    if form.valid_until > form.valid_from + timedelta(days=366 * MAX_YEARS):
        raise InvalidInput(
            N_("Une demande couvre {years} ans au plus."), field="valid_until", years=MAX_YEARS
        )
    place, approximate = form.location, False
    if place.lat is None or place.lon is None:
        # Without a pin, the address: the file is placed at its arrondissement's centre, marked
        # approximate, until the site visit's phone or the office places it (``grant``).
        if not place.address.strip():
            raise InvalidInput(
                N_("Placez l'emplacement sur la carte, ou indiquez son adresse."), field="address"
            )
        centre = territory.arrondissement(place.arrondissement).centre
        place, approximate = replace(place, lat=centre[0], lon=centre[1], accuracy_m=None), True
    board = form.billboard
    if board is not None and not board.structure_id.strip():
        board = replace(board, structure_id=_UNNUMBERED_STRUCTURE)
    checked = check_terms(
        PermitTerms(
            kind=form.kind,
            holder=holder,
            location=place,
            valid_from=form.valid_from,
            valid_until=form.valid_until,
            fee=Decimal(0),
            frontage_m=form.frontage_m,
            depth_m=form.depth_m,
            billboard=board,
        ),
        territory,
    )
    identity = identify(holder, Brigade.PUBLIC_DOMAIN, checked.location["arrondissement"])
    request = checked.facts()
    del request["fee"]  # the office sets it on granting
    if approximate:
        request["location"] = {**request["location"], "approximate": True}
    if checked.billboard and checked.billboard["structure_id"] == _UNNUMBERED_STRUCTURE:
        request["billboard"] = {**checked.billboard, "structure_id": ""}
    request["note"] = clean_text(form.note, field="note", label=N_("Précisions"), max_length=1000)
    return CheckedApplication(
        kind=checked.kind,
        applicant={
            "kind": holder.kind,
            "trade_name": holder.trade_name.strip(),
            "ice": identity.identifiers.get("ice", ""),
            "rc": identity.identifiers.get("rc", ""),
            "activity": identity.details.get("activity", ""),
            "address": identity.details.get("address", ""),
            "full_name": holder.full_name.strip(),
            "cin": identity.identifiers.get("cin", ""),
        },
        holder_label=identity.label,
        holder_key=identity.key,
        contact=contact,
        language=form.language if form.language in LANGUAGES else "fr",
        request=request,
    )


def check_contact(email: str, phone: str) -> dict[str, str]:
    """An email and/or a phone, each valid; at least one (the file's news reach them)."""
    found = {"email": "", "phone": ""}
    if email.strip():
        try:
            found["email"] = validate_email(email.strip(), check_deliverability=False).normalized
        except EmailNotValidError:
            raise InvalidInput(
                N_("Adresse e-mail « {value} » invalide."), field="email", value=email[:80]
            ) from None
    if phone.strip():
        try:
            number = phonenumbers.parse(phone, "MA")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise InvalidInput(
                N_("Numéro de téléphone « {value} » invalide (ex. 06 61 23 45 67)."),
                field="phone",
                value=phone[:40],
            )
        found["phone"] = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if not found["email"] and not found["phone"]:
        raise InvalidInput(
            N_("Laissez une adresse e-mail ou un téléphone pour suivre votre demande."),
            field="email",
        )
    return found


def holder_input(applicant: dict[str, str]) -> SubjectInput:
    """The holder's fields as the application recorded them, for the grant."""
    return SubjectInput(
        kind=applicant["kind"],
        trade_name=applicant.get("trade_name", ""),
        ice=applicant.get("ice", ""),
        rc=applicant.get("rc", ""),
        activity=applicant.get("activity", ""),
        address=applicant.get("address", ""),
        full_name=applicant.get("full_name", ""),
        cin=applicant.get("cin", ""),
    )
