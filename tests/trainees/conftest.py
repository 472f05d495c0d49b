"""A program running now (today is its third day, an activity on each of its five days) with
the trainee enrolled and the staff member as mentor; another host's program elsewhere."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ..factories import ProgramFactory, add_activity, enrol

SECTIONS = {
    "did": "オリエンテーションとサービス体験",
    "learned": "仕事を切り出すと、場所に関係なく人が集まる",
    "felt": "意思決定の速さに驚いた",
    "questions": "",
    "tomorrow": "説明会で質問をする",
    "self_rating": "4",
}


@pytest.fixture
def today():
    return timezone.localdate()


def running_program(host, title, today):
    """Five days around today, with an activity on each (so each is a reflection day)."""
    program = ProgramFactory(
        host=host,
        title=title,
        start_date=today - timedelta(days=2),
        end_date=today + timedelta(days=2),
    )
    for offset in range(5):
        add_activity(program, program.start_date + timedelta(days=offset), "10:00", "12:00")
    return program


@pytest.fixture
def running(host, coordinator, today):
    return running_program(host, "ITベンチャー研修（実施中）", today)


@pytest.fixture
def enrollment(running, trainee, staff):
    enrollment = enrol(running, trainee)
    enrollment.mentor = staff
    enrollment.save(update_fields=["mentor"])
    return enrollment


@pytest.fixture
def elsewhere(other_host, other_trainee, today):
    """Another host's running program with its own trainee from another municipality."""
    return enrol(running_program(other_host, "地域DX研修", today), other_trainee)


def first_save_from(device, enrollment, day, sections):
    """The trainee's first save of `day` from one device: a page that has seen no revision."""
    from trainees.services import reflections

    return reflections.save_draft(
        enrollment,
        day,
        sections,
        by=enrollment.trainee,
        client_id=device,
        client_seq=1,
        base_revision=0,
    )


def write_url(enrollment, day):
    from django.urls import reverse

    return reverse("trainees:reflection_write", args=[enrollment.pk, day])
