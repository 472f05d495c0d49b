"""Seminars: on a trip's days or in the program, in the week with the trainees who take
part, roles, follow-ups; materials checked by size and by what their bytes are."""

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from programs.models import Activity
from seminars.models import Material, SeminarRole
from seminars.services import seminars as seminar_services
from seminars.services.common import TripRefused

from ..factories import add_activity
from .conftest import seminar_plan

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pptx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
    return buffer.getvalue()


def activity_of(seminar):
    return Activity.objects.live().get(origin=seminar.origin)


def test_a_trip_seminar_is_in_the_week_with_the_trips_trainees(
    seminar, enrollment, second_enrollment, staff
):
    activity = activity_of(seminar)
    assert (activity.date, activity.kind, activity.place) == (
        date(2026, 12, 1),
        "seminar",
        "箕輪町地域交流センター",
    )
    assert activity.facilitator == staff
    assert set(activity.participants.all()) == {enrollment, second_enrollment}
    assert set(seminar.roles.values_list("role", flat=True)) == {"observer"}


def test_a_seminar_outside_its_trip_is_refused(program, trip, coordinator):
    with pytest.raises(TripRefused) as refused:
        seminar_services.save_seminar(program, seminar_plan(day="12-03"), trip=trip, by=coordinator)
    assert refused.value.field == "date"
    assert not program.seminars.exists()


def test_a_local_seminar_has_the_programs_trainees(program, enrollment, coordinator):
    seminar = seminar_services.save_seminar(
        program, seminar_plan(day="12-04", kind="workshop"), by=coordinator
    )
    assert list(activity_of(seminar).participants.all()) == [enrollment]


def test_a_seminar_ending_before_it_starts_is_refused(program, coordinator):
    with pytest.raises(TripRefused) as refused:
        seminar_services.save_seminar(
            program, seminar_plan(start="15:00", end="14:00"), by=coordinator
        )
    assert refused.value.field == "end_time"


def test_a_lead_from_another_host_is_refused(program, coordinator, outsider):
    with pytest.raises(TripRefused) as refused:
        seminar_services.save_seminar(program, seminar_plan(lead=outsider), by=coordinator)
    assert refused.value.field == "lead"


def test_a_seminar_clashing_with_the_week_is_refused(program, trip, coordinator):
    add_activity(program, date(2026, 12, 1), "14:00", "16:00", "報告会")
    with pytest.raises(TripRefused) as refused:
        seminar_services.save_seminar(program, seminar_plan(), trip=trip, by=coordinator)
    assert "報告会" in refused.value.message
    assert not program.seminars.exists()


def test_roles_decide_who_is_in_the_seminars_activity(
    seminar, coordinator, enrollment, second_enrollment, elsewhere
):
    seminar_services.set_roles(
        seminar, {enrollment.pk: "presenter", second_enrollment.pk: None}, by=coordinator
    )
    assert list(activity_of(seminar).participants.all()) == [enrollment]
    assert SeminarRole.objects.get(seminar=seminar).role == "presenter"
    with pytest.raises(TripRefused):
        seminar_services.set_roles(seminar, {elsewhere.pk: "observer"}, by=coordinator)
    with pytest.raises(TripRefused):
        seminar_services.set_roles(seminar, {enrollment.pk: "chair"}, by=coordinator)


def test_follow_ups_have_an_owner_of_the_program(seminar, coordinator, staff, outsider):
    item = seminar_services.add_follow_up(
        seminar, "参加者へお礼のメール", staff, date(2026, 12, 8), by=coordinator
    )
    assert (item.owner, item.due_date) == (staff, date(2026, 12, 8))
    with pytest.raises(TripRefused) as refused:
        seminar_services.add_follow_up(seminar, "x", outsider, date(2026, 12, 8), by=coordinator)
    assert refused.value.field == "owner"
    with pytest.raises(TripRefused):
        seminar_services.add_follow_up(seminar, "  ", staff, date(2026, 12, 8), by=coordinator)
    seminar_services.set_follow_up_done(item, True, by=coordinator)
    item.refresh_from_db()
    assert item.done_at is not None


def test_deleting_a_seminar_takes_it_out_of_the_week(seminar, coordinator):
    origin = seminar.origin
    seminar_services.delete_seminar(seminar, by=coordinator)
    assert not Activity.objects.live().filter(origin=origin).exists()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("資料.pdf", PDF, "application/pdf"),
        ("写真.PNG", PNG, "image/png"),
        (
            "説明会.pptx",
            pptx(),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
    ],
)
def test_materials_of_the_accepted_kinds_are_kept(seminar, coordinator, name, content, kind):
    material = seminar_services.add_material(
        seminar, SimpleUploadedFile(name, content), by=coordinator
    )
    assert (material.name, material.content_type, material.size) == (name, kind, len(content))
    assert name not in material.file.name  # the stored path is random
    assert material.file.read() == content


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("写真.png", PDF, "is not the PNG"),  # a PDF named as an image
        ("資料.pdf", b"MZ\x90\x00 a program", "is not the PDF"),  # a program named .pdf
        ("資料.pptx", zipfile.ZipFile.__name__.encode(), "is not the PPTX"),
        ("not-slides.pptx", b"PK\x03\x04 broken zip", "is not the PPTX"),
        ("script.exe", PDF, "Only PDF"),
        ("page.html", b"<script>alert(1)</script>", "Only PDF"),
    ],
)
def test_lying_or_forbidden_files_are_refused(seminar, coordinator, name, content, says):
    from django.utils import translation

    with translation.override("en"), pytest.raises(TripRefused) as refused:
        seminar_services.add_material(seminar, SimpleUploadedFile(name, content), by=coordinator)
    assert says in refused.value.message
    assert refused.value.field == "file"
    assert not Material.objects.exists()


def test_a_zip_that_is_not_slides_is_refused(seminar, coordinator):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(TripRefused):
        seminar_services.add_material(
            seminar, SimpleUploadedFile("a.pptx", buffer.getvalue()), by=coordinator
        )


def test_a_file_too_big_is_refused(seminar, coordinator, monkeypatch):
    monkeypatch.setattr(seminar_services, "MATERIAL_MAX_BYTES", len(PDF) - 1)
    with pytest.raises(TripRefused) as refused:
        seminar_services.add_material(seminar, SimpleUploadedFile("a.pdf", PDF), by=coordinator)
    assert refused.value.field == "file"
    assert not Material.objects.exists()


def test_deleting_a_seminar_deletes_its_files(seminar, coordinator):
    from django.core.files.storage import default_storage
    from django.test import TestCase

    material = seminar_services.add_material(
        seminar, SimpleUploadedFile("資料.pdf", PDF), by=coordinator
    )
    name = material.file.name
    assert default_storage.exists(name)
    with TestCase.captureOnCommitCallbacks(execute=True):
        seminar_services.delete_seminar(seminar, by=coordinator)
    assert not default_storage.exists(name)


def test_a_supervisor_sees_only_their_municipalitys_trainees_on_a_seminar(
    client, program, trip, seminar, coordinator, enrollment, second_enrollment, kitami
):
    from programs.models import Membership, Role

    from ..factories import UserFactory

    # The second trainee is from 北見市; the 北見市 supervisor sees them, not the other.
    second_enrollment.municipality = kitami
    second_enrollment.save()
    supervisor = UserFactory()
    Membership.objects.create(user=supervisor, role=Role.SUPERVISOR, municipality=kitami)
    client.force_login(supervisor)
    html = client.get(f"/programs/{program.pk}/seminars/{seminar.pk}/").content.decode()
    assert second_enrollment.trainee.display_name in html
    assert enrollment.trainee.display_name not in html


def test_a_name_keeps_its_extension_and_loses_its_tricks(seminar, coordinator):
    long = "あ" * 250 + ".pdf"
    material = seminar_services.add_material(seminar, SimpleUploadedFile(long, PDF), by=coordinator)
    assert material.name.endswith(".pdf") and len(material.name) == 200
    tricky = seminar_services.add_material(
        seminar, SimpleUploadedFile("report\u202efdp.pdf", PDF), by=coordinator
    )
    assert tricky.name == "reportfdp.pdf"
