"""The office's lists of a call: every offer and every application, filtered; the same
number of queries with 5 rows as with 50, and a page of 100 out of 1,000 applications."""

import time

import pytest
from django.urls import reverse

from programs.models import HostCompany, Municipality
from scheme.models import Application, HostChoice
from tests.factories import count_queries, municipality_code, table_rows
from tests.scheme.call_fixtures import *  # noqa: F403 (the fixtures)
from tests.scheme.factories import make_application, make_offer

pytestmark = pytest.mark.django_db


def _hosts(n: int, start: int = 0) -> list[HostCompany]:
    return HostCompany.objects.bulk_create(
        HostCompany(name=f"受入企業{start + i:04d}") for i in range(n)
    )


def _offers(call, n: int, start: int = 0) -> None:
    for i, host in enumerate(_hosts(n, start)):
        make_offer(call, host, call.weeks()[i % 3 : i % 3 + 2], themes=["dx", "data"][: i % 3])


def _applications(call, n: int, hosts, start: int = 0) -> None:
    municipalities = Municipality.objects.bulk_create(
        Municipality(
            name=f"自治体{start + i:04d}",
            prefecture=1 + (start + i) // 100,
            code=municipality_code((start + i) % 100, prefecture=1 + (start + i) // 100),
        )
        for i in range(n)
    )
    weeks = [w.isoformat() for w in call.weeks()]
    applications = Application.objects.bulk_create(
        Application(
            call=call,
            municipality=m,
            staff=1 + i % 3,
            preferred_weeks=weeks[i % 4 : i % 4 + 2],
            impossible_weeks=weeks[6:7],
            themes=["dx"] if i % 2 else ["regional"],
            no_overnight=bool(i % 5 == 0),
        )
        for i, m in enumerate(municipalities)
    )
    HostChoice.objects.bulk_create(
        HostChoice(application=a, rank=rank, host=hosts[(i + rank) % len(hosts)])
        for i, a in enumerate(applications)
        for rank in (1, 2)
    )


def test_the_offers_list_and_its_filters(client, office, call, host, other_host):
    make_offer(call, host, call.weeks()[:2], themes=["dx"], includes_trip=True, overnight=True)
    make_offer(call, other_host, call.weeks()[3:4], themes=["regional"], accessible=True)
    client.force_login(office)
    url = reverse("scheme:offers", args=[call.pk])
    rows = table_rows(client.get(url).content)
    assert [r[0] for r in rows] == ["はたらくラボ株式会社", "ノースベンチャーズ株式会社"]
    assert rows[0][5] == "宿泊あり" and rows[1][5] == "出張なし、段差なし"
    first, second = call.weeks()[:2]
    assert rows[0][1] == f"{first.month}/{first.day}、{second.month}/{second.day}"
    assert rows[0][2] == "2" and rows[0][3] == "DX（デジタル変革）" and rows[0][6] == "有効"
    assert [r[0] for r in table_rows(client.get(url, {"theme": "dx"}).content)] == [host.name]
    week = call.weeks()[3].isoformat()
    assert [r[0] for r in table_rows(client.get(url, {"week": week}).content)] == [other_host.name]
    assert [r[0] for r in table_rows(client.get(url, {"host": "ラボ"}).content)] == [host.name]


def test_the_offers_list_keeps_its_query_count(client, office, call):
    client.force_login(office)
    url = reverse("scheme:offers", args=[call.pk])
    _offers(call, 5)
    few, _ = count_queries(client, url)
    _offers(call, 45, start=5)
    many, _ = count_queries(client, url)
    assert few == many


def test_the_applications_list_and_its_filters(
    client, office, call, host, other_host, tagawa, kitami
):
    make_offer(call, host, call.weeks()[:2])
    make_offer(call, other_host, call.weeks()[:2])
    make_application(call, tagawa, hosts=[host, other_host], staff=2, themes=["dx"])
    make_application(
        call,
        kitami,
        hosts=[other_host],
        themes=["regional"],
        no_overnight=True,
        needs_accessibility=True,
    )
    client.force_login(office)
    url = reverse("scheme:applications", args=[call.pk])
    rows = table_rows(client.get(url).content)
    assert [r[:3] for r in rows] == [["北見市", "012084", "北海道"], ["田川市", "402061", "福岡県"]]
    assert rows[0][7] == other_host.name and rows[1][7] == host.name
    assert rows[0][9] == "宿泊不可、段差のない環境" and rows[1][9] == ""
    assert rows[1][3] == "2" and rows[1][8] == "DX（デジタル変革）"

    def names(**filters):
        return [r[0] for r in table_rows(client.get(url, filters).content)]

    assert names(prefecture=40) == ["田川市"]
    assert names(theme="regional") == ["北見市"]
    assert names(first_choice=host.pk) == ["田川市"]
    assert names(constraint="no_overnight") == ["北見市"]
    assert names(constraint="accessibility") == ["北見市"]


def test_the_applications_list_keeps_its_query_count(client, office, call):
    client.force_login(office)
    url = reverse("scheme:applications", args=[call.pk])
    _offers(call, 3)
    hosts = list(HostCompany.objects.all())
    _applications(call, 5, hosts)
    few, _ = count_queries(client, url)
    _applications(call, 45, hosts, start=5)
    many, _ = count_queries(client, url)
    assert few == many


def test_a_thousand_applications_in_pages_of_a_hundred(client, office, call):
    client.force_login(office)
    _offers(call, 10)
    _applications(call, 1000, list(HostCompany.objects.all()))
    url = reverse("scheme:applications", args=[call.pk])
    started = time.perf_counter()
    queries, _ = count_queries(client, url)
    seconds = time.perf_counter() - started
    html = client.get(url).content.decode()
    assert len(table_rows(html)) == 100 and "1 / 10" in html and "1000件" in html
    last = client.get(url, {"page": 5, "theme": "dx"}).content.decode()  # 500 of them
    assert len(table_rows(last)) == 100 and "5 / 5" in last
    assert "theme=dx&amp;page=4" in last
    small, _ = count_queries(client, reverse("scheme:applications", args=[call.pk]) + "?page=3")
    assert small == queries
    assert seconds < 2.0
