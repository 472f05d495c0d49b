import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import Enrollment, Invitation, User
from programs.services import roster

from ..factories import MunicipalityFactory, enrol

pytestmark = pytest.mark.django_db
HEADER = "name,email,municipality code,department,position\n"


def csv_bytes(rows: str, encoding="utf-8-sig", header=HEADER) -> bytes:
    return (header + rows).encode(encoding)


def xlsx_bytes(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["氏名", "メールアドレス", "自治体コード", "所属", "職名"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_utf8_csv_is_classified_without_writing(program, coordinator, registered, tagawa):
    data = csv_bytes(
        f"田中 翔,{registered.email},402061,総務課,主事\n"
        "山本　彩花,new@example.org,402061,産業振興課,主事\n"
        "名無し,not-an-address,402061,,\n"
        "誤り,bad@example.org,402062,,\n"
        "未登録,unknown@example.org,012092,,\n"
        "重複,new@example.org,402061,,\n"
    )
    preview = roster.read_roster(program, data, "roster.csv", by=coordinator)
    assert [(r.line, r.status) for r in preview.rows] == [
        (2, "existing"),
        (3, "new"),
        (4, "invalid"),
        (5, "invalid"),
        (6, "invalid"),
        (7, "invalid"),
    ]
    assert "row 3" in preview.rows[5].errors[0] or "3行目" in preview.rows[5].errors[0]
    assert not preview.can_apply
    assert (
        Enrollment.objects.count() == 0 and Invitation.objects.filter(program=program).count() == 0
    )


def test_shift_jis_as_excel_writes_it(program, coordinator, tagawa):
    data = csv_bytes("田中 翔,t@example.org,402061,総務課,主事\n", encoding="cp932")
    preview = roster.read_roster(program, data, "名簿.csv", by=coordinator)
    assert preview.rows[0].name == "田中 翔" and preview.rows[0].department == "総務課"


def test_xlsx_with_japanese_headings(program, coordinator, tagawa):
    preview = roster.read_roster(
        program,
        xlsx_bytes([["田中 翔", "t@example.org", "402061", "総務課", "主事"]]),
        "名簿.xlsx",
        by=coordinator,
    )
    assert [(r.name, r.status) for r in preview.rows] == [("田中 翔", "new")]


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"PK\x03\x04 not really a zip", "roster.xlsx"),
        ("名前,メール\n".encode("utf-16"), "roster.csv"),
        (HEADER.replace(",position", "").encode(), "roster.csv"),
        ((HEADER.strip() + ",extra\n").encode(), "roster.csv"),
        (b"", "roster.csv"),
        (HEADER.encode(), "roster.csv"),
    ],
)
def test_unreadable_files_are_refused_with_a_message(program, coordinator, data, name):
    with pytest.raises(roster.RosterRefused) as excinfo:
        roster.read_roster(program, data, name, by=coordinator)
    assert excinfo.value.message


def test_ten_thousand_rows_parse_with_a_fixed_number_of_queries(program, coordinator, tagawa):
    rows = "".join(f"研修生 {i},t{i}@example.org,402061,課{i % 7},主事\n" for i in range(10_000))
    with CaptureQueriesContext(connection) as ctx:
        preview = roster.read_roster(program, csv_bytes(rows), "big.csv", by=coordinator)
    assert preview.counts == {"new": 10_000, "existing": 0, "invalid": 0}
    assert len(ctx.captured_queries) <= 6
    with pytest.raises(roster.RosterRefused):
        roster.read_roster(
            program,
            csv_bytes(rows + "one more,x@example.org,402061,,\n"),
            "big.csv",
            by=coordinator,
        )


def test_confirm_enrols_and_invites_all_rows(
    client, program, coordinator, registered, tagawa, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    upload = io.BytesIO(
        csv_bytes(
            f"田中 翔,{registered.email},402061,総務課,主事\n"
            "山本 彩花,new@example.org,402061,産業振興課,主事\n"
        )
    )
    upload.name = "roster.csv"
    preview = client.post(reverse("roster_upload", args=[program.pk]), {"file": upload})
    assert preview.context["preview"].counts == {"new": 1, "existing": 1, "invalid": 0}
    assert Enrollment.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("roster_confirm", args=[program.pk]), {"key": preview.context["key"]})
    assert list(program.enrollments.values_list("trainee__email", flat=True)) == [registered.email]
    invitation = Invitation.objects.get(email="new@example.org")
    assert (invitation.program, invitation.family_name, invitation.given_name) == (
        program,
        "山本",
        "彩花",
    )
    assert [m.to for m in mail.outbox] == [["new@example.org"]]


def test_confirm_is_all_or_nothing(program, coordinator, registered, tagawa, trainee):
    preview = roster.read_roster(
        program,
        csv_bytes(f"田中 翔,{registered.email},402061,,\nnew,new@example.org,402061,,\n"),
        "r.csv",
        by=coordinator,
    )
    enrol(program, registered)  # the data changed since the preview
    with pytest.raises(roster.RosterRefused):
        roster.apply_roster(program, preview, by=coordinator)
    assert not Invitation.objects.filter(email="new@example.org").exists()


def test_invited_trainee_is_enrolled_on_acceptance(
    program, coordinator, tagawa, django_capture_on_commit_callbacks
):
    import re

    from programs.services.invitations import accept_invitation

    preview = roster.read_roster(
        program,
        csv_bytes("新人 太郎,new@example.org,402061,企画課,主事\n"),
        "r.csv",
        by=coordinator,
    )
    with django_capture_on_commit_callbacks(execute=True):
        roster.apply_roster(program, preview, by=coordinator)
    token = re.search(r"/invitations/([\w-]+)/", mail.outbox[0].body).group(1)
    user = accept_invitation(token, password="a-long-passphrase")
    enrollment = Enrollment.objects.get(trainee=user)
    assert (enrollment.program, enrollment.department, enrollment.municipality) == (
        program,
        "企画課",
        tagawa,
    )
    assert User.objects.get(email="new@example.org").trainee_profile.municipality == tagawa


def test_unknown_municipality_in_registry(program, coordinator):
    MunicipalityFactory(code="203831", name="箕輪町", prefecture=20)
    preview = roster.read_roster(
        program, csv_bytes("a b,a@example.org,203831,,\n"), "r.csv", by=coordinator
    )
    assert preview.rows[0].municipality_name.endswith("箕輪町")


def test_the_worker_applies_an_import_once_and_records_failures(
    program, coordinator, tagawa, registered
):
    from programs.models import RosterImport

    preview = roster.read_roster(
        program, csv_bytes(f"田中 翔,{registered.email},402061,,\n"), "r.csv", by=coordinator
    )
    queued = RosterImport.objects.create(
        program=program, requested_by=coordinator, rows=preview.to_json()
    )
    roster.run_roster_import(queued.pk)
    roster.run_roster_import(queued.pk)  # a redelivered task does nothing more
    queued.refresh_from_db()
    assert (queued.state, queued.enrolled, queued.invited) == ("done", 1, 0)
    assert program.enrollments.count() == 1
    again = RosterImport.objects.create(
        program=program, requested_by=coordinator, rows=preview.to_json()
    )
    roster.run_roster_import(again.pk)  # the same trainee again: refused, recorded
    again.refresh_from_db()
    assert again.state == "failed" and again.error
    assert program.enrollments.count() == 1


def test_excel_numbers_keep_the_leading_zero_of_hokkaido_codes(program, coordinator, kitami):
    preview = roster.read_roster(
        program,
        xlsx_bytes([["伊藤 大輝", "i@example.org", 12084, "市民協働課", "主任"]]),
        "名簿.xlsx",
        by=coordinator,
    )
    assert (preview.rows[0].municipality_code, preview.rows[0].status) == ("012084", "new")


def test_a_registered_trainee_of_another_municipality_is_flagged(
    program, coordinator, registered, kitami
):
    preview = roster.read_roster(
        program, csv_bytes(f"田中 翔,{registered.email},012084,,\n"), "r.csv", by=coordinator
    )
    assert preview.rows[0].status == "invalid"
    assert "田川市" in preview.rows[0].errors[0]


def test_a_huge_cell_and_a_broken_sheet_are_refused_not_crashed(program, coordinator):
    import zipfile

    with pytest.raises(roster.RosterRefused):
        roster.read_roster(
            program, csv_bytes("a" * 200_000 + ",x@example.org,402061,,\n"), "r.csv", by=coordinator
        )
    good = xlsx_bytes([["a", "a@example.org", "402061", "", ""]])
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            target.writestr(item, data)
    with pytest.raises(roster.RosterRefused):
        roster.read_roster(program, broken.getvalue(), "r.xlsx", by=coordinator)


def test_a_second_click_on_confirm_applies_nothing_more(
    client, program, coordinator, tagawa, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    upload = io.BytesIO(csv_bytes("山本 彩花,new@example.org,402061,,\n"))
    upload.name = "roster.csv"
    key = client.post(reverse("roster_upload", args=[program.pk]), {"file": upload}).context["key"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("roster_confirm", args=[program.pk]), {"key": key})
        client.post(reverse("roster_confirm", args=[program.pk]), {"key": key})
    assert Invitation.objects.filter(email="new@example.org").count() == 1
    assert program.roster_imports.get().state == "done"
