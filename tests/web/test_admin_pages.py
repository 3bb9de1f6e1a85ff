"""The administration's read-only pages. Reference data: the catalogue's versions with the one in
force today marked, a version's entries (label, legal basis, fine, deadline) with how many
inspections cited each under it, and the territory. The system: the readiness checks, the read
models' lag, the object store, and the last backup and verification as the command line
recorded them ("never" before the first). Only admins reach them."""

from __future__ import annotations

import html
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from police import clock
from police.app import PoliceApp
from police.submission import Finding
from storage.evidence import store_photo
from storage.local import LocalObjectStore
from tests.police import builders
from tests.police.builders import Staff, event_count
from tests.storage import photos
from tests.web.conftest import log_in
from web.backup import BackupError
from web.photos import evidence_of
from web.upkeep import backed_up, verified

IN_2025 = datetime(2025, 6, 16, 10, 0, tzinfo=UTC)  # catalogue 2025.1 in force, 2026.1 to come
IN_2026 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # 2026.1 in force, amending 2025.1
REFUSED = "Cette page n'est pas ouverte à votre rôle."


def text_of(client: TestClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return html.unescape(response.text)


def part(page: str, start: str, end: str = "</tr>") -> str:
    return page.split(start)[1].split(end)[0]


# --- reference data --------------------------------------------------------------------------


def test_the_version_in_force_today_is_marked_and_the_later_one_listed(
    client: TestClient, staff: Staff
) -> None:
    log_in(client, "admin")
    with clock.frozen_at(IN_2025):
        page = text_of(client, "/admin/reference")
    in_force = part(page, 'id="version-2025.1"')
    assert "1 janvier 2025" in in_force
    assert "En vigueur aujourd'hui" in in_force
    later = part(page, 'id="version-2026.1"')
    assert "1 janvier 2026" in later
    assert "À venir" in later
    assert "En vigueur aujourd'hui" not in later
    assert page.count("En vigueur aujourd'hui") == 1
    # By default, the entries of the version in force: double parking at 500 MAD then.
    assert "Version 2025.1 : ses infractions" in page
    assert "500,00 MAD" in part(page, 'id="entry-STA-03"')

    with clock.frozen_at(IN_2025):
        later_page = text_of(client, "/admin/reference?version=2026.1")
    assert "Version 2026.1 : ses infractions" in later_page
    assert "700,00 MAD" in part(later_page, 'id="entry-STA-03"')  # amended in 2026
    assert 'id="entry-ODP-11"' in later_page  # added in 2026
    assert 'id="entry-ODP-11"' not in page
    assert "En vigueur aujourd'hui" in part(later_page, 'id="version-2025.1"')


def test_once_amended_the_earlier_version_is_listed_and_the_new_one_marked(
    client: TestClient, staff: Staff
) -> None:
    log_in(client, "admin")
    with clock.frozen_at(IN_2026):
        page = text_of(client, "/admin/reference")
    assert "En vigueur aujourd'hui" in part(page, 'id="version-2026.1"')
    earlier = part(page, 'id="version-2025.1"')
    assert "Modifiée depuis" in earlier
    assert "En vigueur aujourd'hui" not in earlier
    assert page.count("En vigueur aujourd'hui") == 1
    assert "Version 2026.1 : ses infractions" in page


def test_an_entry_shows_its_label_legal_basis_fine_and_deadline(
    client: TestClient, staff: Staff
) -> None:
    log_in(client, "admin")
    with clock.frozen_at(IN_2025):
        page = text_of(client, "/admin/reference")
    staff_without_certificate = part(page, 'id="entry-HYG-05"')
    assert "Personnel manipulant des denrées sans certificat médical d'aptitude" in (
        staff_without_certificate
    )
    assert "Loi n° 28-07 relative à la sécurité sanitaire des produits alimentaires" in (
        staff_without_certificate
    )
    assert "1\u202f000,00 MAD / unité" in staff_without_certificate  # per person found
    assert "15 jours" in staff_without_certificate
    hygiene = page.split('id="entries-hygiene"')[1].split("</table>")[0]
    assert "Salubrité publique" in hygiene
    assert 'id="entry-STA-03"' not in hygiene  # parking's entries in their own table

    client.get("/lang/ar")
    with clock.frozen_at(IN_2025):
        arabic = text_of(client, "/admin/reference")
    assert "مستخدمون يتداولون المواد الغذائية بدون شهادة طبية للأهلية" in part(
        arabic, 'id="entry-HYG-05"'
    )


def test_each_entry_counts_the_inspections_that_cited_it_under_that_version(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    with clock.frozen_at(IN_2025):
        for officer in (staff.hygiene_officer, staff.hygiene_officer_2):
            cited = builders.hygiene(observed_at=IN_2025, findings=(Finding("HYG-02"),))
            police.record_inspection(cited, officer)
    log_in(client, "admin")
    with clock.frozen_at(IN_2025):
        page = text_of(client, "/admin/reference")
        later = text_of(client, "/admin/reference?version=2026.1")
    cited_cell = part(part(page, 'id="entry-HYG-02"'), 'class="citations">', "</td>")
    assert cited_cell.startswith('<a href="/admin/reference/2025.1/HYG-02"')
    assert '">2<span class="visually-hidden">' in cited_cell
    assert part(part(page, 'id="entry-HYG-03"'), 'class="citations">', "</td>") == "0"
    assert part(part(later, 'id="entry-HYG-02"'), 'class="citations">', "</td>") == "0"


def test_an_entrys_count_opens_the_inspections_that_cited_it_with_their_cases(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    with clock.frozen_at(IN_2025):
        receipts = [
            police.record_inspection(
                builders.hygiene(observed_at=IN_2025, findings=(Finding("HYG-02"),)), officer
            )
            for officer in (staff.hygiene_officer, staff.hygiene_officer_2)
        ]
        police.record_inspection(
            builders.hygiene(observed_at=IN_2025, findings=(Finding("HYG-03"),)),
            staff.hygiene_officer,
        )
    log_in(client, "admin")
    page = text_of(client, "/admin/reference/2025.1/HYG-02")
    assert page.count("<tr>") == 3  # the heading's row and the two inspections, not the third
    assert "Agent Hygiene2" in page
    for receipt in receipts:
        assert f'href="/cases/{receipt.case_id}"' in page
    assert client.get("/admin/reference/2025.1/XXX-99").status_code == 404
    assert client.get("/admin/reference/1999.1/HYG-02").status_code == 404


def test_the_territory_lists_its_arrondissements_by_prefecture_and_the_routine_visits(
    client: TestClient, staff: Staff
) -> None:
    log_in(client, "admin")
    page = text_of(client, "/admin/reference")
    territory = page.split('id="territory"')[1]
    assert "16 arrondissements, par préfecture" in territory
    anfa = territory.split("Préfecture <bdi")[1].split("</tbody>")[0]
    assert "Casablanca-Anfa" in anfa
    assert "الدار البيضاء - أنفا" in anfa
    maarif = part(anfa, 'id="arrondissement-maarif"')
    assert "Maârif" in maarif
    assert "المعاريف" in maarif
    routine = territory.split('id="routine-visit-days"')[1].split("</table>")[0]
    assert "tous les 90 jours" in part(routine, '<th scope="row">A</th>')
    assert "tous les 730 jours" in part(routine, '<th scope="row">E</th>')


def test_an_unknown_version_is_not_found(client: TestClient, staff: Staff) -> None:
    log_in(client, "admin")
    response = client.get("/admin/reference?version=1999.9")
    assert response.status_code == 404
    assert "Version du catalogue inconnue : « 1999.9 »." in html.unescape(response.text)


# --- the system ------------------------------------------------------------------------------


def test_the_system_page_lists_the_checks_and_says_never_before_the_first_backup(
    client: TestClient, staff: Staff
) -> None:
    log_in(client, "admin")
    page = text_of(client, "/admin/system")
    for name in ("event_store", "object_store", "read_models"):
        assert "Disponible" in part(page, f'id="check-{name}"'), name
    assert "Journal d'événements" in part(page, 'id="check-event_store"')
    assert "events" in part(page, 'id="check-event_store"')
    assert "lag" in part(page, 'id="check-read_models"')
    assert "Dossier local" in page
    assert "Jamais lancée" in part(page, 'id="last-backup"')
    assert "Jamais lancée" in part(page, 'id="last-verification"')
    assert 'id="projection-lag"' in page


def test_the_last_backup_shows_its_date_actor_and_counts_and_a_failed_verify_is_shown_failed(
    client: TestClient,
    police: PoliceApp,
    staff: Staff,
    objects: LocalObjectStore,
    tmp_path: Path,
) -> None:
    photo = evidence_of(store_photo(objects, io.BytesIO(photos.jpeg_with_exif())))
    police.record_inspection(builders.hygiene(evidence=(photo,)), staff.hygiene_officer)
    events = event_count(police)
    with clock.frozen_at(datetime(2026, 12, 1, 2, 30, tzinfo=UTC)):  # 03:30 in Casablanca
        backed_up(police, objects, tmp_path / "backup")
    (objects.root / photo.key).unlink()  # the original photo lost since
    with clock.frozen_at(datetime(2026, 12, 2, 2, 45, tzinfo=UTC)):
        report = verified(police, objects)
    assert not report.intact

    log_in(client, "admin")
    page = text_of(client, "/admin/system")
    backup = part(page, 'id="last-backup"')
    assert "1 déc. 2026, 03:30" in backup
    assert "Système" in backup  # the command line's actor
    assert "Réussie" in backup
    # The photo, its thumbnail and its display copy.
    assert f"Sauvegarde faite : {events} événements, 3 objets, dans {tmp_path / 'backup'}" in (
        backup
    )
    verification = part(page, 'id="last-verification"')
    assert "2 déc. 2026, 03:45" in verification
    assert "Échouée" in verification
    assert "Réussie" not in verification
    assert "Vérification échouée : 1 objets relus, 1 manquants, 0 altérés" in verification


def test_a_backup_that_could_not_be_made_is_shown_failed_with_its_reason(
    client: TestClient, police: PoliceApp, staff: Staff, objects: LocalObjectStore, tmp_path: Path
) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "autre.txt").write_text("déjà là")
    with pytest.raises(BackupError, match="n'est pas vide"):
        backed_up(police, objects, busy)
    log_in(client, "admin")
    backup = part(text_of(client, "/admin/system"), 'id="last-backup"')
    assert "Échouée" in backup
    assert f"Sauvegarde échouée : {busy} n'est pas vide" in backup


# --- who reaches them ------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["agent.hygiene", "chef.hygiene"])
@pytest.mark.parametrize("path", ["/admin/reference", "/admin/system"])
def test_officers_and_supervisors_are_refused_the_administration(
    client: TestClient, staff: Staff, username: str, path: str
) -> None:
    log_in(client, username)
    response = client.get(path)
    assert response.status_code == 403
    assert REFUSED in html.unescape(response.text)


@pytest.mark.parametrize("path", ["/admin/reference", "/admin/system"])
def test_an_anonymous_visitor_is_sent_to_log_in(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert (response.status_code, response.headers["location"]) == (303, f"/login?next={path}")
