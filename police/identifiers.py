"""Who and what a record is about, named one way: the identifiers officers type (plates, ICE,
RC, CIN, permit numbers) normalised and checked, free text cleaned, the subject's identity and
natural key from what was typed, and the name-based ids derived from natural keys.

Each normaliser returns one canonical form, so the same vehicle or company typed two ways
(``12345 a 6`` and ``12345-أ-6``) reaches the same subject; a value that is not a valid
identifier is refused with a French message naming the expected format. Establishments are keyed
by ICE, else RC, else trade name and address; persons by CIN, else name and arrondissement.
Two officers recording the same plate reach the same subject; two saves of the same username,
permit number or reference counter collide in the event store instead of creating a twin.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from uuid import UUID, uuid5

from police.errors import N_, InvalidInput
from police.roles import Brigade

# --- ids from natural keys ------------------------------------------------------------------

# Fixed for the life of the record: changing it would orphan every natural-key id.
NAMESPACE = UUID("6f1c7b52-3f0e-5b7e-9a55-0c2d2f0a9e41")


@lru_cache(maxsize=65536)
def natural_id(kind: str, key: str) -> UUID:
    """The id of the aggregate of ``kind`` whose normalised natural key is ``key``."""
    return uuid5(NAMESPACE, f"{kind}:{key}")


@lru_cache(maxsize=65536)
def derived_id(origin: UUID, purpose: str) -> UUID:
    """An id derived from another, e.g. the case opened by an inspection submission."""
    return uuid5(origin, purpose)


def subject_id(key: str) -> UUID:
    """The subject's id, from its natural key (``plate:...``, ``ice:...``, ``cin:...``)."""
    return natural_id("subject", key)


# --- free text -----------------------------------------------------------------------------


def clean_text(
    value: str | None, *, field: str, label: str, required: bool = False, max_length: int = 2000
) -> str:
    """The text as it will be recorded; refuses it when required and empty, or too long."""
    text = unicodedata.normalize("NFC", value or "")
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc").strip()
    if not any(unicodedata.category(c)[0] not in "ZC" for c in text):
        text = ""  # only spaces and invisible marks (a zero-width space is no reason)
    if required and not text:
        raise InvalidInput(N_("{label} : ce champ est obligatoire."), field=field, label=label)
    if len(text) > max_length:
        raise InvalidInput(
            N_("{label} : {max_length} caractères au plus ({length} saisis)."),
            field=field,
            label=label,
            max_length=max_length,
            length=len(text),
        )
    return text


# --- identifiers ---------------------------------------------------------------------------

# What a phone keyboard or a copy-paste slips into an identifier without a mark on screen:
# directional marks and isolates of mixed Arabic/Latin text, zero-width spaces and joiners, the
# word joiner, the soft hyphen, the byte-order mark, and the tatweel (هـ is typed with one).
_INVISIBLE_CODES = [0x00AD, 0x061C, 0x0640, *range(0x200B, 0x2010), *range(0x202A, 0x202F)]
_INVISIBLE = dict.fromkeys([*_INVISIBLE_CODES, 0x2060, *range(0x2066, 0x206A), 0xFEFF])
_SEPARATORS = re.compile(r"[\s\-_|/.·•]+")

# Series letters in use on ordinary Moroccan plates, with the Latin letters officers type.
PLATE_LETTERS: dict[str, str] = {
    "أ": "A",
    "ب": "B",
    "د": "D",
    "ه": "H",
    "و": "W",
    "ط": "T",
    "ي": "Y",
}
_LETTER_ALIASES: dict[str, str] = {
    **{latin: arabic for arabic, latin in PLATE_LETTERS.items()},
    "E": "و",  # the transliteration printed on plates for travel abroad
    "ا": "أ",
    "إ": "أ",
    "آ": "أ",
    "ة": "ه",
    "ى": "ي",
}
_MOROCCAN = re.compile(r"(\d+)([^\d])(\d+)")
_TEMPORARY = re.compile(r"WW(\d{1,6})")
_FOREIGN_ALLOWED = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")


def _clean(text: str) -> str:
    """NFKC (folds presentation forms), ASCII digits, no invisible marks, trimmed."""
    folded = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    return "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in folded).strip()


class PlateKind(StrEnum):
    MOROCCAN = "moroccan"
    TEMPORARY = "temporary"  # WW: new vehicle awaiting its registration
    FOREIGN = "foreign"


@dataclass(frozen=True)
class Plate:
    kind: PlateKind
    canonical: str  # the key: 12345-أ-6, WW-123456, or the foreign text
    latin: str  # what a French page prints: 12345-A-6

    @property
    def key(self) -> str:
        return f"plate:{self.kind}:{self.canonical}"


_PLATE_FORMAT = N_(
    "Immatriculation « {value} » non reconnue : format attendu 12345-أ-6 (ou 12345-A-6), "
    "WW-123456 pour une plaque provisoire, ou cochez « plaque étrangère »."
)


def normalize_plate(text: str, *, foreign: bool = False) -> Plate:
    """The canonical plate for what an officer typed; refuses what is not a plate."""
    cleaned = _clean(text)
    if not cleaned:
        raise InvalidInput(N_("L'immatriculation est obligatoire."), field="plate")
    if foreign:
        return _foreign_plate(cleaned)
    compact = _SEPARATORS.sub("", cleaned).upper()
    if m := _TEMPORARY.fullmatch(compact):
        number = m.group(1)
        return Plate(PlateKind.TEMPORARY, f"WW-{number}", f"WW-{number}")
    if m := _MOROCCAN.fullmatch(compact):
        return _moroccan_plate(m.group(1), m.group(2), m.group(3), cleaned)
    raise InvalidInput(_PLATE_FORMAT, field="plate", value=cleaned)


def _moroccan_plate(first: str, letter: str, last: str, typed: str) -> Plate:
    arabic = _LETTER_ALIASES.get(letter, letter)
    if arabic not in PLATE_LETTERS:
        raise InvalidInput(
            N_("Lettre de série « {letter} » inconnue : lettres admises {letters}."),
            field="plate",
            letter=letter,
            letters=" ".join(f"{a} ({latin})" for a, latin in PLATE_LETTERS.items()),
        )
    serial, region = int(first), int(last)
    # Typed right to left (6-أ-12345): the prefecture code has at most two digits.
    if len(first) <= 2 < len(last) <= 5:
        serial, region = region, serial
    if not 1 <= serial <= 99_999 or not 1 <= region <= 89 or len(str(region)) > 2:
        raise InvalidInput(_PLATE_FORMAT, field="plate", value=typed)
    return Plate(
        PlateKind.MOROCCAN,
        f"{serial}-{arabic}-{region}",
        f"{serial}-{PLATE_LETTERS[arabic]}-{region}",
    )


def _foreign_plate(cleaned: str) -> Plate:
    text = _SEPARATORS.sub("-", cleaned.upper()).strip("-")
    if not 2 <= len(text) <= 15 or not _FOREIGN_ALLOWED.fullmatch(text):
        raise InvalidInput(
            N_("Plaque étrangère « {value} » : lettres latines et chiffres seulement (2 à 15)."),
            field="plate",
            value=cleaned,
        )
    return Plate(PlateKind.FOREIGN, text, text)


def normalize_ice(text: str) -> str:
    """An ICE (Identifiant commun de l'entreprise): exactly 15 digits."""
    digits = _SEPARATORS.sub("", _clean(text))
    if not re.fullmatch(r"\d{15}", digits):
        raise InvalidInput(
            N_("ICE « {value} » invalide : il comporte exactement 15 chiffres."),
            field="ice",
            value=_clean(text),
        )
    if set(digits) == {"0"}:
        raise InvalidInput(
            N_("ICE « {value} » invalide : aucune entreprise n'a un ICE fait de zéros."),
            field="ice",
            value=digits,
        )
    return digits


def normalize_cin(text: str) -> str:
    """A CIN (carte nationale d'identité): one or two letters then up to six digits."""
    compact = _SEPARATORS.sub("", _clean(text)).upper()
    if not re.fullmatch(r"[A-Z]{1,2}\d{1,6}", compact):
        raise InvalidInput(
            N_(
                "CIN « {value} » invalide : une ou deux lettres suivies de 1 à 6 chiffres "
                "(ex. BE123456)."
            ),
            field="cin",
            value=_clean(text),
        )
    return compact


def normalize_rc(text: str) -> str:
    """A trade-register (RC) number: digits only, leading zeros dropped."""
    digits = _SEPARATORS.sub("", _clean(text))
    if not re.fullmatch(r"\d{1,8}", digits) or int(digits) == 0:
        raise InvalidInput(
            N_("RC « {value} » invalide : numéro du registre de commerce, 1 à 8 chiffres."),
            field="rc",
            value=_clean(text),
        )
    return str(int(digits))


def normalize_permit_number(text: str) -> str:
    """A permit number as the commune's permit office writes it (AOT-2026-0042)."""
    number = _SEPARATORS.sub("-", _clean(text).upper()).strip("-")
    if not re.fullmatch(r"[A-Z0-9][A-Z0-9-]{2,29}", number):
        raise InvalidInput(
            N_("Numéro d'autorisation « {value} » invalide (ex. AOT-2026-0042)."),
            field="permit_number",
            value=_clean(text),
        )
    return number


# --- the subject of an inspection ----------------------------------------------------------


class SubjectKind(StrEnum):
    VEHICLE = "vehicle"
    ESTABLISHMENT = "establishment"
    PERSON = "person"


SUBJECT_KINDS_BY_BRIGADE: dict[Brigade, tuple[SubjectKind, ...]] = {
    Brigade.PARKING: (SubjectKind.VEHICLE,),
    Brigade.HYGIENE: (SubjectKind.ESTABLISHMENT, SubjectKind.PERSON),
    Brigade.PUBLIC_DOMAIN: (SubjectKind.ESTABLISHMENT, SubjectKind.PERSON),
}


@dataclass(frozen=True)
class SubjectInput:
    """The subject fields of a form, as typed."""

    kind: str
    plate: str = ""
    foreign_plate: bool = False
    make: str = ""
    colour: str = ""
    trade_name: str = ""
    ice: str = ""
    rc: str = ""
    activity: str = ""
    address: str = ""
    full_name: str = ""
    cin: str = ""


@dataclass(frozen=True)
class SubjectIdentity:
    kind: SubjectKind
    key: str
    label: str
    identifiers: dict[str, str]
    details: dict[str, str]

    @property
    def id(self) -> UUID:
        return subject_id(self.key)

    def as_recorded(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "key": self.key,
            "label": self.label,
            "identifiers": self.identifiers,
            "details": self.details,
        }


def identify(subject: SubjectInput, brigade: Brigade, arrondissement: str) -> SubjectIdentity:
    try:
        kind = SubjectKind(subject.kind)
    except ValueError:
        kind = None
    if kind not in SUBJECT_KINDS_BY_BRIGADE[brigade]:
        raise InvalidInput(
            N_("Type de mis en cause « {kind} » impossible pour cette brigade."),
            field="subject_kind",
            kind=subject.kind,
        )
    if kind is SubjectKind.VEHICLE:
        return _vehicle(subject)
    if kind is SubjectKind.ESTABLISHMENT:
        return _establishment(subject, arrondissement)
    return _person(subject, arrondissement)


def _short(value: str, field: str, label: str, *, required: bool = False) -> str:
    return clean_text(value, field=field, label=label, required=required, max_length=200)


def _vehicle(subject: SubjectInput) -> SubjectIdentity:
    plate = normalize_plate(subject.plate, foreign=subject.foreign_plate)
    return SubjectIdentity(
        kind=SubjectKind.VEHICLE,
        key=plate.key,
        label=plate.latin,
        identifiers={
            "plate": plate.canonical,
            "plate_latin": plate.latin,
            "plate_kind": plate.kind,
        },
        details={
            "make": _short(subject.make, "make", N_("Marque")),
            "colour": _short(subject.colour, "colour", N_("Couleur")),
        },
    )


def _establishment(subject: SubjectInput, arrondissement: str) -> SubjectIdentity:
    name = _short(subject.trade_name, "trade_name", N_("Enseigne / raison sociale"), required=True)
    ice = normalize_ice(subject.ice) if subject.ice.strip() else ""
    rc = normalize_rc(subject.rc) if subject.rc.strip() else ""
    address = _short(subject.address, "address", N_("Adresse"))
    if ice:
        key = f"ice:{ice}"
    elif rc:
        key = f"rc:{rc}"
    else:
        if not address:
            raise InvalidInput(
                N_("Sans ICE ni RC, l'adresse de l'établissement est obligatoire."),
                field="address",
            )
        key = f"establishment:{arrondissement}:{slug(name)}:{slug(address)}"
    return SubjectIdentity(
        kind=SubjectKind.ESTABLISHMENT,
        key=key,
        label=name,
        identifiers={"ice": ice, "rc": rc},
        details={
            "activity": _short(subject.activity, "activity", N_("Activité")),
            "address": address,
        },
    )


def _person(subject: SubjectInput, arrondissement: str) -> SubjectIdentity:
    name = _short(subject.full_name, "full_name", N_("Nom et prénom"), required=True)
    cin = normalize_cin(subject.cin) if subject.cin.strip() else ""
    key = f"cin:{cin}" if cin else f"person:{arrondissement}:{slug(name)}"
    return SubjectIdentity(
        kind=SubjectKind.PERSON,
        key=key,
        label=name,
        identifiers={"cin": cin},
        details={"address": _short(subject.address, "address", N_("Adresse"))},
    )


def slug(text: str) -> str:
    """A spelling-tolerant key: no accents, no case, words joined by dashes."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "-".join(re.findall(r"\w+", bare))
