"""The command line: demo data with printed logins, and user accounts from the shell."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.persistence import Notification

from police.access_codes import code_digest
from police.aggregates.case import Case
from police.aggregates.inspection import Inspection
from police.aggregates.permit import Permit, PermitKind, PermitState
from police.aggregates.permit_application import ApplicationStatus, PermitApplication
from police.aggregates.report import ReportStatus
from police.app import PoliceApp, open_app
from police.cli import main
from police.demo_data import LOGINS
from police.settings import Settings
from police.token_terms import TokenScope, years_after
from police.workflow import CaseStatus, NoticeKind
from storage.local import LocalObjectStore


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("POLICE_DATA_DIR", str(tmp_path))
    for name in ("POSTGRES_DBNAME", "PERSISTENCE_MODULE", "SQLITE_DBNAME"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_the_demo_shows_every_part_of_the_product_and_prints_working_logins(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each brigade in many arrondissements, cases in every status, notices of every kind
    (stored, so that downloads and the verification page answer), an appeal at the legal desk,
    inspections in working hours; every login printed works."""
    # Half the default size (every PDF is rendered: a ticket's with it): the same mix.
    assert main(["demo", "--inspections", "150"]) == 0
    out = capsys.readouterr().out
    assert "Démo chargée : " in out
    for login in LOGINS:
        assert f"{login.username}" in out
        assert login.password in out
    app = open_app(Settings.from_env())
    try:
        for login in LOGINS:
            assert (
                app.log_in(login.username, login.password, source="test").username == login.username
            )
        assert {u.username for u in app.list_users()} == {login.username for login in LOGINS}
        notifications = app.recorder.select_notifications(start=1, limit=100_000)
        cases = [
            app.get_case(UUID(str(n.originator_id)))
            for n in notifications
            if n.topic.endswith("Case.Opened")
        ]
        assert {c.brigade for c in cases} == {"hygiene", "parking", "public_domain"}
        assert len({c.location["arrondissement"] for c in cases}) >= 8
        assert {c.status for c in cases} == set(CaseStatus)
        issued = [n for c in cases for n in c.notices]
        assert {n["kind"] for n in issued} == set(NoticeKind)
        store = LocalObjectStore(data_dir / "objects")
        assert all(store.read(n["key"]).startswith(b"%PDF") for n in issued)
        assert any(c.pending_appeal for c in cases)
        inspections = [
            app.get_inspection(UUID(str(n.originator_id)))
            for n in notifications
            if n.topic.endswith("Inspection.Recorded")
        ]
        # Some records a court could doubt, not most of them; each keeps the phone's own facts.
        flagged = [i for i in inspections if app.doubts(i)]
        assert 0 < len(flagged) < len(inspections) / 4
        assert all(i.sent_at is not None and i.opened_location for i in inspections)
        hours = {i.created_on.astimezone(app.territory.timezone).hour for i in inspections}
        assert min(hours) >= 8
        assert max(hours) <= 17
        permits_on_record(app, notifications, store)
        public_domain_checked_against_the_registry(inspections, cases)
        applications_in_every_status(app, out)
        reports_in_every_status_and_a_printed_code(app, out)
    finally:
        app.close()

    assert main(["demo", "--if-empty"]) == 0
    assert "Données déjà présentes" in capsys.readouterr().out


def applications_in_every_status(app: PoliceApp, out: str) -> None:
    """Today's online applications: a file in every status of the permits office's queue (a
    holder held for the fine it owes, a site visit reported, a permit granted and paid with its
    arrêté, another unpaid, a renewal of a paid permit ending within 30 days); the printed
    tracking link opens its file, which asks for documents."""
    count = re.search(r"(\d+) demandes en ligne", out)
    assert count is not None
    year = app.today().year
    files: list[PermitApplication] = []
    for n in range(1, int(count.group(1)) + 1):
        found = app.find_application(f"DEM-{year}-{n:06d}")
        assert found is not None, n
        files.append(found)
    assert len(files) >= 12
    assert {f.status for f in files} == set(ApplicationStatus)
    assert any(h["kind"] == "unpaid" for f in files for h in f.holds)
    reviewed = [f for f in files if f.status is ApplicationStatus.UNDER_REVIEW]
    assert any(f.answered for f in reviewed)
    assert any(f.visit and "report" in f.visit for f in reviewed)
    assert all(f.refusal for f in files if f.status is ApplicationStatus.REFUSED)
    permits = [app.find_permit(f.permit_number) for f in files if f.permit_number]
    states = {p.state_on(p.valid_from) for p in permits if p is not None}
    assert {PermitState.UNPAID, PermitState.VALID} <= states
    assert any(p.arretes for p in permits if p is not None and p.paid)
    renewed = [app.find_permit(f.renewal_of) for f in files if f.renewal_of]
    assert renewed
    assert all(p and p.paid and 0 <= (p.valid_until - app.today()).days <= 30 for p in renewed)
    link = re.search(r"http://127\.0\.0\.1:8000/demarches/suivi/([^/\s]+)/(\S+)", out)
    assert link is not None
    tracked = app.tracked_application(link.group(1), link.group(2))
    assert tracked is not None
    assert tracked.status is ApplicationStatus.INCOMPLETE


def reports_in_every_status_and_a_printed_code(app: PoliceApp, out: str) -> None:
    """Residents' reports in every status, the printed tracking link opening an inspected
    one; a notice's number and access code printed, opening its case, which may be contested."""
    count = re.search(r"(\d+) signalements", out)
    assert count is not None
    year = app.today().year
    reports = [app.find_report(f"SIG-{year}-{n:06d}") for n in range(1, int(count.group(1)) + 1)]
    assert {r.status for r in reports if r is not None} == set(ReportStatus)
    link = re.search(r"http://127\.0\.0\.1:8000/signaler/suivi/([^/\s]+)/(\S+)", out)
    assert link is not None
    tracked = app.tracked_report(link.group(1), link.group(2))
    assert tracked is not None
    assert tracked.status is ReportStatus.INFRACTION_FOUND
    printed = re.search(r"avis (\S+), code d'accès (\S+)", out)
    assert printed is not None
    number, code = printed.groups()
    issued = app.recorder.select_notifications(
        start=1, limit=100_000, topics=["police.aggregates.case:Case.NoticeIssued"]
    )
    case_ids = {UUID(str(n.originator_id)) for n in issued}
    opened = [c for c in case_ids if app.recipient_case(c, number, code_digest(code)) is not None]
    assert len(opened) == 1
    app.get_case(opened[0]).check_contestable(number)


def permits_on_record(
    app: PoliceApp, notifications: Sequence[Notification], store: LocalObjectStore
) -> None:
    """A few hundred permits of every kind in every arrondissement, billboards with their
    structure ids, held by subjects the brigades inspect; some expired, expiring, suspended,
    revoked, amended, renewed; a few arrêtés stored."""
    permits: list[Permit] = [
        app.repository.get(UUID(str(n.originator_id)))
        for n in notifications
        if n.topic.endswith("Permit.Granted")
    ]
    assert len(permits) >= 250
    assert {p.kind for p in permits} == set(PermitKind)
    assert len({p.location["arrondissement"] for p in permits}) == 16
    boards = [p for p in permits if p.kind == PermitKind.BILLBOARD]
    assert len(boards) >= 50
    assert all(re.fullmatch(r"CAS-PUB-\d{4}", p.structure_id or "") for p in boards)
    today = app.today()
    states = Counter(p.state_on(today) for p in permits)
    for state in (PermitState.EXPIRED, PermitState.EXPIRING, PermitState.SUSPENDED):
        assert 0 < states[state] < len(permits) / 4, state
    assert states[PermitState.REVOKED] > 0
    assert states[PermitState.VALID] > len(permits) / 2
    assert any(p.edition > 1 and p.dimensions for p in permits)  # amended
    assert any(p.outline for p in permits)
    kinds = {n.topic.rsplit(".", 1)[-1] for n in notifications if ":Permit." in n.topic}
    assert {"Amended", "Renewed", "Suspended", "Reinstated", "Revoked", "ArreteIssued"} <= kinds
    arretes = [a for p in permits for a in p.arretes.values()]
    assert 0 < len(arretes) <= 10
    assert all(store.read(a["key"]).startswith(b"%PDF") for a in arretes)
    holders = {p.holder_label for p in permits if p.kind == PermitKind.TERRACE}
    assert "Café Atlas" in holders  # a café the hygiene brigade inspects


def public_domain_checked_against_the_registry(
    inspections: list[Inspection], cases: list[Case]
) -> None:
    """The public-domain officer picked a permit nearby, typed a billboard's structure (some
    unknown), or found none; the excess, a narrow path, an expired or suspended permit and an
    unknown billboard became derived findings of cases."""
    checks = [i.permit_check for i in inspections if i.permit_check]
    assert {c["method"] for c in checks} == {"permit", "structure", "none"}
    assert any(c["method"] == "structure" and not c["known"] for c in checks)
    assert any(c["method"] == "permit" and c["excess_m2"] > 0 for c in checks)
    derived = {f["code"] for i in inspections for f in i.findings if f["derived"]}
    assert {"ODP-01", "ODP-02", "ODP-04", "ODP-07", "ODP-08"} <= derived
    opened_on_derived = [
        c for c in cases if c.brigade == "public_domain" and any(f["derived"] for f in c.findings)
    ]
    assert len(opened_on_derived) >= 5


def test_users_are_managed_from_the_shell(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "users",
                "create",
                "agent.nadia",
                "--name",
                "Nadia Ziani",
                "--role",
                "officer",
                "--brigade",
                "hygiene",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    password = out.split("Mot de passe initial : ")[1].strip()
    assert main(["users", "grant", "agent.nadia", "--brigade", "parking"]) == 0
    assert main(["users", "list"]) == 0
    assert "hygiene,parking" in capsys.readouterr().out
    app = open_app(Settings.from_env())
    try:
        assert app.log_in("agent.nadia", password, source="test").username == "agent.nadia"
    finally:
        app.close()
    assert main(["users", "deactivate", "agent.nadia", "--reason", "Mutation"]) == 0
    assert main(["users", "grant", "agent.nadia", "--role", "pilot"]) == 1
    assert "Refusé : Rôle inconnu" in capsys.readouterr().err
    with pytest.raises(SystemExit, match="Compte inconnu"):
        main(["users", "deactivate", "personne", "--reason", "x"])


def test_tokens_are_issued_listed_and_revoked_from_the_shell(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for username in ("sig.anfa", "sig.maarif"):
        assert main(["users", "create", username, "--name", "SIG", "--role", "supervisor"]) == 0
    assert main(["tokens", "create", "sig.anfa", "--label", "QGIS du SIG"]) == 0
    out = capsys.readouterr().out
    [token] = [line for line in out.splitlines() if line.startswith("pat_")]
    assert "il ne sera plus jamais affiché" in out
    key = token.split("_")[2]
    app = open_app(Settings.from_env())
    try:
        today = app.today()
    finally:
        app.close()
    in_a_year, in_a_month = years_after(today, 1), today + timedelta(days=30)
    assert (
        main(
            [
                *("tokens", "create", "sig.maarif", "--label", "Poste 2"),
                *("--scope", "ogc", "--expires", in_a_month.isoformat()),
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["tokens", "list", "sig.anfa"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith(key)
    assert "sig.anfa" in line
    assert "QGIS du SIG" in line
    assert " ogc,open311 " in line
    assert f"expire le {in_a_year}  jamais utilisé  actif" in line
    assert line.endswith("actif")
    assert token not in line
    app = open_app(Settings.from_env())
    try:
        assert app.authenticate_token(token, TokenScope.OGC).username == "sig.anfa"
    finally:
        app.close()
    assert main(["tokens", "list", "sig.anfa"]) == 0
    assert f"expire le {in_a_year}  utilisé le {today}  actif" in capsys.readouterr().out
    assert main(["tokens", "list", "sig.maarif"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert " ogc " in line
    assert f"expire le {in_a_month}  jamais utilisé  actif" in line

    assert main(["tokens", "revoke", key]) == 0
    assert capsys.readouterr().out == f"Jeton {key} révoqué.\n"
    assert main(["tokens", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert "révoqué le" in lines[0]
    assert lines[1].endswith("actif")
    assert main(["tokens", "revoke", key]) == 1
    assert "Refusé : Le jeton" in capsys.readouterr().err
    assert main(["tokens", "revoke", "0123456789ab"]) == 1
    assert "Refusé : Aucun jeton" in capsys.readouterr().err
    with pytest.raises(SystemExit, match="Compte inconnu"):
        main(["tokens", "create", "personne", "--label", "x"])
    assert main(["tokens", "create", "sig.anfa", "--label", "x", "--scope", "wfs"]) == 1
    assert "Refusé : Portée de jeton inconnue : « wfs »" in capsys.readouterr().err
    too_late = years_after(today, 2) + timedelta(days=1)
    assert main(["tokens", "create", "sig.anfa", "--label", "x", "--expires", f"{too_late}"]) == 1
    assert "Refusé : Un jeton expire au plus tard dans deux ans" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["tokens", "create", "sig.anfa", "--label", "x", "--expires", "31/12/2027"])
    assert "date invalide (AAAA-MM-JJ)" in capsys.readouterr().err


def test_a_bad_setting_is_reported_not_a_traceback(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POSTGRES_DBNAME", "police")
    monkeypatch.setenv("POSTGRES_PORT", "cinq")
    assert main(["users", "list"]) == 2
    assert "POSTGRES_PORT='cinq'" in capsys.readouterr().err
