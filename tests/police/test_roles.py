"""Roles and brigades read from what a form or the command line typed."""

from __future__ import annotations

import pytest

from police.errors import InvalidInput
from police.roles import Brigade, parse_brigade


def test_a_brigade_is_read_from_its_code() -> None:
    assert parse_brigade("public_domain") is Brigade.PUBLIC_DOMAIN


def test_an_unknown_brigade_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_brigade("marine")
    assert refused.value.field == "brigade"
    assert refused.value.message == "Brigade inconnue : « marine »."
