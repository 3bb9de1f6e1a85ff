"""Photos sent with an inspection: stored before the event is recorded, shown back only to who
may see the inspection, refused with a message by the field when they are not photos, and a
clear 503 recording nothing when the object store is down."""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from police.app import PoliceApp
from police.settings import Settings
from storage import open_store
from storage.local import LocalObjectStore
from tests.conftest import app_settings_on_s3, police_on, s3_env
from tests.police.builders import Staff, event_count
from tests.seaweed import SeaweedS3
from tests.storage import photos
from tests.storage.conftest import stored_keys
from tests.web.conftest import log_in
from tests.web.test_officer_pages import post
from web.app import create_app

TICKET = {"brigade": "parking", "plate": "48213-B-6", "finding": "STA-02"}


def send(client: TestClient, token: str, *files: tuple[str, bytes], **kwargs: Any) -> Any:
    uploads = [("photos", (name, io.BytesIO(data), "image/jpeg")) for name, data in files]
    return post(client, token, TICKET, files=uploads, **kwargs)


def test_photo_is_stored_attached_and_served_to_its_officer(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "agent.stationnement")
    jpeg = photos.jpeg_with_exif()
    response = send(client, token, ("IMG_0042.jpg", jpeg))
    assert response.status_code == 303

    receipt = client.get(response.headers["location"])
    inspection_id = response.headers["location"].rsplit("/", 1)[1]
    sha = hashlib.sha256(jpeg).hexdigest()
    assert f"/evidence/{inspection_id}/{sha}/thumbnail" in receipt.text
    inspection = police.get_inspection(uuid.UUID(inspection_id))
    assert [e["sha256"] for e in inspection.evidence] == [sha]
    assert inspection.evidence[0]["captured_at"] is not None
    assert inspection.evidence[0]["latitude"] == pytest.approx(photos.LATITUDE, abs=1e-4)

    shown = client.get(f"/evidence/{inspection_id}/{sha}")
    assert shown.status_code == 200
    assert shown.content[8:12] == b"WEBP"  # a rendition to look at, not the file received
    assert shown.headers["content-type"] == "image/webp"
    original = client.get(f"/evidence/{inspection_id}/{sha}/original")
    assert original.status_code == 200
    assert original.content == jpeg
    assert original.headers["content-type"] == "application/octet-stream"
    assert original.headers["content-disposition"] == (
        f'attachment; filename="photo-{sha[:16]}.jpg"'
    )
    thumb = client.get(f"/evidence/{inspection_id}/{sha}/thumbnail")
    assert thumb.status_code == 200
    assert thumb.content[8:12] == b"WEBP"


def uploaded_bytes(client: TestClient) -> float:
    found = re.search(r"^police_upload_bytes_total ([0-9.e+]+)$", client.get("/metrics").text, re.M)
    assert found, "the counter is exported"
    return float(found.group(1))


def test_the_bytes_of_stored_photos_are_counted_in_the_metrics(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "agent.stationnement")
    before = uploaded_bytes(client)
    jpeg = photos.jpeg_with_exif()
    assert send(client, token, ("a.jpg", jpeg)).status_code == 303
    assert uploaded_bytes(client) - before == len(jpeg)


def jpeg_carrying_html() -> bytes:
    """A real photo with a script in a comment segment and an HTML page after its image data:
    what a browser sniffing it might run."""
    jpeg = photos.jpeg_with_exif()
    script = b"<script>alert(document.cookie)</script>"
    comment = b"\xff\xfe" + (len(script) + 2).to_bytes(2, "big") + script
    return jpeg[:2] + comment + jpeg[2:] + b"<html><body>" + script + b"</body></html>"


def test_a_photo_carrying_html_is_kept_exactly_but_shown_only_as_pixels(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "agent.stationnement")
    hostile = jpeg_carrying_html()
    response = send(client, token, ("IMG_0007.jpg", hostile))
    assert response.status_code == 303  # trailing data is no reason to refuse (motion photos)
    inspection_id = response.headers["location"].rsplit("/", 1)[1]
    sha = hashlib.sha256(hostile).hexdigest()
    [recorded] = police.get_inspection(uuid.UUID(inspection_id)).evidence
    assert recorded["sha256"] == sha  # the evidence is the file received, byte for byte

    for path in (f"/evidence/{inspection_id}/{sha}", f"/evidence/{inspection_id}/{sha}/thumbnail"):
        shown = client.get(path)
        assert shown.status_code == 200
        assert shown.content[8:12] == b"WEBP"
        assert b"<script" not in shown.content
        assert b"<html" not in shown.content
        assert b"Exif" not in shown.content  # no metadata either
    original = client.get(f"/evidence/{inspection_id}/{sha}/original")
    assert hashlib.sha256(original.content).hexdigest() == sha
    assert original.headers["content-type"] == "application/octet-stream"
    assert original.headers["content-disposition"].startswith("attachment;")
    assert original.headers["x-content-type-options"] == "nosniff"


def test_a_photo_stored_before_renditions_is_shown_from_one_made_on_first_view(
    client: TestClient, police: PoliceApp, settings: Settings, staff: Staff
) -> None:
    token = log_in(client, "agent.stationnement")
    jpeg = photos.jpeg_with_exif(colour="#2e86c1")
    inspection_id = send(client, token, ("a.jpg", jpeg)).headers["location"].rsplit("/", 1)[1]
    sha = hashlib.sha256(jpeg).hexdigest()
    store = open_store(settings.objects)
    assert isinstance(store, LocalObjectStore)
    store._path(f"displays/{sha}.webp").unlink()  # as an older intake left it
    shown = client.get(f"/evidence/{inspection_id}/{sha}")
    assert shown.status_code == 200
    assert shown.content[8:12] == b"WEBP"
    assert store.read(f"displays/{sha}.webp") == shown.content


def test_photos_are_hidden_from_other_brigades_and_strangers(
    client: TestClient, staff: Staff
) -> None:
    token = log_in(client, "agent.stationnement")
    jpeg = photos.jpeg_with_exif()
    location = send(client, token, ("a.jpg", jpeg)).headers["location"]
    url = f"/evidence/{location.rsplit('/', 1)[1]}/{hashlib.sha256(jpeg).hexdigest()}"
    client.post("/logout", data={"csrf_token": token})

    assert client.get(url).status_code == 303  # to the login page
    log_in(client, "agent.hygiene")
    assert client.get(url).status_code == 404
    assert client.get(url + "/thumbnail").status_code == 404
    client.cookies.clear()
    log_in(client, "juriste")
    assert client.get(url).status_code == 200
    other = hashlib.sha256(b"another photo").hexdigest()
    assert client.get(url.rsplit("/", 1)[0] + "/" + other).status_code == 404


def test_a_text_file_renamed_jpg_is_refused_by_the_field_and_nothing_is_kept(
    client: TestClient, police: PoliceApp, settings: Settings, staff: Staff
) -> None:
    token = log_in(client, "agent.stationnement")
    before = event_count(police)
    response = send(client, token, ("photo.jpg", b"GIF89a? no: just text\n" * 50))

    assert response.status_code == 400
    assert "n&#39;est pas une photo" in response.text or "n'est pas une photo" in response.text
    assert 'value="48213-B-6"' in response.text  # what the officer typed is kept
    assert event_count(police) == before
    assert stored_keys(open_store(settings.objects)) == []


def test_a_refused_form_keeps_none_of_its_good_photos(
    client: TestClient, police: PoliceApp, settings: Settings, staff: Staff
) -> None:
    """The form is checked before its photos are stored: no orphan object for what was refused."""
    token = log_in(client, "agent.stationnement")
    before = event_count(police)
    uploads = [("photos", ("a.jpg", io.BytesIO(photos.jpeg_with_exif()), "image/jpeg"))]
    response = post(client, token, {**TICKET, "plate": "A"}, files=uploads)

    assert response.status_code == 400
    assert "Immatriculation « A » non reconnue" in response.text
    assert event_count(police) == before
    assert stored_keys(open_store(settings.objects)) == []


def test_a_hundred_megabyte_photo_is_refused_by_the_field(
    client: TestClient, police: PoliceApp, settings: Settings, staff: Staff
) -> None:
    token = log_in(client, "agent.stationnement")
    before = event_count(police)
    huge = photos.jpeg_with_exif() + bytes(100 * 1024 * 1024)
    response = send(client, token, ("huge.jpg", huge), headers={"Accept": "application/json"})

    assert response.status_code == 400
    assert "dépasse 60 Mo" in response.json()["errors"]["photos"]
    assert event_count(police) == before
    assert stored_keys(open_store(settings.objects)) == []


def test_object_store_down_gives_a_clear_503_and_records_nothing(
    tmp_path: Path, store_env: dict[str, str], staff: Staff
) -> None:
    server = SeaweedS3(tmp_path / "weed").start()
    settings = app_settings_on_s3(tmp_path, server)
    police = police_on(store_env, open_store(settings.objects))
    try:
        with TestClient(create_app(settings, police=police), follow_redirects=False) as client:
            token = log_in(client, "agent.stationnement")
            server.stop()
            before = event_count(police)
            response = send(
                client,
                token,
                ("a.jpg", photos.jpeg_with_exif()),
                headers={"Accept": "application/json"},
            )
            assert response.status_code == 503
            assert "ne répond pas" in response.json()["error"]
            assert event_count(police) == before
    finally:
        server.stop()
        police.close()


def test_photos_reach_the_s3_store_through_the_form(
    tmp_path: Path, store_env: dict[str, str], staff: Staff, seaweed: SeaweedS3
) -> None:
    settings = Settings.from_env({"POLICE_DATA_DIR": str(tmp_path)} | s3_env(seaweed))
    store = open_store(settings.objects)
    police = police_on(store_env, store)
    with (
        police,
        TestClient(
            create_app(settings, police=police, store=store), follow_redirects=False
        ) as client,
    ):
        token = log_in(client, "agent.stationnement")
        jpeg = photos.jpeg_with_exif(colour="#1abc9c")
        location = send(client, token, ("a.jpg", jpeg)).headers["location"]
        sha = hashlib.sha256(jpeg).hexdigest()
        served = client.get(f"/evidence/{location.rsplit('/', 1)[1]}/{sha}/original")

    assert served.content == jpeg
    assert f"evidence/{sha}" in stored_keys(store)


def test_every_view_of_an_inspection_or_photo_is_recorded(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "agent.stationnement")
    jpeg = photos.jpeg_with_exif()
    location = send(client, token, ("a.jpg", jpeg)).headers["location"]
    inspection_id = uuid.UUID(location.rsplit("/", 1)[1])
    sha = hashlib.sha256(jpeg).hexdigest()
    client.get(location)
    client.post("/logout", data={"csrf_token": token})
    log_in(client, "juriste")
    client.get(f"/evidence/{inspection_id}/{sha}")
    client.get(f"/evidence/{inspection_id}/{'0' * 64}")  # refused: not a view

    today = police.today()
    assert police.views_by(staff.parking_officer, today) == [("inspection", inspection_id, "")]
    assert police.views_by(staff.legal, today) == [("evidence", inspection_id, sha)]
