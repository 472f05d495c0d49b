"""axe-core, injected into each main page, finds no serious or critical violation (WCAG 2.1 A
and AA, and axe's best practices), in Japanese and in English, for each role.

axe-core comes from the npm registry into var/npm/ (`scripts/axe-core`, run by `make test`).
Without it these tests skip locally and fail under KENSHU_REQUIRE_BROWSER=1 (CI). Each user
sees every page in Japanese, switches once with the "English" button at the top and sees every
page again; each page is a subtest named after the page and the language. The moderate and
minor findings are printed (`pytest -s` shows them)."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.services.week import cancel_activity
from seminars.services.trips import save_trip
from trainees.services.reflections import submit

from ..factories import add_activity, enrol
from ..seminars.conftest import plan
from ..trainees.conftest import SECTIONS, running_program
from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "var" / "npm" / "node_modules" / "axe-core"
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    }
}
BLOCKING = {"serious", "critical"}
LANGUAGES = {"ja": "日本語", "en": "English"}
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def axe_source():
    script = AXE / "axe.min.js"
    if not script.exists():
        reason = f"axe-core not found at {script}: `make test` installs it (scripts/axe-core)"
        if os.environ.get("KENSHU_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason} (KENSHU_REQUIRE_BROWSER=1)", pytrace=False)
        pytest.skip(reason)
    return script.read_text(encoding="utf-8")


@pytest.fixture
def browser_context_args(browser_context_args):
    """The app's Content-Security-Policy forbids inline scripts, axe's among them."""
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def scene(host, coordinator, staff, trainee, supervisor):
    """A program running now (an activity on each of its five days), the trainee enrolled
    with a submitted reflection for yesterday, and a two-day trip from today."""
    today = timezone.localdate()
    program = running_program(host, "ITベンチャー研修（アクセシビリティ）", today)
    enrollment = enrol(program, trainee)
    enrollment.mentor = staff
    enrollment.save(update_fields=["mentor"])
    submit(enrollment, today - timedelta(days=1), SECTIONS, by=trainee)
    trip = save_trip(
        program,
        plan(program, [enrollment], [staff], start_date=today, end_date=today + timedelta(days=1)),
        by=coordinator,
    )
    # The week in editing state: an activity to open, and one deleted (元に戻す on offer).
    activity = program.activities.live().filter(origin="").first()
    deleted = add_activity(program, today, "07:00", "07:30", "削除した活動")
    cancel_activity(deleted, by=coordinator)
    return {
        "program": program,
        "enrollment": enrollment,
        "today": today,
        "trip": trip,
        "activity": activity,
        "deleted": deleted,
    }


def audit(page, axe_source, name: str, language: str, document_language: str | None = None):
    """Inject axe into the page shown, run it, print the lesser findings and fail on a serious
    or critical one. A printed document is Japanese whatever the page's language: its page
    says so (`document_language`), and marks its own controls with the user's language."""
    expected = document_language or language
    assert page.locator("html").get_attribute("lang") == expected, f"{name} is not in {expected}"
    page.add_script_tag(content=axe_source)
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    blocking, lesser = [], []
    for violation in result["violations"]:
        (blocking if violation["impact"] in BLOCKING else lesser).append(violation)
    for violation in lesser:
        print(f"\n{name} [{language}]: {describe(violation)}")
    if blocking:
        pytest.fail(f"{name} [{language}]:\n" + "\n".join(map(describe, blocking)), pytrace=False)


def describe(violation) -> str:
    nodes = violation["nodes"]
    targets = ", ".join(" ".join(node["target"]) for node in nodes[:5])
    if len(nodes) > 5:
        targets += f" (+{len(nodes) - 5} more)"
    summary = nodes[0]["failureSummary"].replace("\n", "\n    ")
    return (
        f"{violation['impact']} {violation['id']}: {violation['help']} — {targets}\n    {summary}"
    )


def audit_pages(page, live_server, axe_source, subtests, pages):
    """Every page in Japanese (the default), then, after one click on "English" at the top,
    every page in English; each a subtest named after the page and the language."""
    for language in LANGUAGES:
        if page.locator("html").get_attribute("lang") != language:
            page.get_by_role("button", name=LANGUAGES[language]).click()
            page.wait_for_load_state()
        for name, url, *document_language in pages:
            with subtests.test(page=name, language=language):
                response = page.goto(f"{live_server.url}{url}")
                assert response.ok, f"{name}: {url} answered {response.status}"
                audit(page, axe_source, name, language, *document_language)
                if document_language:
                    controls = page.locator("header.no-print")
                    assert controls.get_attribute("lang") == language


def test_login_page(page, live_server, axe_source, subtests):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/")
    audit_pages(page, live_server, axe_source, subtests, [("login", reverse("account_login"))])


def test_coordinator_pages(page, live_server, axe_source, subtests, scene, coordinator, host):
    from programs.models import Membership

    program = scene["program"].pk
    member = Membership.objects.get(user=coordinator, host_company=host).pk
    week = reverse("programs:week_grid", args=[program])
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, coordinator.email)
    pages = [
        ("dashboard", reverse("programs:host_home")),
        ("programs", reverse("programs:program_list")),
        ("program", reverse("programs:program_detail", args=[program])),
        ("week editor", reverse("programs:week_grid", args=[program])),
        ("week editor, an activity open", week + f"?edit={scene['activity'].pk}"),
        ("week editor, 元に戻す offered", week + f"?deleted={scene['deleted'].pk}"),
        ("reflections matrix", reverse("trainees:reflection_matrix", args=[program])),
        ("new reflections", reverse("trainees:reflection_inbox")),
        ("trips", reverse("seminars:trip_list", args=[program])),
        ("trip", reverse("seminars:trip_detail", args=[program, scene["trip"].pk])),
        ("documents", reverse("reports:program_documents", args=[program])),
        (
            "program report (print view)",
            reverse("reports:program_report_print", args=[program]),
            "ja",
        ),
        ("reports:exports", reverse("reports:exports")),
        ("people", reverse("programs:host_people", args=[host.pk])),
        (
            "a member's telephone number",
            reverse("programs:membership_phone", args=[host.pk, member]),
        ),
    ]
    audit_pages(page, live_server, axe_source, subtests, pages)


@pytest.fixture
def planning(host, coordinator, trainee):
    """A program from the built-in week, its trip planned without legs or seminars: the
    placeholders (予定枠) wait on the grid, the tables and the trip's page."""
    import importlib

    from django.apps import apps

    from programs.models import WeekTemplate
    from programs.services.week_templates import apply_template

    from ..factories import ProgramFactory
    from . import steps

    importlib.import_module("programs.migrations.0003_builtin_week_template").create(apps, None)
    monday, friday = steps.free_week()
    program = ProgramFactory(
        host=host, title="予定枠のある研修", start_date=monday, end_date=friday
    )
    enrollment = enrol(program, trainee)
    template = WeekTemplate.objects.get(host__isnull=True, name="ITベンチャー研修（1週間）")
    apply_template(program, template, skip_weekends=True, by=coordinator)
    day = monday + timedelta(days=1)
    trip = save_trip(
        program,
        plan(program, [enrollment], start_date=day, end_date=day + timedelta(days=1)),
        by=coordinator,
    )
    return program, trip


def test_planning_pages(page, live_server, axe_source, subtests, planning, coordinator):
    """The week with its placeholders, the trip's tables, the trip with placeholders left,
    the new program's form with its template, the checklist before publishing."""
    program, trip = planning
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, coordinator.email)
    pages = [
        ("week with placeholders", reverse("programs:week_grid", args=[program.pk])),
        ("legs table", reverse("seminars:leg_table", args=[program.pk, trip.pk])),
        ("seminars table", reverse("seminars:seminar_table", args=[program.pk, trip.pk])),
        ("trip with placeholders", reverse("seminars:trip_detail", args=[program.pk, trip.pk])),
        ("new program", reverse("programs:program_create")),
        ("before publishing", reverse("programs:program_publish", args=[program.pk])),
    ]
    audit_pages(page, live_server, axe_source, subtests, pages)


def test_trainee_pages_on_a_phone(page, live_server, axe_source, subtests, scene, trainee):
    enrollment, today = scene["enrollment"], scene["today"]
    page.set_viewport_size(PHONE)
    log_in(page, live_server, trainee.email)
    pages = [
        ("today", reverse("programs:trainee_today")),
        ("my week", reverse("programs:trainee_week")),
        ("reflection form", reverse("trainees:reflection_write", args=[enrollment.pk, today])),
        ("my reflections", reverse("trainees:my_reflections")),
        (
            "trip report form",
            reverse("seminars:trip_report_write", args=[scene["program"].pk, scene["trip"].pk]),
        ),
    ]
    audit_pages(page, live_server, axe_source, subtests, pages)


def test_supervisor_pages(page, live_server, axe_source, subtests, scene, supervisor):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, supervisor.email)
    pages = [
        ("our trainees", reverse("reports:municipality_home")),
        ("a trainee", reverse("reports:contact_trainee", args=[scene["enrollment"].pk])),
        ("documents", reverse("reports:contact_documents")),
        ("program", reverse("programs:program_detail", args=[scene["program"].pk])),
        ("reflections", reverse("trainees:supervisor_reflections")),
    ]
    audit_pages(page, live_server, axe_source, subtests, pages)


@pytest.fixture
def scheme_scene(host, coordinator, supervisor, tagawa, kitami):
    """A closed call matched once with 田川市's pair confirmed (its draft program), and an
    open call for the forms."""
    from scheme.services.confirmation import confirm_proposal
    from scheme.services.matching import run_matching

    from ..scheme.factories import make_application, make_call, make_offer, office_member

    today = timezone.localdate()
    office = office_member()
    closed = make_call(today, open_now=False)
    make_offer(closed, host, closed.weeks()[:3], places=2)
    make_application(closed, tagawa, hosts=[host], staff=2)
    make_application(closed, kitami, hosts=[host], staff=2, no_overnight=True)
    run = run_matching(closed, by=office, now=timezone.now())
    match = confirm_proposal(
        run.proposals.get(application__municipality=tagawa), by=office, now=timezone.now()
    )
    opened = make_call(today, open_now=True, fiscal_year=closed.fiscal_year + 1)
    return {"office": office, "closed": closed, "open": opened, "match": match}


def test_scheme_pages(
    page, live_server, axe_source, subtests, scheme_scene, coordinator, supervisor
):
    """The office's calls, lists, matching and year; a coordinator's offer form and match;
    a contact's application form and the naming of the staff (on a phone)."""
    closed, opened, match = scheme_scene["closed"], scheme_scene["open"], scheme_scene["match"]
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, scheme_scene["office"].email)
    audit_pages(page, live_server, axe_source, subtests, [
        ("calls", reverse("scheme:calls")),
        ("new call", reverse("scheme:call_new")),
        ("call", reverse("scheme:call_detail", args=[closed.pk])),
        ("offers", reverse("scheme:offers", args=[closed.pk])),
        ("applications", reverse("scheme:applications", args=[closed.pk])),
        ("matching", reverse("scheme:matching", args=[closed.pk])),
        ("matches", reverse("scheme:my_matches")),
        ("the year", reverse("reports:office_year") + f"?year={closed.fiscal_year}"),
    ])  # fmt: skip
    page.context.clear_cookies()
    log_in(page, live_server, coordinator.email)
    audit_pages(page, live_server, axe_source, subtests, [
        ("offer form", reverse("scheme:offer_new", args=[opened.pk])),
        ("host's match", reverse("scheme:match_detail", args=[match.pk])),
    ])  # fmt: skip
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    log_in(page, live_server, supervisor.email)
    audit_pages(page, live_server, axe_source, subtests, [
        ("application form", reverse("scheme:application_new", args=[opened.pk])),
        ("staff to name", reverse("scheme:match_staff", args=[match.pk])),
    ])  # fmt: skip
