"""Control characters and other text no one types on purpose (a NUL, an escape, a lone
surrogate, a noncharacter) are refused with a message saying which character and where, in
forms and in services alike; nothing reaches the database. PostgreSQL refuses a NUL in an
INSERT (a 500) where SQLite stores it: the tests prove the refusal comes first on both."""

import importlib
import pkgutil
from datetime import date, time

import pytest
from django import forms
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path, reverse
from django.utils import translation

from programs.models import Activity, Invitation, Program, Role
from programs.plain_text import PlainTextFormMixin, plain_text_error, plain_text_errors
from programs.services import invitations as invitation_services
from programs.services import week as week_services
from programs.services.programs import ProgramRefused, save_program
from programs.unstorable import UnstorableText

from ..factories import ProgramFactory

pytestmark = pytest.mark.django_db
MON = date(2026, 11, 30)

# One of each kind refused in any text, single-line or multi-line.
ALWAYS_REFUSED = [
    "\x00",  # NUL: PostgreSQL refuses it
    "\x01",
    "\x08",  # backspace
    "\x0b",  # vertical tab (splitlines() would cut a line at it)
    "\x0c",  # form feed
    "\x1b",  # escape (terminal colours in a log)
    "\x1f",
    "\x7f",  # DEL
    "\x80",
    "\x85",  # NEL (C1)
    "\x9f",
    "\ud800",  # a lone surrogate (from a JSON "\ud800"): UTF-8 cannot encode it
    "\udfff",
    "\u202e",  # right-to-left override: shows what follows reversed
    "\u202a",
    "\u2066",  # isolates
    "\u2069",
    "\ufdd0",  # noncharacters
    "\ufffe",
    "\uffff",
    "\U0001fffe",
    "\U0010ffff",
]


def message(text, *, multiline=False):
    with translation.override("ja"):
        return plain_text_error(text, multiline=multiline)


# The definition ---------------------------------------------------------------------------


@pytest.mark.parametrize("char", ALWAYS_REFUSED)
def test_each_kind_is_refused_in_any_field(char):
    assert message(f"田川{char}市", multiline=True) is not None
    assert message(f"田川{char}市", multiline=False) is not None
    assert f"U+{ord(char):04X}" in message(f"田川{char}市")
    assert "3文字目" in message(f"田川{char}市")


def test_tab_and_line_breaks_belong_to_multi_line_text_only():
    for text in ["1行目\n2行目", "1行目\r\n2行目", "項目\t値", "末尾\r"]:
        assert message(text, multiline=True) is None
        assert message(text, multiline=False) is not None
    assert message("朝会\n", multiline=False) == (
        "ここでは改行は使えません（3文字目）。1行で書いてください。"
    )
    assert message("朝会\t10分", multiline=False) == (
        "ここではタブ（U+0009）は使えません（3文字目）。空白に置き換えてください。"
    )


def test_ordinary_text_is_accepted():
    for text in [
        "田中 翔さん",
        "全角　スペース",
        "絵文字😀と〜（）・、",
        "U+FFFD は置換文字�",
        "\u200b ゼロ幅スペース",  # format characters are not control characters
        "\u200fمرحبا\u200e",  # right-to-left and left-to-right marks belong to such text
        "ｶﾀｶﾅ and ASCII ~!@#$%^&*()",
        "",
    ]:
        assert message(text) is None and message(text, multiline=True) is None


def test_the_message_says_which_character_where_and_how_many():
    assert message("確認しました\x00") == (
        "制御文字（U+0000）は使えません（7文字目）。取り除いてください。"
    )
    assert message("a\ud800b\x1bc") == (
        "この文字（U+D800）は使えません（2文字目）。取り除いてください。"
        "使えない文字は全部で2個あります。"
    )
    with translation.override("en"):
        assert plain_text_error("ab\x7f", multiline=True) == (
            "The control character U+007F cannot be used (character 3): remove it."
        )


def test_a_services_fields_are_checked_by_name():
    with translation.override("ja"):
        errors = plain_text_errors(
            {"title": "研修\x00", "notes": "1行目\n2行目", "aims": ["速さ", "決め\x85方"]},
            multiline=("notes",),
        )
    assert list(errors) == ["title", "aims"]
    assert "U+0085" in errors["aims"] and "3文字目" in errors["aims"]


# Forms ------------------------------------------------------------------------------------


def _project_forms():
    for package in ("programs", "seminars", "trainees", "reports"):
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, f"{package}."):
            if ".migrations" not in info.name and ".management" not in info.name:
                importlib.import_module(info.name)
    seen, todo = set(), [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return [
        cls
        for cls in seen
        if cls.__module__.split(".")[0] in ("programs", "seminars", "trainees", "reports")
    ]


def test_every_form_of_the_project_with_a_text_field_checks_it():
    found = _project_forms()
    with_text = [
        cls
        for cls in found
        if any(isinstance(f, forms.CharField) for f in cls.base_fields.values())
    ]
    assert len(with_text) >= 15, with_text  # the scan found the forms
    missing = [cls.__qualname__ for cls in with_text if not issubclass(cls, PlainTextFormMixin)]
    assert missing == []


def test_a_control_character_in_a_weeks_title_is_said_next_to_the_field(
    client, coordinator, program
):
    client.force_login(coordinator)
    data = {
        "date": "2026-11-30",
        "start_time": "10:00",
        "end_time": "11:00",
        "title": "朝会\x1b[31m",
        "kind": "work",
        "for_all": "on",
        "notes": "議題：\n\t進め方",
    }
    response = client.post(
        reverse("programs:activity_create", args=[program.pk]), data, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "制御文字（U+001B）は使えません（3文字目）。取り除いてください。" in page
    assert "議題：" in page  # the other text is kept on the page
    assert not program.activities.exists()
    # A line break and a tab in the notes (a textarea) are kept as typed.
    client.post(
        reverse("programs:activity_create", args=[program.pk]),
        data | {"title": "朝会"},
        HTTP_HX_REQUEST="true",
    )
    assert Activity.objects.get().notes == "議題：\n\t進め方"


def test_a_nul_in_a_programs_title_is_refused_and_the_text_kept(client, coordinator, host):
    client.force_login(coordinator)
    response = client.post(
        reverse("programs:program_create"),
        {
            "title": "ITベンチャー研修\x00 12月",
            "scheme": "it_venture",
            "start_date": "2026-12-07",
            "end_date": "2026-12-11",
            "municipality_aims": "スピード感を知る\x0b意思決定を体験する",
            "reminder_time": "17:30",
            "reflection_deadline": "23:59",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["title"] == ["制御文字（U+0000）は使えません（10文字目）。取り除いてください。"]
    # The aims' vertical tab is not quietly taken for a line break.
    assert "U+000B" in errors["municipality_aims"][0]
    assert "スピード感を知る" in response.content.decode()
    assert not Program.objects.exists()


def test_a_single_line_field_refuses_a_tab_and_a_multi_line_one_keeps_it():
    from seminars.forms import LegForm, TripReportForm

    leg = LegForm(
        {
            "mode": "rail",
            "origin_place": "東京\t駅",
            "destination": "松本",
            "depart_at": "2026-12-02T08:00",
            "arrive_at": "2026-12-02T11:00",
        }
    )
    assert not leg.is_valid() and list(leg.errors) == ["origin_place"]
    report = TripReportForm({"content": "1.\t説明会\r\n2.\tセミナー", "impressions": "速い"})
    assert report.is_valid(), report.errors
    assert report.cleaned_data["content"] == "1.\t説明会\r\n2.\tセミナー"


# Services refuse too (a caller that skips the forms) ---------------------------------------


def test_the_week_service_refuses_without_a_form(program, coordinator):
    slot = week_services.Slot(
        date=MON, start_time=time(10), end_time=time(11), title="朝会\x00", kind="work"
    )
    with pytest.raises(week_services.ActivityRefused) as refused:
        week_services.save_activity(program, slot, by=coordinator)
    assert refused.value.field == "title" and "U+0000" in refused.value.message
    assert not Activity.objects.exists()


def test_the_program_service_refuses_a_control_character_in_an_aim(host, coordinator):
    program = Program(
        host=host,
        title="研修",
        start_date=date(2026, 12, 7),
        end_date=date(2026, 12, 11),
        host_aims=["協業先を増やす", "自治体と\x85組む"],
    )
    with pytest.raises(ProgramRefused) as refused:
        save_program(program, by=coordinator)
    assert refused.value.field == "host_aims"
    assert not Program.objects.exists()


def test_invitations_refuse_a_name_with_an_escape_sequence(host, coordinator, tagawa):
    with pytest.raises(invitation_services.InvitationRefused) as refused:
        invitation_services.create_invitation(
            invited_by=coordinator,
            email="new-trainee@example.org",
            role=Role.TRAINEE,
            host_company=host,
            municipality=tagawa,
            family_name="\x1b[2J山田",
        )
    assert refused.value.field == "family_name"
    assert not Invitation.objects.exists()


# The last line: nothing unstorable is sent to the database ----------------------------------


@pytest.mark.parametrize("char", ["\x00", "\ud800"])
def test_no_statement_is_sent_with_a_nul_or_a_lone_surrogate(host, char):
    program = ProgramFactory(host=host, title="元の題")
    with pytest.raises(UnstorableText), transaction.atomic():
        Program.objects.filter(pk=program.pk).update(title=f"新しい{char}題")
    with pytest.raises(UnstorableText), transaction.atomic():
        ProgramFactory(host=host, title=f"別の{char}研修")
    # Bulk statements too (each row's values are read).
    with pytest.raises(UnstorableText), transaction.atomic():
        Program.objects.bulk_create(
            [Program(host=host, title=t, start_date=MON, end_date=MON) for t in ["ok", char]]
        )
    assert list(Program.objects.values_list("title", flat=True)) == ["元の題"]


def test_json_values_are_read_as_postgresql_is_sent_them(host):
    program = ProgramFactory(host=host, host_aims=["元の目的"])
    if connection.vendor == "postgresql":
        # jsonb refuses "\u0000" as text does a NUL: the guard refuses it first.
        with pytest.raises(UnstorableText), transaction.atomic():
            Program.objects.filter(pk=program.pk).update(host_aims=["新\x00しい"])
        program.refresh_from_db()
        assert program.host_aims == ["元の目的"]
    else:
        # SQLite keeps JSON as escaped text ("\u0000", six ASCII characters): storable.
        Program.objects.filter(pk=program.pk).update(host_aims=["新\x00しい"])
        program.refresh_from_db()
        assert program.host_aims == ["新\x00しい"]


def _writes_a_nul(request):
    # In a transaction, as the services write (it is rolled back; the test's own transaction
    # stays usable, as a request's connection does).
    with transaction.atomic():
        Program.objects.filter(pk=int(request.POST["pk"])).update(title="題\x00")
    return HttpResponse("saved")


urlpatterns = [path("writes-a-nul/", _writes_a_nul), path("", include("config.urls"))]


@override_settings(ROOT_URLCONF=__name__)
def test_a_view_that_reaches_the_guard_answers_400_not_500(client, coordinator, host):
    """A path that skipped every check: a clear page (or JSON for a script), not an error."""
    program = ProgramFactory(host=host, title="元の題")
    client.force_login(coordinator)
    response = client.post("/writes-a-nul/", {"pk": program.pk})
    assert response.status_code == 400
    page = response.content.decode()
    assert "保存できない文字（U+0000）が含まれています。" in page
    as_json = client.post(
        "/writes-a-nul/", {"pk": program.pk}, headers={"Accept": "application/json"}
    )
    assert as_json.status_code == 400
    assert "U+0000" in as_json.json()["errors"]["__all__"]
    program.refresh_from_db()
    assert program.title == "元の題"


def test_a_password_is_the_persons_own_but_for_a_nul():
    """A password is never shown or stored as text (its hash is): a tab or any character in
    it is kept as typed; only Django's NUL check stays."""
    from programs.forms import AcceptInvitationForm

    def form(password):
        return AcceptInvitationForm(
            {
                "family_name": "田中",
                "given_name": "翔",
                "password1": password,
                "password2": password,
            },
            email="tanaka@example.jp",
        )

    typed = "長い\tパス\u202eフレーズ 2026!"
    accepted = form(typed)
    assert accepted.is_valid(), accepted.errors
    assert accepted.cleaned_data["password1"] == typed
    assert "password1" in form("長い\x00パスフレーズ 2026!").errors
