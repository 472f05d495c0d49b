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
