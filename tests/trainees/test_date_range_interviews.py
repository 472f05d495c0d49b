"""Interviews and reflections take dates of 2000–2100 only (programs.date_range): the
interview form says so next to the date, the service refuses on its own (even inside a program
written in year 9999), and a reflection's address with a date outside the range is not
found."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from programs.models import Activity
from trainees.models import Interview
from trainees.services import interviews as svc

from ..factories import ProgramFactory, enrol, field_block, schedule_interview

pytestmark = pytest.mark.django_db

MESSAGE_JA = "2000年1月1日から2100年12月31日までの日付を入力してください。"


def test_the_form_refuses_year_9999_next_to_the_date(client, coordinator, running, enrollment):
    client.force_login(coordinator)
    response = client.post(
        reverse("trainees:interview_new", args=[running.pk]),
        {
            "enrollment": enrollment.pk,
            "date": "9999-12-31",
            "start_time": "16:00",
            "end_time": "17:00",
            "place": "会議室A",
            "interviewers": [coordinator.pk],
            "template": svc.built_in_template().pk,
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert MESSAGE_JA in field_block(html, "date")
    assert 'value="会議室A"' in html
    assert not Interview.objects.exists()


def test_the_service_refuses_inside_an_old_program(host, coordinator, trainee):
    old = ProgramFactory(host=host, start_date=date(9999, 12, 27), end_date=date(9999, 12, 31))
    enrollment = enrol(old, trainee)
    with translation.override("ja"), pytest.raises(svc.InterviewRefused) as refused:
        schedule_interview(enrollment, coordinator, date(9999, 12, 30))
    assert refused.value.errors == {"date": MESSAGE_JA}
    assert not Interview.objects.exists() and not Activity.objects.exists()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01"])
def test_a_reflection_address_outside_the_range_is_not_found(client, trainee, enrollment, day):
    client.force_login(trainee)
    url = f"/my/reflections/{enrollment.pk}/{day}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"did": "x"}, headers={"X-Kenshu-Autosave": "1"}).status_code == 404


def test_the_address_converter_takes_the_range_only():
    from trainees.urls import IsoDateConverter

    converter = IsoDateConverter()
    assert converter.to_python("2100-12-31") == date(2100, 12, 31)
    for value in ("9999-12-31", "1999-12-31", "2026-02-30"):
        with pytest.raises(ValueError):
            converter.to_python(value)
