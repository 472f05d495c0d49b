"""The office's call (募集): written with clear messages, opened, closed, and its page for
each role; everyone else gets 404, and nobody unsigned in gets in."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from scheme.models import MAX_CALL_WEEKS, Call
from tests.factories import field_block
from tests.scheme.call_fixtures import *  # noqa: F403 (the fixtures)
from tests.scheme.factories import make_application, make_offer, monday_after

pytestmark = pytest.mark.django_db


def _form(today, **changes):
    first = monday_after(today, 6)
    data = {
        "fiscal_year": "2031",
        "title": "2031年度 ITベンチャー研修",
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=20)).isoformat(),
        "first_week": first.isoformat(),
        "last_week": (first + timedelta(weeks=9)).isoformat(),
        "min_weeks": "1",
        "max_weeks": "2",
        "max_staff": "3",
        "notes": "",
    }
    data.update(changes)
    return data


def test_the_office_writes_a_call_as_a_draft(client, office, today):
    client.force_login(office)
    response = client.post(reverse("scheme:call_new"), _form(today))
    call = Call.objects.get(fiscal_year=2031)
    assert response.status_code == 302
    assert response.url == reverse("scheme:call_detail", args=[call.pk])
    assert call.published_at is None and call.created_by == office
    assert len(call.weeks()) == 10


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("first_week", "tuesday", "は月曜日ではありません"),
        ("last_week", "before", "最後の週が最初の週より前です"),
        ("last_week", "too_far", f"1回の募集は{MAX_CALL_WEEKS}週までです"),
        ("closes_on", "before_open", "申込期間の最終日が初日より前です"),
        ("max_weeks", "3", "研修期間は1週間か2週間です"),
        ("max_staff", "0", "1以上にしてください"),
    ],
)
def test_a_bad_call_is_refused_next_to_its_field_with_the_text_kept(
    client, office, today, field, value, words
):
    first = monday_after(today, 6)
    values = {
        "tuesday": (first + timedelta(days=1)).isoformat(),
        "before": (first - timedelta(weeks=1)).isoformat(),
        "too_far": (first + timedelta(weeks=MAX_CALL_WEEKS)).isoformat(),
        "before_open": (today - timedelta(days=1)).isoformat(),
    }
    client.force_login(office)
    with_typed = _form(today, title="残したい題名", **{field: values.get(value, value)})
    response = client.post(reverse("scheme:call_new"), with_typed)
    html = response.content.decode()
    assert response.status_code == 200
    assert words in field_block(html, field)
    assert "残したい題名" in html
    assert not Call.objects.exists()


def test_a_second_call_for_the_same_year_is_refused(client, office, today, call):
    client.force_login(office)
    response = client.post(
        reverse("scheme:call_new"),
        _form(today, fiscal_year=str(call.fiscal_year)),
    )
    assert "年度の募集はすでにあります" in field_block(response.content.decode(), "fiscal_year")
    assert Call.objects.count() == 1


def test_the_office_changes_a_call_but_not_from_under_an_offer(client, office, today, call, host):
    make_offer(call, host, [call.weeks()[-1]])
    client.force_login(office)
    data = _form(today, fiscal_year=str(call.fiscal_year))
    data["first_week"] = call.first_week.isoformat()
    data["last_week"] = call.weeks()[-2].isoformat()
    response = client.post(reverse("scheme:call_edit", args=[call.pk]), data)
    assert "登録済みの受入枠にこの期間外の週があります" in response.content.decode()
    data["last_week"] = call.last_week.isoformat()
    response = client.post(reverse("scheme:call_edit", args=[call.pk]), data)
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.title == "2031年度 ITベンチャー研修"


def test_opening_and_closing(client, office, today):
    draft = Call.objects.create(
        fiscal_year=2032,
        title="下書き",
        opens_on=today,
        closes_on=today + timedelta(days=5),
        first_week=monday_after(today, 3),
        last_week=monday_after(today, 5),
    )
    client.force_login(office)
    now = timezone.now()
    assert draft.state(now) == "draft"
    client.post(reverse("scheme:call_open", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.published_at is not None and draft.is_open(timezone.now())
    response = client.post(reverse("scheme:call_open", args=[draft.pk]), follow=True)
    assert "この募集はすでに開始しています。" in response.content.decode()
    client.post(reverse("scheme:call_close", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.closed_at is not None and draft.state(timezone.now()) == "closed"


def test_open_and_close_are_posts(client, office, call):
    client.force_login(office)
    assert client.get(reverse("scheme:call_open", args=[call.pk])).status_code == 405
    assert client.get(reverse("scheme:call_close", args=[call.pk])).status_code == 405


def test_the_calls_list_links_each_call_and_offers_the_office_a_new_one(client, office, call):
    client.force_login(office)
    html = client.get(reverse("scheme:calls")).content.decode()
    assert reverse("scheme:call_detail", args=[call.pk]) in html
    assert reverse("scheme:call_new") in html


def test_the_call_page_for_each_role(
    client, office, call, host, coordinator, staff, tagawa, supervisor
):
    offer = make_offer(call, host, call.weeks()[:2], places=3)
    make_application(call, tagawa, hosts=[host], staff=2)
    detail = reverse("scheme:call_detail", args=[call.pk])
    client.force_login(office)
    html = client.get(detail).content.decode()
    assert reverse("scheme:offers", args=[call.pk]) in html
    assert reverse("scheme:applications", args=[call.pk]) in html
    client.force_login(coordinator)
    html = client.get(detail).content.decode()
    assert reverse("scheme:offer_new", args=[call.pk]) in html
    assert reverse("scheme:offer_edit", args=[call.pk, offer.pk]) in html
    assert reverse("scheme:applications", args=[call.pk]) not in html
    client.force_login(staff)
    html = client.get(detail).content.decode()
    assert reverse("scheme:offer_edit", args=[call.pk, offer.pk]) not in html
    assert "はたらくラボ株式会社" in html
    client.force_login(supervisor)
    html = client.get(detail).content.decode()
    assert "田川市" in html and reverse("scheme:application_new", args=[call.pk]) not in html
    assert reverse("scheme:offer_new", args=[call.pk]) not in html


def test_a_contact_who_has_not_applied_is_offered_to_apply(client, call, supervisor):
    client.force_login(supervisor)
    html = client.get(reverse("scheme:call_detail", args=[call.pk])).content.decode()
    assert reverse("scheme:application_new", args=[call.pk]) in html


def test_a_closed_call_offers_nothing_to_write(client, closed_call, coordinator, supervisor):
    detail = reverse("scheme:call_detail", args=[closed_call.pk])
    for person in (coordinator, supervisor):
        client.force_login(person)
        html = client.get(detail).content.decode()
        assert reverse("scheme:offer_new", args=[closed_call.pk]) not in html
        assert reverse("scheme:application_new", args=[closed_call.pk]) not in html


OFFICE_URLS = ("call_edit", "offers", "applications")


def test_outsiders_get_404_and_the_anonymous_the_login(
    client, call, coordinator, supervisor, trainee
):
    draft = Call.objects.create(
        fiscal_year=2040,
        title="下書き",
        opens_on=call.opens_on,
        closes_on=call.closes_on,
        first_week=call.first_week,
        last_week=call.last_week,
    )
    for person in (coordinator, supervisor, trainee):
        client.force_login(person)
        assert client.get(reverse("scheme:call_new")).status_code == 404
        for name in OFFICE_URLS:
            assert client.get(reverse(f"scheme:{name}", args=[call.pk])).status_code == 404
        for name in ("call_open", "call_close"):
            assert client.post(reverse(f"scheme:{name}", args=[call.pk])).status_code == 404
        assert client.get(reverse("scheme:call_detail", args=[draft.pk])).status_code == 404
    client.force_login(trainee)  # neither a host's nor a municipality's contact
    assert client.get(reverse("scheme:call_detail", args=[call.pk])).status_code == 404
    client.logout()
    for url in [
        reverse("scheme:call_new"),
        reverse("scheme:call_detail", args=[call.pk]),
        *[reverse(f"scheme:{name}", args=[call.pk]) for name in OFFICE_URLS],
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url
    for name in ("call_open", "call_close"):
        response = client.post(reverse(f"scheme:{name}", args=[call.pk]))
        assert response.status_code == 302 and "login" in response.url


def test_the_calls_list_keeps_its_query_count(client, office, call, coordinator):
    from tests.factories import count_queries

    def more(first: int, n: int) -> None:
        for year in range(first, first + n):
            Call.objects.create(
                fiscal_year=year,
                title=f"{year}年度募集",
                opens_on=call.opens_on,
                closes_on=call.closes_on,
                first_week=call.first_week,
                last_week=call.last_week,
                published_at=call.published_at,
            )

    for person in (office, coordinator):
        client.force_login(person)
        more(1900 + (person == coordinator) * 100, 4)
        few, _ = count_queries(client, reverse("scheme:calls"))
        more(1950 + (person == coordinator) * 100, 45)
        many, _ = count_queries(client, reverse("scheme:calls"))
        assert few == many
