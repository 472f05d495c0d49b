"""Every program page, from every side: coordinator writes, staff reads (403 on writes),
a supervisor sees only their municipality's trainees, a trainee their own program, and an
outsider gets 404 everywhere."""

from datetime import date

import pytest
from django.urls import reverse

from ..factories import add_activity, enrol, table_rows

pytestmark = pytest.mark.django_db
MON = date(2026, 11, 30)


@pytest.fixture
def world(program, trainee, other_trainee, coordinator, staff, host):
    enrollment = enrol(program, trainee)
    from programs.models import Membership, TraineeProfile

    # A trainee of another municipality in the same program.
    TraineeProfile.objects.filter(user=other_trainee).exists()
    other_enrollment = enrol(program, other_trainee)
    activity = add_activity(program, MON, "10:00", "11:00", "活動")
    assert Membership.objects.filter(user=staff).exists()
    from programs.models import RosterImport

    roster_import = RosterImport.objects.create(
        program=program, requested_by=coordinator, state="preview", rows=[]
    )
    return {
        "roster_import": roster_import,
        "program": program,
        "enrollment": enrollment,
        "other": other_enrollment,
        "activity": activity,
    }


def read_urls(w):
    p = w["program"].pk
    return [
        reverse("programs:program_detail", args=[p]),
        reverse("programs:week_grid", args=[p]),
        reverse("programs:activity_ics", args=[w["activity"].pk]),
    ]


def write_gets(w):
    p = w["program"].pk
    return [
        reverse("programs:program_edit", args=[p]),
        reverse("programs:invite_trainee", args=[p]),
        reverse("programs:roster_upload", args=[p]),
        reverse("programs:roster_import", args=[p, w["roster_import"].pk]),
        reverse("programs:week_grid", args=[p]) + "?add=2026-11-30",
        reverse("programs:week_grid", args=[p]) + f"?edit={w['activity'].pk}",
    ]


def write_posts(w):
    p, a, e = w["program"].pk, w["activity"].pk, w["enrollment"].pk
    return [
        reverse("programs:program_move", args=[p]),
        reverse("programs:enrollment_create", args=[p]),
        reverse("programs:enrollment_withdraw", args=[p, e]),
        reverse("programs:roster_confirm", args=[p, w["roster_import"].pk]),
        reverse("programs:activity_create", args=[p]),
        reverse("programs:activity_update", args=[p, a]),
        reverse("programs:activity_move", args=[p, a]),
        reverse("programs:activity_resize", args=[p, a]),
        reverse("programs:activity_cancel", args=[p, a]),
        reverse("programs:activity_restore", args=[p, a]),
        reverse("programs:week_apply_template", args=[p]),
        reverse("programs:week_copy", args=[p]),
        reverse("programs:week_save_template", args=[p]),
    ]


def test_outsider_gets_404_everywhere(client, world, outsider):
    client.force_login(outsider)
    for url in read_urls(world) + write_gets(world):
        assert client.get(url).status_code == 404, url
    for url in write_posts(world):
        assert client.post(url).status_code == 404, url
    world["activity"].refresh_from_db()
    assert world["activity"].cancelled_at is None


def test_staff_reads_but_cannot_write(client, world, staff):
    client.force_login(staff)
    for url in read_urls(world):
        assert client.get(url).status_code == 200, url
    for url in write_gets(world):
        assert client.get(url).status_code == 403, url
    for url in write_posts(world):
        assert client.post(url).status_code == 403, url


def test_coordinator_reaches_every_page(client, world, coordinator):
    client.force_login(coordinator)
    for url in read_urls(world) + write_gets(world):
        assert client.get(url).status_code == 200, url


def test_supervisor_sees_only_their_trainees_rows(
    client, world, supervisor, trainee, other_trainee, other_supervisor
):
    client.force_login(supervisor)
    response = client.get(reverse("programs:program_detail", args=[world["program"].pk]))
    assert [e.trainee for e in response.context["enrollments"]] == [trainee]
    assert (
        client.get(reverse("programs:program_edit", args=[world["program"].pk])).status_code == 403
    )
    list_page = client.get(reverse("programs:program_list"))
    assert [row[4] for row in table_rows(list_page.content)] == ["1"]  # the 研修生 column


def test_trainee_reads_own_program_only(client, world, trainee, other_program):
    client.force_login(trainee)
    assert (
        client.get(reverse("programs:program_detail", args=[world["program"].pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("programs:program_detail", args=[other_program.pk])).status_code == 404
    )
    assert (
        client.get(reverse("programs:program_edit", args=[world["program"].pk])).status_code == 403
    )


def test_trainee_cannot_download_an_activity_they_do_not_take_part_in(client, world, trainee):
    program = world["program"]
    only_other = add_activity(
        program, MON, "13:00", "14:00", "他の人だけ", participants=[world["other"]]
    )
    client.force_login(trainee)
    assert client.get(reverse("programs:activity_ics", args=[only_other.pk])).status_code == 404


def test_a_host_person_who_also_supervises_sees_both_kinds_of_program(
    client, program, other_program, outsider, trainee, tagawa
):
    """The host's people get a simpler query (their hosts' programs by id); a person who also
    supervises a municipality still sees the other host's program where their trainee is."""
    from programs.access import programs_for
    from programs.models import Membership, Role, Status

    other_program.status = Status.PUBLISHED
    other_program.save()
    enrol(other_program, trainee)
    titles = {program.title, other_program.title}
    assert program.title != other_program.title
    # The outsider works for the other host; made supervisor of 田川市 (the trainee's).
    client.force_login(outsider)
    before = {row[0] for row in table_rows(client.get(reverse("programs:program_list")).content)}
    assert before == {other_program.title}
    Membership.objects.create(user=outsider, role=Role.SUPERVISOR, municipality=tagawa)
    Membership.objects.filter(user=outsider, role__in=[Role.COORDINATOR, Role.STAFF]).update(
        host_company=program.host
    )
    after = {row[0] for row in table_rows(client.get(reverse("programs:program_list")).content)}
    assert after == titles
    outsider.refresh_from_db()
    assert set(programs_for(outsider).values_list("title", flat=True)) == titles


def test_the_list_pages_fifty_at_a_time_and_the_next_page_keeps_the_filter(
    client, coordinator, host
):
    from programs.models import Program

    from ..factories import ProgramFactory

    ProgramFactory.create_batch(53, host=host, title="ページ送りの研修")
    client.force_login(coordinator)
    url = reverse("programs:program_list")
    first = client.get(url).content.decode()
    assert first.count("ページ送りの研修") == 50 and "1 / 2" in first
    assert 'href="?page=2"' in first and "前へ" not in first
    second = client.get(url, {"page": "2"}).content.decode()
    assert second.count("ページ送りの研修") == 3 and 'href="?page=1"' in second
    filtered = client.get(url, {"q": "ページ送り", "fiscal_year": "2026"}).content.decode()
    assert filtered.count("ページ送りの研修") == 50
    assert (
        'href="?q=%E3%83%9A%E3%83%BC%E3%82%B8%E9%80%81%E3%82%8A&amp;fiscal_year=2026&amp;page=2"'
        in (filtered)
    )
    assert Program.objects.filter(host=host).count() == 53
