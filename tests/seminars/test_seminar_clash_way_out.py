"""A seminar (or a leg) that clashes with an activity typed in the week: the refusal keeps
that activity, the form names and links it and offers to delete it or move it after the
seminar; the service checks the posted pk and changes everything or nothing. A trip's seminar,
once saved, is read on the trip's page."""

from datetime import date, time

import pytest
from django.urls import reverse

from programs.models import Activity, ActivityLog
from programs.services.week import PUSH, REPLACE, MakeRoom
from seminars.models import Seminar
from seminars.services import legs as leg_services
from seminars.services import seminars as seminar_services
from seminars.services.common import TripRefused

from ..factories import add_activity
from .conftest import leg_plan, seminar_plan

pytestmark = pytest.mark.django_db
TUE = date(2026, 12, 1)


@pytest.fixture
def meeting(program, trip):
    """An activity typed in the week on the trip's first day, for everyone, 13:00–14:00:
    in the way of a seminar at 13:30."""
    return add_activity(program, TUE, "13:00", "14:00", "定例会")


def week_state(program):
    return list(
        Activity.objects.filter(program=program)
        .order_by("pk")
        .values_list("pk", "start_time", "end_time", "cancelled_at", "sequence")
    )


def save(program, trip, coordinator, **kwargs):
    return seminar_services.save_seminar(
        program, seminar_plan(), trip=trip, by=coordinator, **kwargs
    )


def test_the_refusal_keeps_the_activity_in_the_way(program, trip, meeting, coordinator):
    with pytest.raises(TripRefused) as refused:
        save(program, trip, coordinator)
    assert refused.value.clash == meeting and refused.value.field == "start_time"


def test_replace_deletes_the_activity_and_saves_the_seminar(program, trip, meeting, coordinator):
    seminar = save(program, trip, coordinator, make_room=MakeRoom(REPLACE, meeting.pk))
    meeting.refresh_from_db()
    assert meeting.cancelled_at is not None
    derived = program.activities.live().get(origin=seminar.origin)
    assert (derived.start_time, derived.end_time) == (time(13, 30), time(15))
    logged = list(
        ActivityLog.objects.order_by("pk").values_list("action", "target_id").reverse()[:3]
    )[::-1]
    assert logged == [
        ("activity.cancelled", str(meeting.pk)),
        ("activity.created", str(derived.pk)),
        ("seminar.created", str(seminar.pk)),
    ]


def test_push_moves_the_activity_after_the_seminar(program, trip, meeting, coordinator):
    save(program, trip, coordinator, make_room=MakeRoom(PUSH, meeting.pk))
    meeting.refresh_from_db()
    assert (meeting.start_time, meeting.end_time, meeting.cancelled_at) == (
        time(15),
        time(16),
        None,
    )


def test_a_second_activity_in_the_way_changes_nothing(program, trip, meeting, coordinator):
    add_activity(program, TUE, "14:30", "15:30", "報告会")
    before = week_state(program)
    with pytest.raises(TripRefused) as refused:
        save(program, trip, coordinator, make_room=MakeRoom(REPLACE, meeting.pk))
    assert "報告会" in refused.value.message and refused.value.clash.title == "報告会"
    assert week_state(program) == before and not Seminar.objects.exists()


def test_a_forged_pk_changes_nothing(program, trip, first_leg, meeting, coordinator):
    """The trip's own leg (derived), another program's activity, one that is not in the way."""
    from ..factories import ProgramFactory

    sibling = ProgramFactory(host=program.host)
    elsewhere = add_activity(sibling, TUE, "13:00", "14:00")
    evening = add_activity(program, TUE, "18:00", "19:00", "懇親会")
    leg = program.activities.live().get(origin=trip.origin)
    before = week_state(program)
    for pk, says in (
        (leg.pk, "出張から作られた予定です"),
        (elsewhere.pk, "その予定はこの週にありません"),
        (evening.pk, "「懇親会」はこの予定と重なっていません"),
    ):
        with pytest.raises(TripRefused) as refused:
            save(program, trip, coordinator, make_room=MakeRoom(REPLACE, pk))
        assert says in refused.value.message
    assert week_state(program) == before and not Seminar.objects.exists()


def test_a_leg_makes_room_too(program, trip, coordinator):
    """The leg's form is not wired yet; its service takes the same argument."""
    breakfast = add_activity(program, TUE, "07:30", "08:00", "朝食会")
    with pytest.raises(TripRefused) as refused:
        leg_services.save_leg(trip, leg_plan("12-01 07:00", "12-01 08:40"), by=coordinator)
    assert refused.value.clash == breakfast
    leg_services.save_leg(
        trip,
        leg_plan("12-01 07:00", "12-01 08:40"),
        by=coordinator,
        make_room=MakeRoom(PUSH, breakfast.pk),
    )
    breakfast.refresh_from_db()
    assert (breakfast.start_time, breakfast.end_time) == (time(8, 40), time(9, 10))


class TestTheForm:
    def data(self, **extra):
        return {
            "kind": "worker_briefing",
            "title": "初心者ワーカー向け説明会",
            "date": "2026-12-01",
            "start_time": "13:30",
            "end_time": "15:00",
            "venue": "箕輪町地域交流センター",
            "expected_attendance": "20",
            **extra,
        }

    def url(self, program, trip):
        return reverse("seminars:seminar_new", args=[program.pk]) + f"?trip={trip.pk}"

    def test_the_refusal_links_the_activity_and_offers_both_ways(
        self, client, program, trip, meeting, coordinator
    ):
        client.force_login(coordinator)
        page = client.post(self.url(program, trip), self.data()).content.decode()
        assert "定例会" in page and 'class="clash-way-out"' in page
        assert f'href="/programs/{program.pk}/week/?edit={meeting.pk}"' in page
        assert "「定例会」を削除して保存" in page and "「定例会」を後ろにずらして保存" in page
        assert f'name="replace" value="{meeting.pk}"' in page
        assert 'value="初心者ワーカー向け説明会"' in page  # what was typed is kept
        assert page.index(">セミナーを保存</button>") < page.index('name="replace"')
        assert not Seminar.objects.exists()

    def test_replace_saves_and_shows_the_trip(self, client, program, trip, meeting, coordinator):
        client.force_login(coordinator)
        response = client.post(self.url(program, trip), self.data(replace=str(meeting.pk)))
        assert response.url == reverse("seminars:trip_detail", args=[program.pk, trip.pk])
        page = client.get(response.url).content.decode()
        assert "セミナーを保存しました。週間予定に表示されます。" in page
        assert "削除しました：「定例会」" in page
        assert Seminar.objects.get().trip == trip
        meeting.refresh_from_db()
        assert meeting.cancelled_at is not None

    def test_a_local_seminar_still_shows_the_seminar(self, client, program, coordinator):
        client.force_login(coordinator)
        response = client.post(reverse("seminars:seminar_new", args=[program.pk]), self.data())
        seminar = Seminar.objects.get()
        assert response.url == reverse("seminars:seminar_detail", args=[program.pk, seminar.pk])

    def test_a_pk_that_is_no_number_is_not_found(self, client, program, trip, meeting, coordinator):
        client.force_login(coordinator)
        response = client.post(self.url(program, trip), self.data(push="٣"))
        assert response.status_code == 404 and not Seminar.objects.exists()
