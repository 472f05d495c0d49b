"""A real worker process takes tasks from a real broker: the embedded SQLite broker that
`make run` uses, and Redis as in production."""

import email
import re

import pytest

from programs.models import Invitation, Role
from programs.services.invitations import create_invitation

from .conftest import (
    celery_worker,
    client_app,
    queued_for_real,
    redis_url,
    wait_for,
    worker_env,
)

pytestmark = pytest.mark.integration


def ping_through(app, timeout=90):
    result = app.send_task("programs.tasks.ping", args=["hello"])
    return result.get(timeout=timeout)


def test_embedded_broker_needs_no_server(tmp_path):
    broker = f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"
    backend = f"db+sqlite:///{tmp_path / 'results.sqlite3'}"
    with celery_worker(
        {"CELERY_BROKER_URL": broker, "CELERY_RESULT_BACKEND": backend, "REDIS_URL": ""}, tmp_path
    ):
        reply = ping_through(client_app(broker, backend))
    assert reply["value"] == "hello"


def test_redis_broker(tmp_path):
    url = redis_url()
    with celery_worker({"REDIS_URL": url}, tmp_path):
        reply = ping_through(client_app(url, url))
    assert reply["value"] == "hello"


@pytest.mark.django_db(transaction=True)
def test_invitation_email_goes_through_the_worker_after_commit(
    tmp_path, coordinator, host, settings
):
    """The web side commits an invitation; the worker, a separate process on the same
    PostgreSQL and Redis, reads it and writes the email."""
    mail_dir = tmp_path / "mail"
    env = worker_env(EMAIL_URL="filemail://", EMAIL_FILE_PATH=str(mail_dir))
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with queued_for_real(env["REDIS_URL"]), celery_worker(env, tmp_path):
        invitation = create_invitation(
            invited_by=coordinator, email="w@example.org", role=Role.STAFF, host_company=host
        )
        files = wait_for(lambda: list(mail_dir.glob("*.log")), timeout=90)
    assert len(files) == 1, (tmp_path / "w1.log").read_text()
    message = email.message_from_string(files[0].read_text())
    assert message["To"] == "w@example.org"
    body = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    token = re.search(r"/invitations/([\w-]+)/", body.get_payload(decode=True).decode()).group(1)
    assert Invitation.objects.get(pk=invitation.pk).token_hash == Invitation.hash_token(token)


@pytest.mark.django_db(transaction=True)
def test_a_roster_file_is_read_by_the_worker_not_the_web_request(
    tmp_path, client, program, coordinator, tagawa, settings
):
    """The upload answers at once with the reading page; a worker process (PostgreSQL, Redis)
    reads the 2 KB sheet that claims the whole grid into a preview of its one row, and drops
    the file."""
    import io

    from programs.models import RosterImport

    from ..programs.test_roster import HEADINGS, _row, sheet_xlsx

    data = sheet_xlsx(
        {
            1: _row(*HEADINGS),
            2: _row("山本 彩花", "ayaka@example.org", "402061", "産業振興課", "主事"),
            1_048_576: {1: "", 16_384: ""},
        },
        dimension="A1:XFD1048576",
    )
    upload = io.BytesIO(data)
    upload.name = "名簿.xlsx"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    client.force_login(coordinator)
    env = worker_env()
    with queued_for_real(env["REDIS_URL"]), celery_worker(env, tmp_path):
        response = client.post(f"/programs/{program.pk}/roster/", {"file": upload})
        roster_import = RosterImport.objects.get(program=program)
        assert response.url == f"/programs/{program.pk}/roster/{roster_import.pk}/"
        read = wait_for(
            lambda: RosterImport.objects.filter(pk=roster_import.pk, state="preview").first(),
            timeout=90,
        )
    assert read.upload is None
    assert [(r["line"], r["email"], r["status"]) for r in read.rows] == [
        (2, "ayaka@example.org", "new")
    ]
