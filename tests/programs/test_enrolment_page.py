"""The program page's trainees: several registered trainees enrolled at once (all or none),
each row's mentor chosen and changed, and a withdrawal that asks first."""

import secrets
from datetime import date

import pytest
from django.urls import reverse

from programs.models import ActivityLog, Enrollment, Invitation, Role, TraineeProfile
from programs.services import programs as program_services

from ..factories import (
    TraineeProfileFactory,
    UserFactory,
    add_activity,
    count_queries,
    enrol,
    host_member,
)

pytestmark = pytest.mark.django_db
MON = date(2026, 11, 30)


def known_to(host, user, coordinator):
    """`user` accepted one of the host's invitations once: a registered trainee it may enrol."""
    Invitation.objects.create(
        email=user.email,
        role="trainee",
        host_company=host,
        municipality=user.trainee_profile.municipality,
        token_hash=secrets.token_hex(32),
        invited_by=coordinator,
        expires_at="2030-01-01T00:00:00Z",
        accepted_by=user,
        accepted_at="2026-01-01T00:00:00Z",
    )
    return user


@pytest.fixture
def two(host, coordinator, tagawa):
    return [
        known_to(host, TraineeProfileFactory(municipality=tagawa).user, coordinator)
        for _ in range(2)
    ]


def enrol_url(program):
    return reverse("programs:enrollment_create", args=[program.pk])


class TestSeveralAtOnce:
    def test_the_page_offers_tick_boxes_of_the_registered_trainees(
        self, client, program, coordinator, two
    ):
        client.force_login(coordinator)
        html = client.get(reverse("programs:program_detail", args=[program.pk])).content.decode()
        assert html.count('type="checkbox" name="trainees"') == 2
        assert "登録済みの研修生を参加登録" in html and ">参加登録</button>" in html

    def test_the_ticked_trainees_are_enrolled_with_one_mentor(
        self, client, program, coordinator, staff, two
    ):
        client.force_login(coordinator)
        response = client.post(
            enrol_url(program), {"trainees": [u.pk for u in two], "mentor": staff.pk}
        )
        assert response.status_code == 302
        enrolled = Enrollment.objects.filter(program=program)
        assert {e.trainee for e in enrolled} == set(two)
        assert {e.mentor for e in enrolled} == {staff}
        follow = client.get(response.url).content.decode()
        assert "2人の研修生を参加登録しました。" in follow

    def test_one_clash_enrols_nobody_and_names_the_person(
        self, client, program, other_program, coordinator, two
    ):
        clashing = two[1]
        add_activity(program, MON, "10:00", "12:00", "オリエンテーション")
        enrol(other_program, clashing)
        add_activity(other_program, MON, "11:00", "12:00", "別の研修の活動")
        client.force_login(coordinator)
        logged = ActivityLog.objects.count()
        response = client.post(enrol_url(program), {"trainees": [u.pk for u in two]})
        assert response.status_code == 400
        assert not program.enrollments.exists()
        assert ActivityLog.objects.count() == logged
        errors = response.context["enroll_form"].errors["trainees"]
        assert clashing.display_name in errors[0] and "オリエンテーション" in errors[0]
        html = response.content.decode()
        # Next to the tick boxes, the ticks kept.
        assert html.index(clashing.display_name + "さん") > html.index("参加登録する研修生")
        assert html.count("checked") >= 2

    def test_nothing_ticked_says_so_next_to_the_field(self, client, program, coordinator, two):
        client.force_login(coordinator)
        response = client.post(enrol_url(program), {"trainees": []})
        assert response.status_code == 400
        assert response.context["enroll_form"].errors["trainees"] == [
            "参加登録する研修生を1人以上選んでください。"
        ]
        assert "field--error" in response.content.decode()
        assert not program.enrollments.exists()

    def test_a_trainee_of_another_scope_is_refused_and_nobody_enrolled(
        self, client, program, coordinator, two, other_trainee
    ):
        client.force_login(coordinator)
        response = client.post(enrol_url(program), {"trainees": [two[0].pk, other_trainee.pk]})
        assert response.status_code == 400
        assert "trainees" in response.context["enroll_form"].errors
        assert not program.enrollments.exists()

    def test_the_service_refuses_a_mentor_from_outside_the_host(
        self, program, coordinator, outsider, two
    ):
        with pytest.raises(program_services.ProgramRefused) as refused:
            program_services.enroll_many(program, two, by=coordinator, mentor=outsider)
        assert refused.value.errors == {"mentor": refused.value.message}
        assert not program.enrollments.exists()

    def test_the_service_refuses_an_empty_list(self, program, coordinator):
        with pytest.raises(program_services.ProgramRefused) as refused:
            program_services.enroll_many(program, [], by=coordinator)
        assert refused.value.field == "trainees"


class TestMentor:
    def mentor_url(self, program, enrollment):
        return reverse("programs:enrollment_mentor", args=[program.pk, enrollment.pk])

    def test_any_enrolment_gets_a_mentor_logged(self, client, program, coordinator, staff, trainee):
        enrollment = enrol(program, trainee)  # as a roster or an invitation does: no mentor
        client.force_login(coordinator)
        response = client.post(self.mentor_url(program, enrollment), {"mentor": staff.pk})
        assert response.status_code == 302
        enrollment.refresh_from_db()
        assert enrollment.mentor == staff
        log = ActivityLog.objects.get(action="enrollment.mentor_changed")
        assert log.actor == coordinator and log.data == {"from": None, "to": staff.pk}
        # And cleared.
        client.post(self.mentor_url(program, enrollment), {"mentor": ""})
        enrollment.refresh_from_db()
        assert enrollment.mentor is None

    def test_with_htmx_the_row_is_drawn_again(self, client, program, coordinator, staff, trainee):
        enrollment = enrol(program, trainee)
        client.force_login(coordinator)
        response = client.post(
            self.mentor_url(program, enrollment), {"mentor": staff.pk}, HTTP_HX_REQUEST="true"
        )
        html = response.content.decode()
        assert response.status_code == 200 and html.lstrip().startswith("<tr")
        assert f'<option value="{staff.pk}" selected>' in html
        assert "メンターを保存しました" in html

    def test_a_person_outside_the_host_is_refused(
        self, client, program, coordinator, outsider, trainee
    ):
        enrollment = enrol(program, trainee)
        with pytest.raises(program_services.ProgramRefused):
            program_services.set_mentor(enrollment, outsider, by=coordinator)
        client.force_login(coordinator)
        client.post(self.mentor_url(program, enrollment), {"mentor": outsider.pk})
        enrollment.refresh_from_db()
        assert enrollment.mentor is None
        assert not ActivityLog.objects.filter(action="enrollment.mentor_changed").exists()

    def test_a_withdrawn_trainees_row_does_not_change(
        self, client, program, coordinator, staff, trainee
    ):
        enrollment = enrol(program, trainee)
        program_services.withdraw(enrollment, by=coordinator)
        enrollment.refresh_from_db()
        with pytest.raises(program_services.ProgramRefused):
            program_services.set_mentor(enrollment, staff, by=coordinator)
        client.force_login(coordinator)
        client.post(self.mentor_url(program, enrollment), {"mentor": staff.pk})
        enrollment.refresh_from_db()
        assert enrollment.mentor is None
        html = client.get(reverse("programs:program_detail", args=[program.pk])).content.decode()
        assert f'id="mentor-{enrollment.pk}"' not in html


class TestWithdrawal:
    def url(self, program, enrollment):
        return reverse("programs:enrollment_withdraw", args=[program.pk, enrollment.pk])

    def test_the_page_links_to_a_confirmation_instead_of_acting(
        self, client, program, coordinator, trainee
    ):
        enrollment = enrol(program, trainee)
        client.force_login(coordinator)
        html = client.get(reverse("programs:program_detail", args=[program.pk])).content.decode()
        assert (
            f'<a class="button button--small button--danger" href="{self.url(program, enrollment)}"'
            in html
        )

    def test_get_asks_who_and_what_happens_and_writes_nothing(
        self, client, program, coordinator, trainee
    ):
        enrollment = enrol(program, trainee)
        client.force_login(coordinator)
        response = client.get(self.url(program, enrollment))
        html = response.content.decode()
        assert response.status_code == 200
        assert trainee.display_name in html and "記入した内容" in html
        assert 'name="reason"' in html
        assert f'href="{reverse("programs:program_detail", args=[program.pk])}">キャンセル' in html
        enrollment.refresh_from_db()
        assert enrollment.withdrawn_at is None

    def test_post_withdraws_with_the_reason(self, client, program, coordinator, trainee):
        enrollment = enrol(program, trainee)
        client.force_login(coordinator)
        response = client.post(self.url(program, enrollment), {"reason": "体調不良"})
        assert response.status_code == 302
        enrollment.refresh_from_db()
        assert enrollment.withdrawn_at is not None
        assert enrollment.withdrawal_reason == "体調不良"
        again = client.get(self.url(program, enrollment)).content.decode()
        assert "すでに辞退しています" in again and 'name="reason"' not in again


@pytest.fixture
def world(program, coordinator, trainee):
    return {"program": program, "enrollment": enrol(program, trainee)}


def new_urls(w):
    p, e = w["program"].pk, w["enrollment"].pk
    return {
        "get": [
            reverse("programs:enrollment_withdraw", args=[p, e]),
            reverse("programs:program_publish", args=[p]),
        ],
        "post": [
            reverse("programs:enrollment_create", args=[p]),
            reverse("programs:enrollment_withdraw", args=[p, e]),
            reverse("programs:enrollment_mentor", args=[p, e]),
        ],
    }


class TestWhoMay:
    def check(self, client, world, status):
        urls = new_urls(world)
        for url in urls["get"]:
            assert client.get(url).status_code == status, url
        for url in urls["post"]:
            assert client.post(url).status_code == status, url
        world["enrollment"].refresh_from_db()
        assert world["enrollment"].withdrawn_at is None

    def test_another_hosts_coordinator_gets_404(self, client, world, outsider):
        client.force_login(outsider)
        self.check(client, world, 404)

    def test_the_trainee_gets_404(self, client, world, trainee):
        client.force_login(trainee)
        self.check(client, world, 404)

    def test_read_only_staff_get_403(self, client, world, staff):
        client.force_login(staff)
        self.check(client, world, 403)

    def test_anonymous_is_sent_to_log_in(self, client, world):
        urls = new_urls(world)
        for url in urls["get"]:
            response = client.get(url)
            assert response.status_code == 302 and "/accounts/login/" in response.url, url
        for url in urls["post"]:
            response = client.post(url)
            assert response.status_code == 302 and "/accounts/login/" in response.url, url


def grow(program, host, coordinator, tagawa, n):
    for _ in range(n):
        enrolled = TraineeProfileFactory(municipality=tagawa).user
        enrol(program, enrolled)
        known_to(host, TraineeProfileFactory(municipality=tagawa).user, coordinator)
        host_member(host, Role.STAFF, UserFactory.build().email)


def test_the_program_page_runs_the_same_queries_whatever_the_number_of_trainees(
    client, program, host, coordinator, tagawa
):
    client.force_login(coordinator)
    url = reverse("programs:program_detail", args=[program.pk])
    grow(program, host, coordinator, tagawa, 3)
    few, _ = count_queries(client, url)
    grow(program, host, coordinator, tagawa, 20)
    many, ctx = count_queries(client, url)
    assert TraineeProfile.objects.count() >= 46
    assert few == many, "\n".join(q["sql"] for q in ctx.captured_queries)
