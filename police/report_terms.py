"""What a resident types on the report form (or an app posts through Open311), checked into
the facts a report records: a category of the city's list, a place with a position (GPS or a pin:
an officer must find it), a description, and, if they want news, an email and/or a phone.
Pure rules, no storage."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from police.application_terms import LANGUAGES, check_contact
from police.errors import N_, InvalidInput
from police.identifiers import clean_text
from police.inspecting import check_location
from police.report_categories import ReportCategories, ReportCategory
from police.submission import Location
from police.territory import Territory

MIN_DESCRIPTION = 10
MAX_DESCRIPTION = 2000


@dataclass(frozen=True)
class ReportInput:
    category: str
    location: Location
    description: str
    email: str = ""
    phone: str = ""
    language: str = "fr"


@dataclass(frozen=True)
class CheckedReport:
    category: ReportCategory
    location: dict[str, Any]
    description: str
    contact: dict[str, str]
    language: str


def check_report(
    form: ReportInput, categories: ReportCategories, territory: Territory
) -> CheckedReport:
    category = categories.get(form.category)
    if form.location.lat is None or form.location.lon is None:
        raise InvalidInput(
            N_("Placez le problème sur la carte, ou utilisez la position du téléphone."),
            field="location",
        )
    lat, lon = form.location.lat, form.location.lon
    if not territory.contains(lat, lon):
        raise InvalidInput(
            N_("Ce point est hors de la ville : les brigades n'y interviennent pas."),
            field="location",
        )
    place = form.location
    if not place.arrondissement.strip():  # a resident need not know it: the point says
        found = territory.arrondissement_containing(lat, lon)
        code = (found or territory.nearest_arrondissement(lat, lon)).code
        place = replace(place, arrondissement=code)
    location = check_location(place, territory)
    description = clean_text(
        form.description,
        field="description",
        label=N_("Description"),
        required=True,
        max_length=MAX_DESCRIPTION,
    )
    if len(description) < MIN_DESCRIPTION:
        raise InvalidInput(
            N_("Décrivez le problème en quelques mots (au moins {count} caractères)."),
            field="description",
            count=MIN_DESCRIPTION,
        )
    return CheckedReport(
        category=category,
        location=location,
        description=description,
        contact=check_reporter_contact(form.email, form.phone),
        language=form.language if form.language in LANGUAGES else "fr",
    )


def check_reporter_contact(email: str, phone: str) -> dict[str, str]:
    """An email and/or a phone for the updates, each valid; both may be left empty."""
    if not email.strip() and not phone.strip():
        return {"email": "", "phone": ""}
    return check_contact(email, phone)
