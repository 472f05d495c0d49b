"""The roster's reading page as a coordinator meets it: while a worker reads the file (the page
refreshes itself), and when the file cannot be read (the reason beside the file field)."""

from playwright.sync_api import expect

from programs.models import RosterImport

from .conftest import log_in


def test_a_file_being_read_then_one_refused(page, live_server, program, coordinator, shoot):
    log_in(page, live_server, coordinator.email)
    reading = RosterImport.objects.create(
        program=program, requested_by=coordinator, filename="名簿.xlsx", lines_read=3_500
    )
    page.goto(f"{live_server.url}/programs/{program.pk}/roster/{reading.pk}/")
    expect(page.get_by_role("status")).to_contain_text(
        "「名簿.xlsx」をバックグラウンドで読み込んで"
    )
    expect(page.get_by_role("status")).to_contain_text("3,500 行を読みました")
    assert page.locator('meta[http-equiv="refresh"]').count() == 1
    shoot("roster-01-reading")

    # The worker is done reading and could not: the next refresh shows why, by the field.
    RosterImport.objects.filter(pk=reading.pk).update(
        state="refused", error="このファイルは表計算のファイルとして読めません。"
    )
    page.reload()
    field = page.get_by_label("名簿ファイル")
    expect(field).to_be_visible()
    expect(page.locator(".field").filter(has=field)).to_contain_text(
        "表計算のファイルとして読めません"
    )
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    shoot("roster-02-refused")


def test_a_preview_with_rows_that_cannot_be_sent(
    page, live_server, program, coordinator, tagawa, shoot, tmp_path
):
    """Rows an invitation would refuse are 無効 with the reason, the characters written out."""
    roster = tmp_path / "名簿.csv"
    roster.write_text(
        "氏名,メールアドレス,自治体コード,所属,職名\n"
        "山本 彩花,ayaka@exa\u202emple.org,402061,産業振興課,主事\n"
        '田中 翔,sho@example.org,402061,"総務部\n総務課",主事\n'
        "佐藤 美咲,misaki@example.org,402061,総務課,主事\n",
        encoding="utf-8",
    )
    log_in(page, live_server, coordinator.email)
    page.goto(f"{live_server.url}/programs/{program.pk}/roster/")
    page.get_by_label("名簿ファイル").set_input_files(str(roster))
    page.get_by_role("button", name="プレビュー").click()
    page.wait_for_load_state()
    expect(page.get_by_text("ayaka@exa<U+202E>mple.org")).to_be_visible()
    expect(page.get_by_text("送信できない文字（U+202E）")).to_be_visible()
    expect(page.get_by_text("所属：ここでは改行は使えません", exact=False)).to_be_visible()
    assert page.get_by_role("button", name="確定").count() == 0
    shoot("roster-03-invalid-rows")
