"""Files on several machines: two web nodes and a worker, each with its own local folder,
share one S3-protocol store (moto's standalone server, a real HTTP server speaking S3), one
PostgreSQL and one Redis. A material uploaded through one node and a report built by the
worker are both downloaded through the other; an outsider still gets 404; a store that stops
answering gives a clear page and message, and the build waits and is tried again."""

import re

import pytest
from django.urls import reverse

from bench.s3server import s3_server
from reports.models import Report
from seminars.models import Material, Seminar

from ..reports import world as w
from .conftest import celery_worker, csrf_post, signed_in, wait_for, web_node, worker_env

pytestmark = pytest.mark.integration

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + "資料".encode() * 100


@pytest.fixture
def cluster(tmp_path, settings):
    """The store, and what every process of the cluster shares (database, Redis, secret)."""
    env = worker_env()
    with s3_server(tmp_path / "store") as store:
        shared = {
            **env,
            **store.env,
            "SECRET_KEY": settings.SECRET_KEY,
            # A store that stops answering is noticed in seconds; a build waits 1 s to retry.
            "STORAGE_READ_TIMEOUT": "2",
            "STORAGE_CONNECT_TIMEOUT": "2",
            "KENSHU_RETRY_BASE_SECONDS": "1",
        }
        yield store, shared


@pytest.mark.django_db(transaction=True)
def test_two_web_nodes_and_a_worker_share_one_store(
    cluster, tmp_path, client, host, coordinator, trainee, other_trainee, outsider
):
    store, shared = cluster
    finished = w.build(host, coordinator, trainee, other_trainee)
    program = finished.program
    seminar = Seminar.objects.filter(program=program).first()
    client.force_login(coordinator)
    with (
        web_node(shared, tmp_path, "web-a") as node_a,
        web_node(shared, tmp_path, "web-b") as node_b,
        celery_worker(shared, tmp_path, "worker"),
    ):
        on_a, on_b = signed_in(client, node_a), signed_in(client, node_b)

        # A material, uploaded through node A.
        upload = reverse("seminars:material_upload", args=[program.pk, seminar.pk])
        response = csrf_post(
            on_a, node_a + upload, files={"file": ("セミナー資料.pdf", PDF, "application/pdf")}
        )
        assert response.status_code == 200, response.text[-2000:]
        material = Material.objects.get(seminar=seminar)
        assert f"media/{material.file.name}" in store.objects()

        # A report, asked for on node A and built by the worker (its own folder).
        response = csrf_post(
            on_a, node_a + reverse("reports:program_report_pdf", args=[program.pk])
        )
        assert response.status_code == 200
        report = wait_for(lambda: Report.objects.filter(state="done").first(), timeout=120)
        assert report is not None, (tmp_path / "worker.log").read_text()[-3000:]
        assert f"media/{report.file.name}" in store.objects()

        # Both downloaded through node B, whose folder holds neither.
        material_url = node_b + reverse(
            "seminars:material_download", args=[program.pk, seminar.pk, material.pk]
        )
        report_url = node_b + reverse("reports:report_download", args=[report.pk])
        got = on_b.get(material_url, timeout=30)
        assert got.status_code == 200 and got.content == PDF
        assert got.headers["Cache-Control"] == "private, no-store"
        got = on_b.get(report_url, timeout=30)
        assert got.status_code == 200 and got.content.startswith(b"%PDF-")
        assert len(got.content) == report.size
        for name in ("web-a", "web-b", "worker"):
            assert not any((tmp_path / name / "media").rglob("*.pdf")), name

        # Someone of another host: 404 for both, on either node.
        client.logout()
        client.force_login(outsider)
        stranger = signed_in(client, node_b)
        assert stranger.get(material_url, timeout=30).status_code == 404
        assert stranger.get(report_url, timeout=30).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_store_that_stops_answering(
    cluster, tmp_path, client, host, coordinator, trainee, other_trainee
):
    store, shared = cluster
    finished = w.build(host, coordinator, trainee, other_trainee)
    program = finished.program
    seminar = Seminar.objects.filter(program=program).first()
    client.force_login(coordinator)
    with web_node(shared, tmp_path, "web") as node, celery_worker(shared, tmp_path, "worker"):
        session = signed_in(client, node)
        upload = node + reverse("seminars:material_upload", args=[program.pk, seminar.pk])
        csrf_post(session, upload, files={"file": ("before.pdf", PDF, "application/pdf")})
        material = Material.objects.get()
        store.pause()
        try:
            # The health check says which part is down (once its 5 s memory has passed).
            health = wait_for(
                lambda: (
                    (r := session.get(node + "/healthz", timeout=30)).status_code == 503
                    and r.json()
                ),
                timeout=30,
            )
            assert health, "healthz did not notice the store had stopped"
            assert health["store"].startswith("error") and health["database"] == "ok"

            # A download: a page that says so, not a server error.
            got = session.get(
                node
                + reverse("seminars:material_download", args=[program.pk, seminar.pk, material.pk]),
                timeout=60,
            )
            assert got.status_code == 503
            assert "ファイルを取り出せません" in got.text
            assert got.headers["Retry-After"] == "30"

            # An upload: the message next to the file field; nothing half-written.
            page = csrf_post(
                session, upload, files={"file": ("during.pdf", PDF, "application/pdf")}
            )
            assert page.status_code == 200
            field = re.search(r'id="id_file_error".*?</', page.text, re.S)
            assert field and "ファイルの保存先が応答していません" in field.group(0), page.text[
                -3000:
            ]
            assert Material.objects.count() == 1

            # A build: tried, recorded as waiting with the store's error, not failed.
            csrf_post(session, node + reverse("reports:program_report_pdf", args=[program.pk]))
            waiting = wait_for(
                lambda: Report.objects.filter(state="queued").exclude(error="").first(),
                timeout=90,
            )
            assert waiting is not None, (tmp_path / "worker.log").read_text()[-3000:]
        finally:
            store.resume()
        # Tried again once the store answers: built, and stored there.
        done = wait_for(lambda: Report.objects.filter(state="done").first(), timeout=120)
        assert done is not None, (tmp_path / "worker.log").read_text()[-3000:]
        assert done.attempts >= 2 and done.error == ""
        assert f"media/{done.file.name}" in store.objects()
        assert wait_for(
            lambda: session.get(node + "/healthz", timeout=30).status_code == 200, timeout=30
        )
