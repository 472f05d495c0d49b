import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import Enrollment, Invitation, User
from programs.services import roster, roster_files

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
        "未登録,unknown@example.org,019909,,\n"  # a valid code no municipality has
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
    with django_capture_on_commit_callbacks(execute=True):
        uploaded = client.post(
            reverse("programs:roster_upload", args=[program.pk]), {"file": upload}
        )
    preview = client.get(uploaded.url)
    assert preview.context["preview"].counts == {"new": 1, "existing": 1, "invalid": 0}
    assert Enrollment.objects.count() == 0
    roster_import = preview.context["roster_import"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("programs:roster_confirm", args=[program.pk, roster_import.pk]))
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

    from programs.services.acceptance import accept_invitation

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
        program=program, requested_by=coordinator, rows=preview.to_json(), state="queued"
    )
    roster.run_roster_import(queued.pk)
    roster.run_roster_import(queued.pk)  # a redelivered task does nothing more
    queued.refresh_from_db()
    assert (queued.state, queued.enrolled, queued.invited) == ("done", 1, 0)
    assert program.enrollments.count() == 1
    again = RosterImport.objects.create(
        program=program, requested_by=coordinator, rows=preview.to_json(), state="queued"
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
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("programs:roster_upload", args=[program.pk]), {"file": upload})
    pk = program.roster_imports.get().pk
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("programs:roster_confirm", args=[program.pk, pk]))
        second = client.post(reverse("programs:roster_confirm", args=[program.pk, pk]), follow=True)
    assert "この名簿はすでに確定しています。" in second.content.decode()
    assert Invitation.objects.filter(email="new@example.org").count() == 1
    assert program.roster_imports.get().state == "done"


# --- Files made to hurt: read bounded, off the request ---------------------------------------

HEADINGS = ["氏名", "メールアドレス", "自治体コード", "所属", "職名"]


def _column(n: int) -> str:
    name = ""
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(65 + rest) + name
    return name


def sheet_xlsx(rows: dict[int, dict[int, str]], dimension: str = "A1:E2") -> bytes:
    """An .xlsx whose first sheet holds exactly these cells (row → column → text), with the
    dimension it declares written as given: what Excel writes for a sheet once touched at
    its far corner, made by hand."""
    import zipfile
    from xml.sax.saxutils import escape

    from openpyxl import Workbook

    base = io.BytesIO()
    Workbook().save(base)
    body = []
    for r in sorted(rows):
        cells = "".join(
            f'<c r="{_column(c)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
            if v
            else f'<c r="{_column(c)}{r}" s="0"/>'
            for c, v in sorted(rows[r].items())
        )
        body.append(f'<row r="{r}">{cells}</row>')
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{"".join(body)}</sheetData></worksheet>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet.encode()
            target.writestr(item.filename, data)
    return out.getvalue()


def _row(*values) -> dict[int, str]:
    return dict(enumerate(values, start=1))


def test_a_sheet_claiming_the_whole_grid_is_read_as_the_cells_it_has(program, coordinator, tagawa):
    # Touched at its far corner: A1:XFD1048576, a styled empty cell in the last row.
    data = sheet_xlsx(
        {
            1: _row(*HEADINGS),
            2: _row("田中 翔", "t@example.org", "402061", "総務課", "主事"),
            1_048_576: {1: "", 16_384: ""},
        },
        dimension="A1:XFD1048576",
    )
    assert len(data) < 10_000
    records = list(roster_files.records(data, "名簿.xlsx"))
    assert [line for line, _cells in records] == [1, 2, 1_048_576]
    assert max(len(cells) for _line, cells in records) == roster_files.WIDTH
    preview = roster.read_roster(program, data, "名簿.xlsx", by=coordinator)
    assert [(r.line, r.status) for r in preview.rows] == [(2, "new")]


def test_content_far_below_the_list_is_refused_not_searched_for(program, coordinator, tagawa):
    data = sheet_xlsx(
        {1: _row(*HEADINGS), 1_048_576: {1: "忘れられた行"}}, dimension="A1:XFD1048576"
    )
    with pytest.raises(roster.RosterRefused) as refused:
        roster.read_roster(program, data, "名簿.xlsx", by=coordinator)
    assert "1,048,576" in refused.value.message


def test_ten_thousand_rows_reaching_the_last_column_stay_five_columns_wide(
    program, coordinator, tagawa
):
    rows = {1: _row(*HEADINGS)}
    for r in range(2, 10_002):
        rows[r] = {**_row(f"研修生 {r}", f"t{r}@example.org", "402061", "", ""), 16_384: "x"}
    data = sheet_xlsx(rows, dimension="A1:XFD10001")
    records = roster_files.records(data, "名簿.xlsx")
    assert all(len(cells) == roster_files.WIDTH + 1 for line, cells in records if line > 1)
    preview = roster.read_roster(program, data, "名簿.xlsx", by=coordinator)
    assert preview.counts["invalid"] == 10_000
    assert {tuple(r.errors) for r in preview.rows} == {("列より多くのセルがあります。",)}


def test_blank_lines_past_the_limit_are_skipped_and_content_past_it_refused(
    program, coordinator, tagawa
):
    line = roster_files.LINE_LIMIT + 1
    fine = csv_bytes("山本 彩花,a@example.org,402061,,\n" + "\n" * line)
    assert roster.read_roster(program, fine, "r.csv", by=coordinator).counts["new"] == 1
    late = csv_bytes("山本 彩花,a@example.org,402061,,\n" + "\n" * line + "遅い,b@example.org,,,\n")
    with pytest.raises(roster.RosterRefused):
        roster.read_roster(program, late, "r.csv", by=coordinator)


def test_reading_has_a_time_budget_and_reports_progress(program, coordinator, tagawa):
    rows = "".join(f"研修生 {i},t{i}@example.org,402061,,\n" for i in range(1_200))
    seen = []
    roster.read_roster(program, csv_bytes(rows), "r.csv", by=coordinator, progress=seen.append)
    assert seen == [500, 1000]
    with pytest.raises(roster.RosterRefused) as refused:
        roster.read_roster(program, csv_bytes(rows), "r.csv", by=coordinator, seconds=0)
    assert "0" in refused.value.message


def test_the_upload_is_read_by_the_worker_and_the_file_then_dropped(
    client, program, coordinator, tagawa, django_capture_on_commit_callbacks
):
    from programs.models import RosterImport

    client.force_login(coordinator)
    upload = io.BytesIO(csv_bytes("山本 彩花,a@example.org,402061,,\n"))
    upload.name = "名簿.csv"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("programs:roster_upload", args=[program.pk]), {"file": upload}
        )
    roster_import = program.roster_imports.get()
    assert response.url == reverse("programs:roster_import", args=[program.pk, roster_import.pk])
    # Until the worker has read it, the page says so and refreshes itself.
    assert (roster_import.state, bytes(roster_import.upload)[:3]) == ("reading", b"\xef\xbb\xbf")
    page = client.get(response.url).content.decode()
    assert 'http-equiv="refresh"' in page and "名簿.csv" in page
    assert "ファイルを読み込み中" in page
    for callback in callbacks:
        callback()
    roster_import.refresh_from_db()
    assert (roster_import.state, roster_import.upload) == ("preview", None)
    page = client.get(response.url).content.decode()
    assert 'http-equiv="refresh"' not in page and "a@example.org" in page
    assert RosterImport.objects.count() == 1 and Invitation.objects.count() == 0


def test_a_refused_file_says_why_beside_the_file_field(
    client, program, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    upload = io.BytesIO(b"PK\x03\x04 not really a zip")
    upload.name = "名簿.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        uploaded = client.post(
            reverse("programs:roster_upload", args=[program.pk]), {"file": upload}
        )
    response = client.get(uploaded.url)
    roster_import = program.roster_imports.get()
    assert (roster_import.state, roster_import.upload) == ("refused", None)
    form = response.context["form"]
    assert form.errors["file"] == [roster_import.error]
    # The reason is announced with the field: the input's aria-describedby names its list.
    page = response.content.decode()
    import re

    described = re.search(r'<input type="file"[^>]*aria-describedby="([^"]*)"', page)
    assert "id_file_error" in described.group(1).split()
    assert 'id="id_file_error"' in page
    assert "Excel" in response.content.decode()


def test_confirming_an_old_preview_is_refused(program, coordinator, tagawa):
    from datetime import timedelta

    from django.utils import timezone

    from programs.models import RosterImport

    preview = roster.read_roster(
        program, csv_bytes("山本 彩花,a@example.org,402061,,\n"), "r.csv", by=coordinator
    )
    kept = RosterImport.objects.create(
        program=program, requested_by=coordinator, state="preview", rows=preview.to_json()
    )
    later = kept.created_at + timedelta(hours=roster.PREVIEW_HOURS, minutes=1)
    with pytest.raises(roster.RosterRefused):
        roster.confirm_roster(kept, by=coordinator, now=later)
    assert roster.forget_old_previews(now=later) == 1
    assert not RosterImport.objects.exists()
    assert timezone.now() < later


def test_roster_pages_are_scoped(client, program, other_program, coordinator, outsider):
    from programs.models import RosterImport

    mine = RosterImport.objects.create(program=program, requested_by=coordinator, state="preview")
    theirs = RosterImport.objects.create(program=other_program, state="preview")
    page = reverse("programs:roster_import", args=[program.pk, mine.pk])
    confirm = reverse("programs:roster_confirm", args=[program.pk, mine.pk])
    for url in (page, confirm):
        response = client.post(url) if url == confirm else client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url
    client.force_login(outsider)
    assert client.get(page).status_code == 404
    assert client.post(confirm).status_code == 404
    client.force_login(coordinator)
    assert client.get(page).status_code == 200
    # Another program's import under this program's address: not found.
    assert (
        client.get(reverse("programs:roster_import", args=[program.pk, theirs.pk])).status_code
        == 404
    )
    assert (
        client.post(reverse("programs:roster_confirm", args=[program.pk, theirs.pk])).status_code
        == 404
    )


# --- What the review found: every outcome recorded, memory flat, limits on every member -----


def test_a_row_the_invitation_would_refuse_is_invalid_in_the_preview(program, coordinator, tagawa):
    data = csv_bytes(
        '山本 彩花,a@example.org,402061,"総務部\n総務課",主事\n'  # Alt+Enter in an Excel cell
        f"{'長' * 61} 花子,b@example.org,402061,,\n"
    )
    preview = roster.read_roster(program, data, "r.csv", by=coordinator)
    assert [r.status for r in preview.rows] == ["invalid", "invalid"]
    assert preview.rows[0].errors[0].startswith("所属：")
    assert "改行" in preview.rows[0].errors[0]
    assert preview.rows[1].errors == ["姓と名は、それぞれ 60 文字までです。"]


def with_cells(data: bytes, rows: int, cells: int) -> bytes:
    """The sheet with `rows` more rows after the last, each of `cells` empty styled cells."""
    import zipfile

    extra = b"".join(
        b'<row r="%d">' % (100 + r) + b'<c s="0"/>' * cells + b"</row>" for r in range(rows)
    )
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</sheetData>", extra + b"</sheetData>")
            target.writestr(item.filename, content)
    return out.getvalue()


def test_wide_rows_are_read_in_flat_memory_and_wider_ones_refused(program, coordinator, tagawa):
    import tracemalloc

    data = sheet_xlsx({1: _row(*HEADINGS), 2: _row("山本 彩花", "a@example.org", "402061", "", "")})

    # 25 rows as wide as Excel allows (16,000 cells each, 400,000 in all, 4 MB of XML).
    def read(sheet: bytes) -> tuple[list, int]:
        tracemalloc.start()
        try:
            return list(roster_files.records(sheet, "名簿.xlsx")), tracemalloc.get_traced_memory()[
                1
            ]
        finally:
            tracemalloc.stop()

    records, peak = read(with_cells(data, 25, 16_000))
    assert records[1] == (2, ["山本 彩花", "a@example.org", "402061", "", ""])
    assert len(records) == 27 and all(cells == [""] * 5 for _line, cells in records[2:])
    # The cells are passed over as they go by: reading 25 such rows costs no more memory
    # than reading 2 (openpyxl's look at the first 64 KB for the dimension is the same in
    # both); a dict per cell would add megabytes a row.
    _records, two_rows = read(with_cells(data, 2, 16_000))
    assert peak < two_rows + 128 * 1024, (peak, two_rows)
    _records, narrow_rows = read(with_cells(data, 2, 100))
    assert two_rows < narrow_rows + 1024 * 1024, (two_rows, narrow_rows)
    # More cells in a row than Excel has columns, or more than a roster could use: refused.
    for rows, cells in ((1, roster_files.MAX_COLUMNS + 1), (40, 13_000)):
        with pytest.raises(roster.RosterRefused) as refused:
            list(roster_files.records(with_cells(data, rows, cells), "名簿.xlsx"))
        assert "500,000" in refused.value.message


def test_every_member_of_the_zip_counts_towards_the_unpacked_limit(program, coordinator):
    import zipfile

    data = sheet_xlsx({1: _row(*HEADINGS), 2: _row("a", "a@example.org", "402061", "", "")})
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item.filename, source.read(item))
        # Named as no XML part is: the sheet could be, through the workbook's rels.
        target.writestr("xl/worksheets/sheet1.bin", b"\0" * (roster_files.MAX_XLSX_UNCOMPRESSED))
    assert len(out.getvalue()) < 100_000
    with pytest.raises(roster.RosterRefused) as refused:
        roster.read_roster(program, out.getvalue(), "名簿.xlsx", by=coordinator)
    assert refused.value.message == "この .xlsx ファイルは展開すると大きすぎます。"


def test_whatever_goes_wrong_reading_the_page_says_it_and_stops_refreshing(
    client, program, coordinator, monkeypatch
):
    from datetime import timedelta

    from programs.models import RosterImport

    stuck = RosterImport.objects.create(
        program=program, requested_by=coordinator, filename="名簿.xlsx", upload=b"PK"
    )

    def breaks(*args, **kwargs):  # what no RosterRefused names: a bug, a library's error
        raise RuntimeError("unexpected")

    monkeypatch.setattr(roster, "read_roster", breaks)
    roster.run_roster_read(stuck.pk)
    stuck.refresh_from_db()
    assert (stuck.state, stuck.upload, stuck.error) == (
        "refused",
        None,
        "この .xlsx ファイルは表計算ファイルとして読めません。Excel で保存し直してください。",
    )

    # A reader killed mid-file (never delivered again): after a few minutes, said so.
    killed = RosterImport.objects.create(
        program=program, requested_by=coordinator, filename="名簿.xlsx", upload=b"PK"
    )
    client.force_login(coordinator)
    url = reverse("programs:roster_import", args=[program.pk, killed.pk])
    assert 'http-equiv="refresh"' in client.get(url).content.decode()
    RosterImport.objects.filter(pk=killed.pk).update(
        created_at=killed.created_at - timedelta(minutes=roster.READING_MINUTES + 1)
    )
    page = client.get(url).content.decode()
    assert 'http-equiv="refresh"' not in page and "途中で止まりました" in page


def test_an_expired_or_unreadable_preview_is_said_not_offered(client, program, coordinator):
    from datetime import timedelta

    from programs.models import RosterImport

    old = RosterImport.objects.create(
        program=program,
        requested_by=coordinator,
        state="preview",
        rows=[asdict_row("a@example.org")],
    )
    RosterImport.objects.filter(pk=old.pk).update(
        created_at=old.created_at - timedelta(hours=roster.PREVIEW_HOURS, minutes=1)
    )
    client.force_login(coordinator)
    page = client.get(reverse("programs:roster_import", args=[program.pk, old.pk])).content.decode()
    assert "プレビューの有効期限が切れました" in page
    assert reverse("programs:roster_confirm", args=[program.pk, old.pk]) not in page

    odd = RosterImport.objects.create(
        program=program, requested_by=coordinator, state="preview", rows=[{"line": 1}]
    )
    response = client.get(reverse("programs:roster_import", args=[program.pk, odd.pk]))
    assert (
        response.status_code == 200
        and "このプレビューは読み込めません" in response.content.decode()
    )
    response = client.post(
        reverse("programs:roster_confirm", args=[program.pk, odd.pk]), follow=True
    )
    assert (
        response.status_code == 200
        and "このプレビューは読み込めません" in response.content.decode()
    )
    odd.refresh_from_db()
    assert odd.state == "preview"


def asdict_row(email):
    from dataclasses import asdict

    return asdict(
        roster.RosterRow(
            line=2,
            name="山本 彩花",
            email=email,
            municipality_code="402061",
            department="",
            position="",
            status="new",
        )
    )


def test_the_preview_shows_what_a_cell_really_holds(
    client, program, coordinator, tagawa, django_capture_on_commit_callbacks
):
    """A right-to-left override in an address would turn the rest of the row around on the
    screen: the preview writes it out, beside the reason the row is invalid."""
    client.force_login(coordinator)
    upload = io.BytesIO(csv_bytes("山本 彩花,ayaka@exa\u202emple.org,402061,,\n"))
    upload.name = "名簿.csv"
    with django_capture_on_commit_callbacks(execute=True):
        uploaded = client.post(
            reverse("programs:roster_upload", args=[program.pk]), {"file": upload}
        )
    page = client.get(uploaded.url).content.decode()
    assert "ayaka@exa&lt;U+202E&gt;mple.org" in page
    assert "\u202e" not in page.split("<tbody>")[1]


def test_the_preview_page_writes_nothing(
    client, program, coordinator, registered, django_capture_on_commit_callbacks
):
    """Reading, previewing and showing a stopped reading are all GETs that only read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(coordinator)
    upload = io.BytesIO(csv_bytes(f"田中 翔,{registered.email},402061,総務課,主事\n"))
    upload.name = "roster.csv"
    with django_capture_on_commit_callbacks(execute=True):
        uploaded = client.post(
            reverse("programs:roster_upload", args=[program.pk]), {"file": upload}
        )
    with CaptureQueriesContext(connection) as queries:
        preview = client.get(uploaded.url)
    assert preview.context["preview"].counts == {"new": 0, "existing": 1, "invalid": 0}
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
