"""Hostile input on every form: malformed, oversized, wrongly encoded and mixed-direction
(Arabic + Latin) values. The answer is always a success or a 4xx with a message, never a 500,
and a refusal writes nothing."""

from __future__ import annotations

import uuid
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from police.app import PoliceApp
from tests.police import builders
from tests.police.builders import PASSWORD, Staff, event_count
from tests.web.conftest import log_in, token_of
from web import form_parsing

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Printable Latin and Arabic, bidi controls, control characters, lone combining marks.
nasty_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
        st.sampled_from(["\u202e", "\u200f", "\u0000", "أ", "ب", "ـ", "\u0651", "%", "{", "}"]),
    ),
    max_size=300,
)
numberish = st.one_of(
    nasty_text,
    st.sampled_from(["", "1e309", "NaN", "-0", "33.59", "٣٣٫٥", "9" * 400, "-7.61"]),
)
codes = st.lists(
    st.one_of(st.sampled_from(["STA-02", "HYG-02", "ODP-02", "HYG-05", "XXX-99"]), nasty_text),
    max_size=4,
)
FIELDS = [
    "plate", "ice", "cin", "rc", "trade_name", "activity", "full_name", "make", "colour",
    "address", "arrondissement", "observations", "permit_number", "subject_kind",
]  # fmt: skip


@st.composite
def inspection_forms(draw: st.DrawFn) -> list[tuple[str, str]]:
    form: list[tuple[str, str]] = [
        (
            "brigade",
            draw(st.one_of(st.sampled_from(["parking", "hygiene", "public_domain"]), nasty_text)),
        ),
        ("submission_id", draw(st.one_of(st.just(str(uuid.uuid4())), nasty_text))),
        ("observed_at", draw(st.one_of(st.just("2026-11-20T09:15:00+01:00"), nasty_text))),
    ]
    for name in ("lat", "lon", "accuracy", "occupied_surface_m2"):
        form.append((name, draw(numberish)))
    for name in draw(st.lists(st.sampled_from(FIELDS), max_size=len(FIELDS), unique=True)):
        form.append((name, draw(nasty_text)))
    for code in draw(codes):
        form.append(("finding", code))
        form.append((f"quantity_{code}", draw(numberish)))
    for measure in draw(
        st.lists(st.one_of(st.sampled_from(["clamp", "impound"]), nasty_text), max_size=2)
    ):
        form.append(("measure", measure))
    if draw(st.booleans()):
        form.append(("follow_up_case_id", draw(st.one_of(st.just(str(uuid.uuid4())), nasty_text))))
    return form


def test_inspection_form_never_fails_and_a_refusal_writes_nothing(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "admin")

    @FUZZ
    @given(form=inspection_forms(), as_json=st.booleans())
    def check(form: list[tuple[str, str]], as_json: bool) -> None:
        before = event_count(police)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if as_json:
            headers["Accept"] = "application/json"
        body = urlencode([("csrf_token", token), *form]).encode()
        response = client.post("/officer/inspections", content=body, headers=headers)
        assert response.status_code in (200, 303, 400, 403, 404, 409), response.text[:500]
        if response.status_code >= 400:
            assert event_count(police) == before
            refusal = response.json() if as_json else response.text
            assert refusal, "a refusal says why"

    check()


def test_login_never_fails(client: TestClient, staff: Staff) -> None:
    @FUZZ
    @given(username=nasty_text, password=nasty_text, query=nasty_text)
    def check(username: str, password: str, query: str) -> None:
        client.cookies.clear()
        token_page = client.get("/login")
        token = token_page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        response = client.post(
            "/login", data={"username": username, "password": password, "csrf_token": token}
        )
        assert response.status_code in (303, 400, 401, 429), response.text[:300]

    check()


def test_lookup_never_fails(client: TestClient, staff: Staff) -> None:
    log_in(client, "agent.stationnement")

    @FUZZ
    @given(kind=st.sampled_from(["plate", "ice", "cin", "other"]), value=nasty_text)
    def lookup(kind: str, value: str) -> None:
        response = client.get("/officer/lookup", params={kind: value})
        assert response.status_code in (200, 400), response.text[:300]

    lookup()


def test_raw_bytes_that_are_not_utf8_get_a_4xx(client: TestClient, staff: Staff) -> None:
    token = log_in(client, "agent.stationnement")
    response = client.post(
        "/officer/inspections",
        content=b"brigade=parking&plate=\xff\xfe\xfa&csrf_token=" + token.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert 400 <= response.status_code < 500


CASE_FIELDS = [
    "reason", "officer_id", "due_on", "version", "note", "number", "method", "served_on",
    "served_to", "amount", "receipt_number", "paid_on", "filed_on", "grounds", "against",
    "outcome", "decided_on", "deadline", "replaces",
]  # fmt: skip
CURRENT = "<the case's version now>"
WORKFLOW = ["validate", "dismiss", "assign", "schedule_follow_up", "record_compliance", "escalate"]
LEGAL = ["record_service", "impose_fine", "record_payment", "file_appeal", "decide_appeal"]
KINDS = ["avis_contravention", "mise_en_demeure", "proces_verbal", "ordre_fermeture"]


@st.composite
def case_forms(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]]]:
    """A workflow, legal or notice form of a case, with any of its fields, hostile or not."""
    kind, names = draw(
        st.sampled_from([("", [*WORKFLOW, "close", "reopen", *LEGAL]), ("notices/", KINDS)])
    )
    action = draw(st.one_of(st.sampled_from(names), nasty_text.filter(lambda t: t.isalnum())))
    form = [
        (name, draw(st.one_of(nasty_text, st.sampled_from(["2026-11-30", "100", "1", "hand"]))))
        for name in draw(st.lists(st.sampled_from(CASE_FIELDS), unique=True, max_size=8))
    ]
    if draw(st.booleans()):  # mostly the version the page was read at, to reach the command
        form = [(n, v) for n, v in form if n != "version"] + [("version", CURRENT)]
    return f"{kind}{action}", form


def test_case_workflow_legal_and_notice_forms_never_fail(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:

    ticket = police.record_inspection(builders.parking(), staff.parking_officer).case_id
    cafe = police.record_inspection(builders.hygiene(), staff.hygiene_officer).case_id
    assert ticket
    assert cafe
    token = log_in(client, "admin")

    @FUZZ
    @example(case=cafe, target=("validate", [("version", "¹")]))
    @given(case=st.sampled_from([ticket, cafe]), target=case_forms())
    def check(case: uuid.UUID, target: tuple[str, list[tuple[str, str]]]) -> None:
        path, form = target
        version = str(police.get_case(case).version)
        form = [(n, version if v == CURRENT else v) for n, v in form]
        before = event_count(police)
        response = client.post(
            f"/cases/{case}/{path}",
            content=urlencode([("csrf_token", token), *form]).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code in (303, 400, 403, 404, 409), response.text[:500]
        if response.status_code >= 400:
            assert event_count(police) == before
            assert "<h1" in response.text, "a refusal says why, on a page"

    check()


def test_legal_desk_and_case_list_queries_never_fail(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "admin")

    @FUZZ
    @example(day="", params={"page": "¹"})  # found by this fuzz once: '¹'.isdigit() is true
    @given(
        day=nasty_text,
        params=st.dictionaries(
            st.sampled_from([*CASE_FIELDS, "q", "status", "sort", "page", "from", "to", "brigade"]),
            nasty_text,
            max_size=5,
        ),
    )
    def check(day: str, params: dict[str, str]) -> None:
        before = event_count(police)
        for response in (
            client.get("/cases", params=params),
            client.get("/legal", params={"day": day}),
            client.post("/legal/tickets/" + quote(day, safe=""), data={"csrf_token": token}),
        ):
            assert response.status_code in (200, 303, 307, 400, 404), response.text[:300]
        assert event_count(police) == before  # nothing to issue on any such day

    check()


def test_the_public_verification_form_never_fails(client: TestClient, police: PoliceApp) -> None:
    """Anyone may post a file here: any bytes, any name, any number, no login."""
    token = client.get("/login").text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]

    @FUZZ
    @given(number=nasty_text, name=nasty_text, content=st.binary(max_size=5000))
    def check(number: str, name: str, content: bytes) -> None:
        before = event_count(police)
        response = client.post(
            "/verifier/" + quote(number, safe=""),
            data={"csrf_token": token},
            files={"pdf": (name or "x", content, "application/pdf")},
        )
        # 307: a number ending in "/" is sent to the same path without it
        assert response.status_code in (200, 307, 400, 404), response.text[:300]
        assert event_count(police) == before

    check()


def test_a_nul_character_in_the_search_is_ignored_not_a_database_error(
    client: TestClient, staff: Staff
) -> None:
    log_in(client, "chef.hygiene")
    response = client.get("/cases", params={"q": "caf\x00é"})
    assert response.status_code == 200  # PostgreSQL refuses NUL in text: it never reaches it


@pytest.mark.parametrize("typed", ["¹", "²³", "٣", "１", "-1", " 2", "9" * 30])
def test_a_number_in_a_request_that_is_not_plain_ascii_digits_is_no_number(
    client: TestClient, police: PoliceApp, staff: Staff, typed: str
) -> None:
    """Pages, versions and lengths are read in ASCII digits only: "¹" passes ``str.isdigit``
    and then made ``int`` raise (a 500 on ``/cases?page=¹``)."""
    case = police.record_inspection(builders.hygiene(), staff.hygiene_officer).case_id
    log_in(client, "chef.hygiene")
    listed = client.get("/cases", params={"page": typed})
    assert listed.status_code == 200
    assert "Café" in listed.text  # the first page, as if no page was asked for
    shown = client.get(f"/cases/{case}", params={"as_of": typed})
    assert shown.status_code == 200
    assert 'id="as-of"' not in shown.text  # the case as it is now


@pytest.mark.parametrize("declared", [b"\xb9", b"\xb2\xb3", b"1\xb9"])  # ¹, ²³ in Latin-1
def test_a_body_length_that_is_not_ascii_digits_is_refused(
    client: TestClient, declared: bytes
) -> None:
    response = client.post("/login", content=b"x", headers={b"Content-Length": declared})
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("typed", "number"),
    [("0", 0), ("7", 7), ("0042", 42), ("¹", None), ("٣", None), ("", None), ("1.5", None)],
)
def test_whole_numbers_are_ascii_digits(typed: str, number: int | None) -> None:
    assert form_parsing.whole_number(typed) == number


PERMIT_FIELDS = {
    "kind": "terrace", "holder_kind": "establishment", "trade_name": "Café Atlas",
    "ice": "001234567000089", "arrondissement": "anfa", "address": "Bd d'Anfa", "lat": "33.589",
    "lon": "-7.642", "frontage_m": "6", "depth_m": "2", "walking_path_m": "1,5",
    "hours": "08:00-23:00", "season": "été", "valid_from": "2026-01-01",
    "valid_until": "2099-12-31", "fee": "3600", "outline": "", "structure_id": "CAS-PUB-1",
    "faces": "2", "m2_per_face": "12", "company": "Atlas", "full_name": "", "cin": "",
}  # fmt: skip


@st.composite
def permit_forms(draw: st.DrawFn) -> list[tuple[str, str]]:
    """The grant form with some fields left as a clerk would type them, the others hostile."""
    form = []
    for name, good in PERMIT_FIELDS.items():
        value = draw(
            st.one_of(
                st.just(good),
                nasty_text,
                numberish,
                st.sampled_from(["billboard", "[[1,2],[3,4],[5,6]]", "[[-7.642, 33.589]]"]),
            )
        )
        form.append((name, value))
    return form


def test_permit_forms_never_fail_and_a_refusal_writes_nothing(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    number = police.grant_permit(staff.permits_clerk, builders.terrace())
    token = log_in(client, "autorisations")

    actions = ["amend", "renew", "suspend", "revoke", "x"]
    targets = ["/permits", *(f"/permits/{number}/{action}" for action in actions)]

    @FUZZ
    @given(
        target=st.sampled_from(targets),
        form=permit_forms(),
        reason=nasty_text,
        version=st.one_of(st.just("<now>"), nasty_text),
    )
    def check(target: str, form: list[tuple[str, str]], reason: str, version: str) -> None:
        permit = police.find_permit(number)
        assert permit is not None
        now = str(permit.version) if version == "<now>" else version
        before = event_count(police)
        body = urlencode(
            [("csrf_token", token), *form, ("reason", reason), ("version", now)]
        ).encode()
        response = client.post(
            target, content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert response.status_code in (303, 400, 404, 405, 409), response.text[:500]
        if response.status_code >= 400:
            assert event_count(police) == before
            assert "<h1" in response.text, "a refusal says why, on a page"

    check()


def test_registry_and_nearby_queries_never_fail(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    police.grant_permit(staff.permits_clerk, builders.terrace())
    log_in(client, "admin")

    @FUZZ
    @given(
        params=st.dictionaries(
            st.sampled_from(["kind", "state", "arrondissement", "expiring", "q", "page", "lat"]),
            st.one_of(nasty_text, numberish),
            max_size=5,
        ),
        path=st.sampled_from(
            ["/permits", "/permits/export.csv", "/permits/map.geojson", "/officer/permits/near"]
        ),
        lon=numberish,
    )
    def check(params: dict[str, str], path: str, lon: str) -> None:
        response = client.get(path, params=params | {"lon": lon})
        assert response.status_code == 200, response.text[:300]

    check()


ACCOUNT_ACTIONS = [
    "grant_role", "revoke_role", "grant_brigade", "revoke_brigade", "deactivate", "reactivate",
    "reset_password", "unlock", "reset_two_factor", "sign_out",
]  # fmt: skip


def test_the_admins_account_forms_never_fail_and_a_refusal_writes_nothing(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "admin")
    values = st.one_of(nasty_text, st.sampled_from(["officer", "admin", "parking", CURRENT, ""]))
    fields = st.lists(st.tuples(st.sampled_from(["role", "brigade", "reason", "version"]), values))

    @FUZZ
    @example(action="grant_role", form=[("role", "admin"), ("version", "x"), ("reason", "ok")])
    @given(action=st.one_of(st.sampled_from(ACCOUNT_ACTIONS), nasty_text), form=fields)
    def check(action: str, form: list[tuple[str, str]]) -> None:
        version = str(police.get_user(staff.hygiene_officer).version)
        form = [(n, version if v == CURRENT else v) for n, v in form]
        before = event_count(police)
        response = client.post(
            f"/admin/users/{staff.hygiene_officer}/{quote(action, safe='')}",
            content=urlencode([("csrf_token", token), *form]).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        # 307: an empty action ends the address with "/", redirected without it
        assert response.status_code in (200, 303, 307, 400, 404, 409), response.text[:500]
        if response.status_code >= 400:
            assert event_count(police) == before
            assert "<h1" in response.text, "a refusal says why, on a page"

    check()


def test_a_new_accounts_form_never_fails_and_a_refusal_writes_nothing(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "admin")
    names = st.one_of(nasty_text, st.sampled_from(["agent.nouveau", "Agent Nouveau", "ab"]))
    choices = st.lists(st.one_of(st.sampled_from(["officer", "hygiene", "legal"]), nasty_text))

    @FUZZ
    @given(username=names, full_name=names, badge=nasty_text, roles=choices, brigades=choices)
    def check(
        username: str, full_name: str, badge: str, roles: list[str], brigades: list[str]
    ) -> None:
        before = event_count(police)
        form = [("csrf_token", token), ("username", username), ("full_name", full_name)]
        form += [("badge", badge), *(("role", r) for r in roles)]
        form += [("brigade", b) for b in brigades]
        response = client.post(
            "/admin/users",
            content=urlencode(form).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code in (200, 400), response.text[:500]
        if response.status_code == 400:
            assert event_count(police) == before
            assert 'role="alert"' in response.text, "a refusal says why, by the form"

    check()


def test_the_sign_in_codes_step_never_fails(client: TestClient, staff: Staff) -> None:
    @FUZZ
    @given(code=nasty_text)
    def check(code: str) -> None:
        client.cookies.clear()
        token = client.get("/login").text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        client.post(
            "/login", data={"username": "juriste", "password": PASSWORD, "csrf_token": token}
        )
        page = client.get("/login/code")  # its form's token (the password step renewed it)
        if page.status_code == 200:
            token = token_of(page.text)
        coded = client.post("/login/code", data={"code": code, "csrf_token": token})
        # refused (or locked, or slowed down), or back to the password once it is locked
        assert coded.status_code in (303, 401, 429), coded.text[:300]
        if coded.status_code == 303:
            assert coded.headers["location"] == "/login"

    check()


def test_the_own_account_forms_never_fail(client: TestClient, staff: Staff) -> None:
    csrf = log_in(client, "agent.hygiene")

    @FUZZ
    @given(current=nasty_text, new=nasty_text, language=nasty_text)
    def check(current: str, new: str, language: str) -> None:
        changed = client.post(
            "/account/password",
            data={
                "csrf_token": csrf,
                "current_password": current,
                "new_password": new,
                "confirm_password": new,
            },
        )
        assert changed.status_code == 400, changed.text[:300]  # never the current password
        assert 'role="alert"' in changed.text
        chosen = client.post("/account/language", data={"csrf_token": csrf, "language": language})
        assert chosen.status_code in (303, 400), chosen.text[:300]

    check()
