"""Plates, ICE, CIN and RC: every way an officer types one reaches the same canonical form;
anything else is refused with a French message naming the field."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from police.errors import InvalidInput
from police.identifiers import (
    PLATE_LETTERS,
    PlateKind,
    natural_id,
    normalize_cin,
    normalize_ice,
    normalize_permit_number,
    normalize_plate,
    normalize_rc,
)
from police.roles import SYSTEM

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
BIDI_MARKS = ["", "\u200e", "\u200f", "\u2066", "\u2069"]


@pytest.mark.parametrize(
    "typed",
    [
        "12345-أ-6",
        "12345-A-6",
        "12345 a 6",
        "12345|أ|6",
        "12345 | A | 06",
        "6-أ-12345",
        "١٢٣٤٥-أ-٦",
        " 12345  a  6 ",
        "\u200f12345-أ-6\u200e",
        "12345ا6",
        "12345-إ-6",
    ],
)
def test_the_ways_officers_type_a_plate_reach_one_canonical_form(typed: str) -> None:
    plate = normalize_plate(typed)
    assert plate.kind is PlateKind.MOROCCAN
    assert plate.canonical == "12345-أ-6"
    assert plate.latin == "12345-A-6"
    assert plate.key == "plate:moroccan:12345-أ-6"


def test_the_series_letters_map_to_their_latin_transliterations() -> None:
    assert normalize_plate("7-هـ-40").canonical == "7-ه-40"
    assert normalize_plate("7 h 40").canonical == "7-ه-40"
    assert normalize_plate("7 w 40").canonical == normalize_plate("7 E 40").canonical == "7-و-40"
    assert normalize_plate("88888 T 13").latin == "88888-T-13"


def test_temporary_ww_plates() -> None:
    plate = normalize_plate("ww 123456")
    assert (plate.kind, plate.canonical) == (PlateKind.TEMPORARY, "WW-123456")
    assert normalize_plate("WW-123456") == plate


def test_foreign_plates_are_kept_as_free_text() -> None:
    plate = normalize_plate(" ab-123 cd ", foreign=True)
    assert (plate.kind, plate.canonical) == (PlateKind.FOREIGN, "AB-123-CD")


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("", "obligatoire"),
        ("abc", "non reconnue"),
        ("12345-Z-6", "Lettre de série"),
        ("123456-A-6", "non reconnue"),  # six-digit serial
        ("1-A-90", "non reconnue"),  # no prefecture 90
        ("0-A-6", "non reconnue"),
        ("12345-A-", "non reconnue"),
        ("WW", "non reconnue"),
    ],
)
def test_a_malformed_plate_is_refused_with_a_message_about_the_plate(
    typed: str, fragment: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        normalize_plate(typed)
    assert refused.value.field == "plate"
    assert fragment in refused.value.message


def test_a_foreign_plate_with_symbols_is_refused() -> None:
    with pytest.raises(InvalidInput, match="Plaque étrangère"):
        normalize_plate("<script>", foreign=True)


plates = st.tuples(
    st.integers(1, 99_999), st.sampled_from(sorted(PLATE_LETTERS)), st.integers(1, 89)
)


@given(
    plate=plates,
    latin=st.booleans(),
    lower=st.booleans(),
    separator=st.sampled_from(["-", " ", " | ", "|", "", "  -  ", "/"]),
    indic=st.booleans(),
    mark=st.sampled_from(BIDI_MARKS),
)
def test_any_formatting_of_a_plate_normalises_to_the_same_plate(
    plate: tuple[int, str, int], latin: bool, lower: bool, separator: str, indic: bool, mark: str
) -> None:
    serial, letter, region = plate
    shown = PLATE_LETTERS[letter] if latin else letter
    if lower:
        shown = shown.lower()
    numbers: tuple[str, ...] = (str(serial), str(region))
    if indic:
        numbers = tuple(n.translate(ARABIC_INDIC) for n in numbers)
    typed = f"{mark}{numbers[0]}{separator}{shown}{separator}{numbers[1]}{mark}"
    result = normalize_plate(typed)
    assert result.canonical == f"{serial}-{letter}-{region}"
    assert normalize_plate(result.canonical) == result
    assert normalize_plate(result.latin) == result


@given(st.text(max_size=30))
def test_any_text_is_either_a_plate_or_refused_cleanly(text: str) -> None:
    try:
        plate = normalize_plate(text)
    except InvalidInput as refused:
        field = refused.field
    else:
        field = "plate"
        assert normalize_plate(plate.canonical) == plate
    assert field == "plate"


@given(st.text(max_size=30), st.booleans())
def test_any_text_as_a_foreign_plate_is_normalised_idempotently_or_refused(
    text: str, foreign: bool
) -> None:
    try:
        plate = normalize_plate(text, foreign=True)
    except InvalidInput:
        return
    assert normalize_plate(plate.canonical, foreign=True) == plate


def test_ice_is_fifteen_digits_whatever_the_spacing() -> None:
    assert normalize_ice("001 234 567 000 089") == "001234567000089"
    assert normalize_ice("001.234.567.000.089") == "001234567000089"
    assert normalize_ice("٠٠١٢٣٤٥٦٧٠٠٠٠٨٩") == "001234567000089"


@pytest.mark.parametrize(
    "typed", ["", "12345678901234", "1234567890123456", "00123456700008A", "000000000000000"]
)
def test_a_malformed_ice_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput, match="ICE") as refused:
        normalize_ice(typed)
    assert refused.value.field == "ice"


@given(
    st.text(alphabet="0123456789", min_size=15, max_size=15).filter(lambda s: set(s) != {"0"}),
    st.lists(st.sampled_from([" ", "-", "."]), max_size=4),
)
def test_any_spacing_of_an_ice_gives_the_same_ice(digits: str, separators: list[str]) -> None:
    typed = digits
    for i, sep in enumerate(separators):
        position = 3 * (i + 1)
        typed = typed[:position] + sep + typed[position:]
    assert normalize_ice(typed) == digits


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("be 123456", "BE123456"), ("A-12345", "A12345"), ("bk654321", "BK654321")],
)
def test_cin_is_normalised(typed: str, expected: str) -> None:
    assert normalize_cin(typed) == expected


@pytest.mark.parametrize("typed", ["", "123456", "ABC123", "BE1234567", "BE"])
def test_a_malformed_cin_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput, match="CIN"):
        normalize_cin(typed)


@given(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=2),
    st.integers(0, 999_999),
    st.booleans(),
)
def test_any_valid_cin_is_normalised_idempotently(letters: str, number: int, lower: bool) -> None:
    typed = f"{letters.lower() if lower else letters} {number}"
    cin = normalize_cin(typed)
    assert cin == f"{letters}{number}"
    assert normalize_cin(cin) == cin


def test_rc_drops_separators_and_leading_zeros() -> None:
    assert normalize_rc("00 123 456") == "123456"
    with pytest.raises(InvalidInput, match="RC"):
        normalize_rc("RC-12")


def test_permit_numbers_are_normalised() -> None:
    assert normalize_permit_number(" aot 2026 0042 ") == "AOT-2026-0042"
    with pytest.raises(InvalidInput):
        normalize_permit_number("<>")


def test_the_installation_acts_under_the_id_named_after_it() -> None:
    assert natural_id("system", "system") == SYSTEM.id
    assert str(SYSTEM.id) == "c885a588-38b9-56a0-b323-9aada805f25c"


@pytest.mark.parametrize(
    "mark",
    ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff", "\u200e", "\u2067"],
    ids=["zwsp", "zwnj", "zwj", "word-joiner", "soft-hyphen", "bom", "lrm", "rli"],
)
def test_invisible_characters_typed_or_pasted_into_an_identifier_are_ignored(mark: str) -> None:
    assert normalize_ice(f"001234{mark}567000089") == "001234567000089"
    assert normalize_plate(f"12345{mark}-A-6").canonical == "12345-أ-6"
    assert normalize_cin(f"BE{mark}123456") == "BE123456"
    assert normalize_rc(f"12{mark}345") == "12345"


def test_an_ice_of_zeros_is_told_it_is_no_company_s_not_that_it_lacks_digits() -> None:
    with pytest.raises(InvalidInput) as refused:
        normalize_ice("000 000 000 000 000")
    assert refused.value.message == (
        "ICE « 000000000000000 » invalide : aucune entreprise n'a un ICE fait de zéros."
    )
