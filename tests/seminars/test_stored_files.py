"""Downloads through the store, whatever it is: X-Accel-Redirect addresses for nginx, and a
store that cannot be reached. "Unreachable" here is real: an S3 store configured on a port
nothing listens on, so boto3 meets a refused connection (tests/integration/test_shared_store.py
runs the same against a real S3-protocol server)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from config.store import s3_storage
from programs import stored_files
from seminars.models import Material
from seminars.services import seminars as seminar_services
from seminars.services.common import TripRefused

PDF = b"%PDF-1.4\n%%EOF\n"


def s3_nowhere():
    """The production settings' store (config/store.py) on a port nothing listens on."""
    return {
        "default": s3_storage(
            "kenshu",
            endpoint_url="http://127.0.0.1:9",
            region="ap-northeast-1",
            access_key="key",
            secret_key="secret",
            addressing_style="path",
            connect_timeout=1,
        ),
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def material(seminar, coordinator):
    return seminar_services.add_material(
        seminar, SimpleUploadedFile("資料.pdf", PDF), by=coordinator
    )


def material_url(material):
    seminar = material.seminar
    return reverse("seminars:material_download", args=[seminar.program_id, seminar.pk, material.pk])


def test_streamed_by_default(client, coordinator, material):
    client.force_login(coordinator)
    response = client.get(material_url(material))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "X-Accel-Redirect" not in response
    assert response["Cache-Control"] == "private, no-store"


def test_behind_nginx_a_disk_file_is_handed_over_after_the_check(
    client, coordinator, outsider, material, settings, tmp_path
):
    settings.KENSHU_ACCEL_REDIRECT = True
    client.force_login(coordinator)
    response = client.get(material_url(material))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == "/_protected/store/media/" + material.file.name
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''%E8%B3%87%E6%96%99.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    # Where the file is on disk, nginx's alias of MEDIA_ROOT.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = str(tmp_path)
    from django.core.files.storage import default_storage

    name = default_storage.save("seminar-materials/a.pdf", ContentFile(PDF))
    Material.objects.filter(pk=material.pk).update(file=name)
    response = client.get(material_url(material))
    assert response["X-Accel-Redirect"] == "/_protected/media/seminar-materials/a.pdf"
    # Nobody else is handed anything.
    client.force_login(outsider)
    assert client.get(material_url(material)).status_code == 404


def test_behind_nginx_a_stored_file_gets_a_signed_address_that_lives_a_minute(settings):
    settings.STORAGES = s3_nowhere()
    from django.core.files.storage import default_storage

    location = stored_files.accel_location(default_storage, "reports/abc.pdf")
    path, _, query = location.partition("?")
    assert path == "/_protected/store/kenshu/media/reports/abc.pdf"
    signed = parse_qs(query)
    assert signed["X-Amz-Expires"] == ["60"] and signed["X-Amz-Signature"]
    assert urlsplit(location).netloc == ""  # never an address the browser could keep


def test_a_store_that_cannot_be_reached_is_a_clear_503(client, coordinator, material, settings):
    settings.STORAGES = s3_nowhere()
    client.force_login(coordinator)
    with translation.override("ja"):
        response = client.get(material_url(material))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "ファイルを取り出せません" in response.content.decode()


def test_an_upload_the_store_refuses_says_so_on_the_field_and_adds_nothing(
    seminar, coordinator, settings
):
    settings.STORAGES = s3_nowhere()
    with translation.override("en"), pytest.raises(TripRefused) as refused:
        seminar_services.add_material(seminar, SimpleUploadedFile("a.pdf", PDF), by=coordinator)
    assert refused.value.field == "file"
    assert "file store is not answering" in refused.value.message
    assert not Material.objects.exists()


@pytest.mark.django_db
def test_health_names_the_store(client, settings):
    settings.STORAGES = s3_nowhere()
    response = client.get(reverse("programs:healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["store"].startswith("error") and body["database"] == "ok"
