"""Every route of the app, called by every role (anonymous, officer, supervisor, legal, admin):
each role reaches exactly the pages written out below, by hand, independently of the table the
app enforces (``web.permissions.ROUTES``). A new route fails here until it is written out; a
role let through by mistake, in the table or in the code, fails here too.

A parking ticket with a photo and a notice also proves brigade scope on what ids point at: a
hygiene supervisor guessing them gets "not found", never the case, the PDF or the photo."""

from __future__ import annotations

import hashlib
import re
import uuid

import pytest
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from police.aggregates.access import Viewed
from police.app import PoliceApp
from police.roles import Role
from tests.police.builders import Staff, event_count
from tests.storage import photos
from tests.web.conftest import app_of, case_form, log_in, token_of
from tests.web.test_evidence_photos import send
from web.permissions import ANY_USER, ROUTES, Access
from web.routing import UnjournaledView, route, shows

USERS: dict[str, Role | None] = {
    "": None,  # anonymous
    "agent.hygiene": Role.OFFICER,
    "chef.hygiene": Role.SUPERVISOR,
    "juriste": Role.LEGAL,
    "autorisations": Role.PERMITS,
    "admin": Role.ADMIN,
}
# A value for each path parameter the routes use; ids are unknown, which is fine: only the
# access layer's answer is under test here.
PARAMS = {
    "case_id": str(uuid.uuid4()),
    "inspection_id": str(uuid.uuid4()),
    "kind": "mise_en_demeure",
    "action": "validate",
    "number": "MD-2026-000001",
    "day": "2026-11-22",
    "sha256": "0" * 64,
    "brigade": "hygiene",
    "code": "fr",
    "collection_id": "cases",
    "feature_id": str(uuid.uuid4()),
    "index": "0",
    "secret": "pas-le-bon-secret",
    "format": "json",
    "subject_id": str(uuid.uuid4()),
    "user_id": str(uuid.uuid4()),
    "version": "2026.1",
    "key": "0123456789ab",
}
REFUSED_ROLE = "Cette page n&#39;est pas ouverte à votre rôle."


def sample_param(match: re.Match[str]) -> str:
    """The sample value of the path parameter ``match`` names."""
    return PARAMS[match.group(1)]


def calls(client: TestClient) -> list[tuple[str, str, str]]:
    """(route name, method, path) for every method of every route."""
    found = []
    for r in app_of(client).routes:
        if not isinstance(r, Route):
            continue
        path = re.sub(r"\{(\w+)(:\w+)?\}", sample_param, r.path)
        for method in sorted((r.methods or {"GET"}) - {"HEAD"}):
            found.append((str(r.name), method, path))
    return found


# Who reaches what, written out by hand (never derived from web.permissions).
ANYONE = {
    "health", "ready", "metrics", "login", "login.submit", "language", "service_worker",
    "login.code", "login.code_submit", "notices.verify", "demarches.landing", "demarches.new",
    "demarches.submit", "demarches.track",
    "demarches.documents", "demarches.arrete", "demarches.renew", "signaler.form",
    "signaler.submit", "signaler.nearby", "signaler.follow", "signaler.track",
    "mon_avis.door", "mon_avis.open", "mon_avis.case", "mon_avis.photo", "mon_avis.contest",
    "mon_avis.declare", "mon_avis.leave",
    # Open311 for the city's apps: a POST refused without its api_key, as a JSON error array
    "open311.services", "open311.requests", "open311.request",
}  # fmt: skip
SIGNED_IN = {
    "logout", "home", "csrf", "evidence.photo", "evidence.thumbnail", "evidence.original",
    "maps.arrondissements",
    # each user's own account
    "account.show", "account.password", "account.password_change", "account.language",
    "account.sign_out_everywhere", "account.two_factor", "account.two_factor_enrol",
    "account.recovery_codes", "account.two_factor_off",
}  # fmt: skip
STREET = {
    "officer.home", "officer.new", "officer.submit", "officer.receipt", "officer.lookup",
    "officer.ticket", "officer.permits_near", "visits.show", "visits.report",
    "applications.document", "reports.photo", "reports.visit",
}  # fmt: skip
# the brigade's supervisors (and the hygiene one's risk category of an establishment)
TRIAGE = {"reports.queue", "reports.show", "reports.act", "register.override"}
# their planning: the roster, the open visits reassigned, the campaigns
PLANNING = {
    "planning.show", "planning.coverage", "planning.reassign", "register.to_campaign",
    "campaigns.list", "campaigns.new", "campaigns.plan", "campaigns.show", "campaigns.targets",
    "campaigns.close",
}  # fmt: skip
# the officers of their brigades, with their load (read-only)
TEAM = {"team.show"}
CASE_FILES = {
    "cases.list", "cases.show", "cases.export_csv", "cases.export_geojson", "cases.overview",
    "cases.act", "notices.preview", "notices.issue", "notices.download", "maps.inspections",
    "register.list", "register.show",
}  # fmt: skip
LEGAL_DESK = {
    "legal.desk", "legal.tickets", "legal.tickets_issue", "legal.tickets_pdf", "cases.access_code",
}  # fmt: skip
REGISTRY = {
    "permits.list", "permits.export_csv", "permits.map", "permits.geojson", "permits.show",
    "permits.arrete",
}  # fmt: skip
PERMITS_OFFICE = {
    "permits.new", "permits.grant", "permits.amend_form", "permits.amend", "permits.print",
    "permits.act", "applications.queue", "applications.show", "applications.act",
    "applications.document",
}  # fmt: skip
CASHIER = {"permits.payment"}  # the permits office or legal staff, at the till
# Reached with the user's API token (a session is not enough), for the city's GIS.
GIS = {
    "ogc.landing", "ogc.api", "ogc.conformance", "ogc.collections", "ogc.collection", "ogc.items",
    "ogc.item",
}  # fmt: skip
# the admin's desk: accounts, API tokens, reference data, the system's state
ADMIN_DESK = {
    "admin.users", "admin.users_new", "admin.users_create", "admin.user", "admin.user_act",
    "admin.tokens", "admin.tokens_new", "admin.tokens_issue", "admin.tokens_revoke",
    "admin.reference", "admin.citing", "admin.system",
}  # fmt: skip
REACHES: dict[Role | None, set[str]] = {
    None: ANYONE,
    Role.OFFICER: ANYONE | SIGNED_IN | STREET,
    Role.SUPERVISOR: ANYONE
    | SIGNED_IN
    | STREET
    | TRIAGE
    | PLANNING
    | TEAM
    | CASE_FILES
    | REGISTRY
    | GIS,
    Role.LEGAL: ANYONE | SIGNED_IN | CASE_FILES | LEGAL_DESK | REGISTRY | GIS | CASHIER,
    Role.PERMITS: ANYONE | SIGNED_IN | REGISTRY | PERMITS_OFFICE | GIS | CASHIER,
    Role.ADMIN: ANYONE
    | SIGNED_IN
    | STREET
    | TRIAGE
    | PLANNING
    | TEAM
    | CASE_FILES
    | LEGAL_DESK
    | REGISTRY
    | PERMITS_OFFICE
    | GIS
    | CASHIER
    | ADMIN_DESK,
}


# The routes that show a case, a receipt, a photo or a notice, or export cases: each answer is
# in the viewer's access journal (law 09-08), as what it shows.
JOURNALED = {
    "cases.show": Viewed.CASE,
    "officer.receipt": Viewed.INSPECTION,
    "officer.ticket": Viewed.NOTICE,
    "evidence.photo": Viewed.EVIDENCE,
    "evidence.original": Viewed.EVIDENCE,
    "notices.download": Viewed.NOTICE,
    "legal.tickets_pdf": Viewed.NOTICE,
    "cases.export_csv": Viewed.EXPORT,
    "cases.export_geojson": Viewed.EXPORT,
    "permits.export_csv": Viewed.EXPORT,
    "permits.geojson": Viewed.EXPORT,
    "permits.show": Viewed.PERMIT,
    "permits.arrete": Viewed.PERMIT,
    "applications.show": Viewed.APPLICATION,
    "applications.document": Viewed.APPLICATION,
    "visits.show": Viewed.APPLICATION,
    "visits.report": Viewed.APPLICATION,
    "reports.show": Viewed.REPORT,
    "reports.photo": Viewed.REPORT,
    "reports.visit": Viewed.REPORT,
}


def journal_only(police: PoliceApp, since: int) -> bool:
    """Whether every event recorded after position ``since`` is an access journal's (or the
    day an API token was first used, by the routes a GIS calls)."""
    recorded = police.recorder.select_notifications(since, 1000, inclusive_of_start=False)
    return all(
        n.topic.startswith("police.aggregates.access:AccessJournal.")
        or n.topic == "police.aggregates.user:User.ApiTokenUsed"
        for n in recorded
    )


def allowed(name: str, role: Role | None) -> bool:
    return name in REACHES[role]


def test_every_route_of_the_app_is_written_out_here(client: TestClient) -> None:
    names = {name for name, _, _ in calls(client)}
    assert names == REACHES[Role.ADMIN], "write the new route's audience out in REACHES"
    assert set(ROUTES) == names, "web.permissions declares exactly the app's routes"


@pytest.mark.parametrize("username", list(USERS))
def test_each_role_reaches_exactly_the_pages_written_out(
    client: TestClient, police: PoliceApp, staff: Staff, username: str
) -> None:
    role = USERS[username]
    token = log_in(client, username) if username else ""
    if not username:
        token = token_of(client.get("/login").text)
    # The user's API token, sent to the routes a GIS calls (the anonymous walker has none).
    user = police.find_user(username) if username else None
    bearer = {}
    if user is not None:
        api_token = police.issue_api_token(staff.admin, user.id, label="matrice").token
        bearer = {"Authorization": f"Bearer {api_token}"}
    before = event_count(police)
    wrong = []
    for name, method, path in calls(client):
        if name in ("logout", "account.sign_out_everywhere"):
            continue  # would end the session the rest of the walk needs
        if name == "account.recovery_codes":
            continue  # would record new codes (tests.web.test_accounts drives it)
        response = client.request(
            method,
            path,
            data={"csrf_token": token} if method == "POST" else None,
            headers=bearer if name.startswith("ogc.") else None,
        )
        sent_to_login = response.status_code == 303 and "/login?" in response.headers["location"]
        machine = name.startswith("ogc.")  # refuses as the OGC API does: 401, JSON 403
        refused = (
            sent_to_login
            or (response.status_code == 403 and REFUSED_ROLE in response.text)
            or (machine and response.status_code == 401)
            or (machine and response.status_code == 403 and '"Forbidden"' in response.text)
        )
        if refused == allowed(name, role):
            wrong.append(f"{method} {path} ({name}): {response.status_code}")
    assert not wrong, f"{username or 'anonymous'}: {wrong}"
    # Unknown ids: nothing recorded but the journal of what was shown (the exports).
    assert journal_only(police, since=before)


def test_ids_of_another_brigade_lead_nowhere(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    """A parking ticket sent with a photo, its avis issued with it: the hygiene supervisor,
    guessing its ids, gets 404 on the case, its actions, its notice and its photo."""
    jpeg = photos.jpeg_with_exif()
    token = log_in(client, "agent.stationnement")
    inspection_id = send(client, token, ("a.jpg", jpeg)).headers["location"].rsplit("/", 1)[1]
    case_id = police.get_inspection(uuid.UUID(inspection_id)).case_id
    client.cookies.clear()
    token = log_in(client, "juriste")
    assert case_id is not None
    [notice] = police.get_case(case_id).notices
    photo = f"/evidence/{inspection_id}/{hashlib.sha256(jpeg).hexdigest()}"
    assert client.get(photo).status_code == 200

    client.cookies.clear()
    token = log_in(client, "chef.hygiene")
    before = event_count(police)
    case = f"/cases/{case_id}"
    for response in (
        client.get(case),
        client.post(f"{case}/close", data=case_form(police, case_id, token, reason="x")),
        client.get(f"{case}/notices/avis_contravention/preview"),
        client.post(f"{case}/record_payment", data=case_form(police, case_id, token)),
        client.get(f"/notices/{notice['number']}.pdf"),
        client.get(photo),
        client.get(f"{photo}/thumbnail"),
    ):
        assert response.status_code == 404, response.request.url
    assert event_count(police) == before


def test_every_route_that_shows_case_data_declares_its_journal() -> None:
    declared = {name: access.journal for name, access in ROUTES.items() if access.journal}
    assert declared == JOURNALED


def test_each_journaled_route_records_what_it_showed(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    jpeg = photos.jpeg_with_exif()
    token = log_in(client, "agent.stationnement")
    receipt = send(client, token, ("a.jpg", jpeg)).headers["location"]
    inspection_id = uuid.UUID(receipt.rsplit("/", 1)[1])
    assert client.get(receipt).status_code == 200
    case_id = police.get_inspection(inspection_id).case_id
    assert case_id is not None
    client.cookies.clear()
    log_in(client, "juriste")
    [notice] = police.get_case(case_id).notices  # issued with the ticket
    sha = hashlib.sha256(jpeg).hexdigest()
    for path in (
        f"/cases/{case_id}",
        f"/notices/{notice['number']}.pdf",
        f"/evidence/{inspection_id}/{sha}",
        f"/legal/tickets/{police.today().isoformat()}.pdf",
        "/cases/export.csv?q=12345",
        "/cases/export.geojson",
    ):
        assert client.get(path).status_code == 200, path
    today = police.today()
    assert police.views_by(staff.parking_officer, today) == [("inspection", inspection_id, "")]
    views = police.views_by(staff.legal, today)
    assert views[:4] == [
        ("case", case_id, ""),
        ("notice", case_id, notice["number"]),
        ("evidence", inspection_id, sha),
        ("notice", case_id, notice["number"]),
    ]
    assert [(what, detail) for what, _, detail in views[4:]] == [
        ("export", "q=12345"),
        ("export", ""),
    ]


def test_a_journaled_page_that_names_nothing_it_showed_is_refused(
    client: TestClient, police: PoliceApp, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new page declared as showing a case, whose handler forgets to say which: its answer
    never leaves, rather than a silent gap in the journal."""

    async def forgetful(request: Request) -> Response:
        return PlainTextResponse("Café Atlas, ICE 001234567000089")

    monkeypatch.setitem(ROUTES, "test.forgetful", Access(ANY_USER, journal=Viewed.CASE))
    app_of(client).router.routes.append(route("/forgetful", forgetful, name="test.forgetful"))
    log_in(client, "chef.hygiene")
    before = event_count(police)
    with pytest.raises(UnjournaledView):
        client.get("/forgetful")
    assert event_count(police) == before


def test_a_page_that_shows_case_data_without_a_declared_journal_is_refused(
    client: TestClient, police: PoliceApp, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new page that names what it showed, declared without a journal: a gap in the journal
    the code itself can see, so its answer never leaves."""

    async def undeclared(request: Request) -> Response:
        shows(request, staff.hygiene_officer)
        return PlainTextResponse("Café Atlas, ICE 001234567000089")

    monkeypatch.setitem(ROUTES, "test.undeclared", Access(ANY_USER))
    app_of(client).router.routes.append(route("/undeclared", undeclared, name="test.undeclared"))
    log_in(client, "chef.hygiene")
    before = event_count(police)
    with pytest.raises(UnjournaledView):
        client.get("/undeclared")
    assert event_count(police) == before


@pytest.mark.parametrize("status", [400, 404])
def test_a_journaled_page_answering_an_error_journals_nothing(
    client: TestClient,
    police: PoliceApp,
    staff: Staff,
    monkeypatch: pytest.MonkeyPatch,
    status: int,
) -> None:
    """What a refused answer would have shown did not leave: no line in the journal."""

    async def refusing(request: Request) -> Response:
        shows(request, staff.hygiene_officer)
        return PlainTextResponse("refusé", status_code=status)

    monkeypatch.setitem(ROUTES, "test.refusing", Access(ANY_USER, journal=Viewed.CASE))
    app_of(client).router.routes.append(route("/refusing", refusing, name="test.refusing"))
    log_in(client, "chef.hygiene")
    before = event_count(police)
    assert client.get("/refusing").status_code == status
    assert event_count(police) == before


def test_legal_staff_can_log_out(client: TestClient, staff: Staff) -> None:
    """Logout is skipped by the walk above (it would end the walk's session)."""
    token = log_in(client, "juriste")
    response = client.post("/logout", data={"csrf_token": token})
    assert (response.status_code, response.headers["location"]) == (303, "/login")
    assert client.get("/legal").headers["location"] == "/login?next=/legal"
