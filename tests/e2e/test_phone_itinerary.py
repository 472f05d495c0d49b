"""The trainee's phone at 360×740, during a trip that is on today (yesterday to tomorrow):
今日 says 出張中 and leads to the itinerary as cards, the next leg first (tomorrow's), the past
one after it, each place with a map link and the coordinator's and the staff member's
numbers as tel: links; the trip page shows its costs as a list with nothing off-screen.
Every link and button on the trainee's pages is big enough to tap; axe-core finds nothing
serious on the new pages."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import Membership
from reports.selectors.itinerary import map_url
from seminars.services import legs as leg_services
from seminars.services import trips as trip_services

from ..factories import enrol
from ..trainees.conftest import SECTIONS, running_program
from .conftest import log_in
from .test_accessibility import AXE, AXE_OPTIONS, BLOCKING, describe

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
TAP = 44  # px: WCAG 2.5.5's target size
MINIMUM = 24  # px: WCAG 2.5.8's smallest target, when nothing else is within TAP


@pytest.fixture
def browser_context_args(browser_context_args):
    """The app's Content-Security-Policy forbids inline scripts, axe's among them."""
    return {**browser_context_args, "bypass_csp": True, "viewport": PHONE}


@pytest.fixture
def scene(host, coordinator, staff, trainee):
    from trainees.services.reflections import submit

    today = timezone.localdate()
    program = running_program(host, "ITベンチャー研修（スマートフォン）", today)
    enrollment = enrol(program, trainee)
    submit(enrollment, today - timedelta(days=1), SECTIONS, by=trainee)
    Membership.objects.filter(user=coordinator).update(phone="090-1234-5678")
    Membership.objects.filter(user=staff).update(phone="080-8765-4321")
    trip = trip_services.save_trip(
        program,
        trip_services.TripPlan(
            purpose="地域ワーカー向け説明会の開催",
            start_date=today - timedelta(days=1),
            end_date=today + timedelta(days=1),
            trainees=[enrollment],
            staff=[staff],
            lodging="伊那市内のホテル（2泊）",
            lodging_cost=9000,
            places="東京（乗継）",
        ),
        by=coordinator,
    )

    def on(day, clock):
        return timezone.make_aware(datetime.combine(day, time.fromisoformat(clock)))

    tomorrow = today + timedelta(days=1)
    for plan in (
        # Yesterday's leg is over whatever the hour; tomorrow's are still to come.
        ("shinkansen", "東京駅", "名古屋駅", on(today - timedelta(days=1), "07:00"), "のぞみ 7号"),
        ("rail", "伊那松島駅", "名古屋駅", on(tomorrow, "13:00"), "ワイドビューしなの 8号"),
        ("shinkansen", "名古屋駅", "東京駅", on(tomorrow, "16:00"), "のぞみ 30号"),
    ):
        mode, origin, destination, depart, service = plan
        leg_services.save_leg(
            trip,
            leg_services.LegPlan(
                mode=mode,
                origin_place=origin,
                destination=destination,
                depart_at=depart,
                arrive_at=depart + timedelta(hours=2),
                service=service,
                fare=6000,
            ),
            by=coordinator,
        )
    return {"program": program, "enrollment": enrollment, "trip": trip, "today": today}


def small_targets(page) -> list[str]:
    """Every visible link and button whose box is under 44 px tall (or 24 px wide), unless it
    is at least 24×24 px with no other target's centre within 44 px of its own (WCAG 2.2's
    spacing exception, as a distance between centres)."""
    return page.evaluate(
        """([tap, minimum]) => {
          const boxes = [...document.querySelectorAll('a, button')].filter(e => {
            const s = getComputedStyle(e);
            const r = e.getBoundingClientRect();
            // Hidden, visually hidden (1 px) or parked off-screen (the skip link) are no target.
            return s.visibility !== 'hidden' && r.width > 1 && r.height > 1 && r.right > 0;
          }).map(e => ({e, r: e.getBoundingClientRect()}));
          const centre = r => [r.left + r.width / 2, r.top + r.height / 2];
          const crowded = (box) => boxes.some(other => {
            if (other === box) return false;
            const [x1, y1] = centre(box.r), [x2, y2] = centre(other.r);
            return Math.hypot(x1 - x2, y1 - y2) < tap;
          });
          return boxes.filter(box => {
            const {width, height} = box.r;
            if (width < minimum) return true;
            if (height >= tap) return false;
            return height < minimum || crowded(box);
          }).map(({e, r}) =>
            `${e.tagName.toLowerCase()} ` +
            `"${e.textContent.trim().replace(/\\s+/g, ' ').slice(0, 40)}" ` +
            `${Math.round(r.width)}×${Math.round(r.height)}`);
        }""",
        [TAP, MINIMUM],
    )


def axe(page, name: str):
    page.add_script_tag(path=str(AXE / "axe.min.js"))
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    blocking = [v for v in result["violations"] if v["impact"] in BLOCKING]
    assert not blocking, f"{name}:\n" + "\n".join(map(describe, blocking))


def no_sideways_scroll(page):
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


def shoot_page(page, name):
    from .conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_the_itinerary_and_the_costs_on_a_phone(page, live_server, scene, trainee):
    if not (AXE / "axe.min.js").exists():
        pytest.skip("axe-core not installed (scripts/axe-core)")
    program, trip = scene["program"], scene["trip"]
    log_in(page, live_server, trainee.email)

    # 今日: the itinerary item says the trip is on.
    page.goto(f"{live_server.url}/today/")
    item = page.locator(".due", has_text="行程表：地域ワーカー向け説明会の開催")
    expect(item.locator(".due__state")).to_have_text("出張中")
    shoot_page(page, "phone-today-360")
    page.get_by_role("link", name="行程表：地域ワーカー向け説明会の開催").click()

    # The itinerary: cards, the next leg (tomorrow's first) first, yesterday's after, past.
    cards = page.locator(".itin-card")
    expect(cards.first).to_be_visible()
    expect(page.locator("table.itinerary__schedule")).to_be_hidden()
    assert cards.count() == 3
    expect(cards.nth(0).locator(".itin-card__title")).to_have_text("伊那松島駅 → 名古屋駅")
    expect(cards.nth(0).locator(".itin-card__tag")).to_have_text("次")
    expect(cards.nth(0)).to_contain_text("ワイドビューしなの 8号")
    expect(cards.nth(1).locator(".itin-card__title")).to_have_text("名古屋駅 → 東京駅")
    expect(cards.nth(2).locator(".itin-card__title")).to_have_text("東京駅 → 名古屋駅")
    expect(cards.nth(2).locator(".itin-card__tag")).to_have_text("終了")
    # A map link for each place, named after it; the numbers to call.
    to_map = cards.nth(0).get_by_role("link", name="地図：伊那松島駅")
    expect(to_map).to_have_attribute("href", map_url("伊那松島駅"))
    expect(cards.nth(0).get_by_role("link", name="地図：名古屋駅")).to_be_visible()
    call = page.locator(".itin-contacts a[href='tel:09012345678']")
    expect(call).to_be_visible()
    expect(call).to_contain_text("090-1234-5678")
    expect(page.locator(".itin-contacts a[href='tel:08087654321']")).to_be_visible()
    no_sideways_scroll(page)
    shoot_page(page, "phone-itinerary-cards-360")
    axe(page, "itinerary on a phone")

    # The trip page: the costs as a list per participant, nothing off-screen.
    page.goto(f"{live_server.url}{reverse('seminars:trip_detail', args=[program.pk, trip.pk])}")
    people = page.locator(".expense-list__person:not(.expense-list__sum)")
    expect(people.first).to_be_visible()
    expect(page.locator(".expense-table").first).to_be_hidden()
    expect(people.first).to_contain_text(trainee.display_name)
    expect(people.first).to_contain_text("合計")
    expect(page.locator("a[href='tel:09012345678']")).to_be_visible()
    no_sideways_scroll(page)
    page.locator("#expenses").scroll_into_view_if_needed()
    shoot_page(page, "phone-trip-costs-360")
    axe(page, "trip page on a phone")


def test_every_target_on_the_trainee_s_pages_is_big_enough_to_tap(
    page, live_server, scene, trainee
):
    program, trip, enrollment = scene["program"], scene["trip"], scene["enrollment"]
    log_in(page, live_server, trainee.email)
    pages = {
        "today": reverse("programs:trainee_today"),
        "my week": reverse("programs:trainee_week"),
        "itinerary": reverse("reports:itinerary_print", args=[program.pk, trip.pk]),
        "trip": reverse("seminars:trip_detail", args=[program.pk, trip.pk]),
        "reflection form": reverse(
            "trainees:reflection_write", args=[enrollment.pk, scene["today"]]
        ),
        "my reflections": reverse("trainees:my_reflections"),
        "trip report (復命書)": reverse("seminars:trip_report_write", args=[program.pk, trip.pk]),
    }
    found = {}
    for name, url in pages.items():
        response = page.goto(f"{live_server.url}{url}")
        assert response.ok, f"{name}: {url} answered {response.status}"
        page.wait_for_load_state()
        small = small_targets(page)
        if small:
            found[name] = small
        shoot_page(page, "phone-taps-" + name.split(" (")[0].replace(" ", "-") + "-360")
    assert not found, "\n".join(f"{name}: {', '.join(t)}" for name, t in found.items())
