"""The demo's trips: 福岡 → 東京 → 長野 (箕輪町: a briefing for beginner workers of a local
team and a user survey; 松本市: a seminar for local companies at the chamber of commerce's
youth division, with a workshop) and back, on days 2–3 of both demo programs. The finished
program's trip is done, with attendance and trainee1's submitted trip report."""

from datetime import datetime, time, timedelta

from django.db.models import F
from django.utils import timezone

from programs import cache as kenshu_cache
from programs.models import Activity, Municipality

from .models import Leg, Scheme, Seminar, SeminarRole, TravelRules, Trip, TripReport, TripStatus
from .services import expenses as expense_services
from .services import legs as leg_services
from .services import seminars as seminar_services
from .services import trip_reports as report_services
from .services import trips as trip_services
from .services.planning import remove_trip_placeholders

PURPOSE = "地域ワーカー向け説明会・ユーザー調査、地元企業向けセミナーの開催（長野県箕輪町・松本市）"
LODGING = "伊那市内のビジネスホテル（1泊・朝食付）"
LODGING_COST = 11000  # per person and night: above the revised set's starting ceiling
# 田川市 keeps the older national categories (日当・宿泊料); 北見市 and the host have set no
# rules of their own, so they are on the revised set (交通費・宿泊費・宿泊手当).
OLDER_RULES = "402061"
# (day 0 or 1 of the trip, departs, arrives, mode, from, to, service, fare)
LEGS = [
    (0, "07:00", "08:40", "flight", "福岡空港", "羽田空港", "JAL 304", 38000),
    (0, "08:55", "09:35", "rail", "羽田空港", "新宿", "京急線・JR山手線", 520),
    (0, "10:00", "12:07", "rail", "新宿", "岡谷", "特急あずさ 13号", 6620),
    (0, "12:20", "12:52", "rail", "岡谷", "伊那松島", "JR飯田線", 420),
    (1, "08:31", "09:45", "rail", "伊那松島", "松本", "JR飯田線・篠ノ井線", 990),
    (1, "17:00", "17:25", "bus", "松本バスターミナル", "信州まつもと空港", "空港連絡バス", 1000),
    (1, "18:10", "19:55", "flight", "信州まつもと空港", "福岡空港", "FDA 245", 39000),
]
SEMINARS = [
    {
        "day": 0,
        "kind": "worker_briefing",
        "title": "地域チーム初心者ワーカー向け説明会",
        "start": "13:30",
        "end": "15:00",
        "venue": "箕輪町地域交流センター",
        "address": "長野県上伊那郡箕輪町",
        "partner": "箕輪町 地域のワーカーチーム",
        "expected": 20,
        "actual": 18,
        "outcomes": "初めて仕事を受ける人の不安（報酬の受け取り、納期）を聞き取った。"
        "その場で3人が登録を終えた。",
        "roles": {"trainee1@example.com": "assistant"},
    },
    {
        "day": 0,
        "kind": "site_visit",
        "title": "ユーザーアンケート・ヒアリング",
        "start": "15:30",
        "end": "17:30",
        "venue": "箕輪町内の協力事業者",
        "address": "長野県上伊那郡箕輪町",
        "partner": "",
        "expected": 8,
        "actual": 8,
        "outcomes": "在宅で働くワーカー8人にアンケートとヒアリング。"
        "子育て中の時間の使い方が共通の課題。",
        "roles": {},
    },
    {
        "day": 1,
        "kind": "business_seminar",
        "title": "地元企業向けセミナー「仕事を切り出して地域で頼む」",
        "start": "13:30",
        "end": "15:00",
        "venue": "松本商工会議所",
        "address": "長野県松本市中央1-23-1",
        "partner": "松本商工会議所青年部",
        "expected": 30,
        "actual": 26,
        "outcomes": "参加企業26社。業務の切り出し方への質問が多かった。",
        "roles": {"trainee2@example.com": "presenter"},
    },
    {
        "day": 1,
        "kind": "workshop",
        "title": "ワークショップ：自社の仕事を切り出してみる",
        "start": "15:15",
        "end": "16:30",
        "venue": "松本商工会議所",
        "address": "長野県松本市中央1-23-1",
        "partner": "松本商工会議所青年部",
        "expected": 20,
        "actual": 19,
        "outcomes": "5つのグループで切り出せる業務を洗い出した。2社が試行を希望。",
        "roles": {"trainee1@example.com": "assistant", "trainee2@example.com": "assistant"},
    },
]
REPORT = {
    "content": "箕輪町で初心者ワーカー向け説明会の運営を補助し、"
    "在宅ワーカー8人へのヒアリングに同席した。"
    "翌日は松本商工会議所青年部と共催の地元企業向けセミナー・ワークショップで進行を補助した。",
    "impressions": "仕事を小さく切り出せば、場所や時間に制約のある人も担い手になれると実感した。"
    "企業側の不安は「何を頼めるか分からない」ことにあり、行政が橋渡しできる余地が大きい。",
    "application": "市の定型業務（データ入力、チラシ作成）のうち外部に頼めるものを洗い出し、"
    "地域のワーカーに発注する試行を課内で提案する。",
}


def seed(context: dict) -> int:
    for program in (context["past"], context["current"]):  # some rows are written with update()
        kenshu_cache.bump_program(program.pk, "seminars", program.host_id)
    people = context["people"]
    coordinator = people["coordinator@example.com"]
    _rules, created = TravelRules.objects.get_or_create(
        municipality=Municipality.objects.get(code=OLDER_RULES),
        defaults={"scheme": Scheme.OLDER},
    )
    created = int(created)
    for program, done in ((context["past"], True), (context["current"], False)):
        days = [d for d in program.days if d.weekday() < 5] if done else program.days
        first = days[1]
        trip = Trip.objects.filter(program=program, purpose=PURPOSE).first()
        if trip is not None:
            _follow_program(trip, first)
            continue
        created += _plan(program, first, days[2], done, people, coordinator)
    return created


def _follow_program(trip: Trip, first) -> None:
    """The running demo program moved (seed_demo on a later day moves it and its
    activities): the trip, its legs and its seminars follow by the same days."""
    shift = first - trip.start_date
    if not shift:
        return
    Trip.objects.filter(pk=trip.pk).update(
        start_date=F("start_date") + shift, end_date=F("end_date") + shift
    )
    Leg.objects.filter(trip=trip).update(
        depart_at=F("depart_at") + shift, arrive_at=F("arrive_at") + shift
    )
    Seminar.objects.filter(trip=trip).update(date=F("date") + shift)


def _at(day, clock: str) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.fromisoformat(clock)))


def _plan(program, first, last, done, people, coordinator) -> int:
    _clear_placeholders(program, (first, last), coordinator)
    trainees = list(program.enrollments.active().select_related("trainee"))
    trip = _save_trip(program, first, last, trainees, people, coordinator)
    days = (first, last)
    _add_legs(trip, days, coordinator)
    by_email = {e.trainee.email: e for e in trainees}
    _add_seminars(program, trip, days, done, by_email, people, coordinator)
    _add_expenses(trip, trainees, coordinator)
    remove_trip_placeholders(trip, by=coordinator)  # any its legs and seminars left
    if done:
        trip.status = TripStatus.DONE
        trip.save(update_fields=["status"])
        _file_report(trip, by_email["trainee1@example.com"], last)
    return 1


def _clear_placeholders(program, days, coordinator) -> None:
    # The template's survey slot is the demo's site visit (a seminar at the same time): it
    # goes before anyone has seen the week, so no calendar ever had it. The template's
    # placeholders (予定枠) need no clearing: each leg and seminar takes its place.
    Activity.objects.live().filter(
        program=program, origin="", date__in=days, title="ユーザーアンケート・ヒアリング"
    ).delete()


def _save_trip(program, first, last, trainees, people, coordinator) -> Trip:
    staff = [people["coordinator@example.com"], people["staff@example.com"]]
    return trip_services.save_trip(
        program,
        trip_services.TripPlan(
            purpose=PURPOSE,
            start_date=first,
            end_date=last,
            municipalities=list(Municipality.objects.filter(code__in=["203831", "202029"])),
            places="東京（乗継）",
            trainees=trainees,
            staff=staff,
            lodging=LODGING,
            lodging_cost=LODGING_COST,
            status=TripStatus.CONFIRMED,
        ),
        by=coordinator,
    )


def _add_legs(trip: Trip, days, coordinator) -> None:
    for day, depart, arrive, mode, origin, destination, service, fare in LEGS:
        leg_services.save_leg(
            trip,
            leg_services.LegPlan(
                mode=mode,
                origin_place=origin,
                destination=destination,
                depart_at=_at(days[day], depart),
                arrive_at=_at(days[day], arrive),
                service=service,
                fare=fare,
            ),
            by=coordinator,
        )


def _add_seminars(program, trip: Trip, days, done, by_email, people, coordinator) -> None:
    for item in SEMINARS:
        happened = done or days[item["day"]] < timezone.localdate()
        seminar = seminar_services.save_seminar(
            program,
            seminar_services.SeminarPlan(
                kind=item["kind"],
                title=item["title"],
                date=days[item["day"]],
                start_time=time.fromisoformat(item["start"]),
                end_time=time.fromisoformat(item["end"]),
                venue=item["venue"],
                address=item["address"],
                partner=item["partner"],
                lead=people["staff@example.com"] if item["day"] == 0 else coordinator,
                expected_attendance=item["expected"],
                actual_attendance=item["actual"] if happened else None,
                outcomes=item["outcomes"] if happened else "",
            ),
            trip=trip,
            by=coordinator,
        )
        for email, role in item["roles"].items():
            SeminarRole.objects.filter(seminar=seminar, enrollment=by_email[email]).update(
                role=role
            )
        if item["kind"] == "worker_briefing":
            seminar_services.add_follow_up(
                seminar,
                "参加者へお礼と登録手順のメールを送る",
                people["staff@example.com"],
                days[0] + timedelta(days=3),
                by=coordinator,
            )


def _add_expenses(trip: Trip, trainees, coordinator) -> None:
    """Fares, lodging and allowances follow from the legs and the night; one line no rule
    covers is typed by hand."""
    expense_services.save_expense(
        trip,
        expense_services.ExpensePlan(
            participant=f"s{coordinator.pk}",
            kind="other",
            amount=1200,
            payer="host",
            note="セミナー資料の印刷",
            label="資料印刷費",
        ),
        by=coordinator,
    )


def _file_report(trip: Trip, enrollment, last) -> None:
    """The first trainee's report on the finished trip, submitted the day after it."""
    report = report_services.report_for(trip, enrollment)
    report_services.submit(report, report_services.ReportText(**REPORT), by=enrollment.trainee)
    TripReport.objects.filter(pk=report.pk).update(
        submitted_at=_at(last + timedelta(days=1), "18:30")
    )
