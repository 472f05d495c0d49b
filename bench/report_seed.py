"""The data bench/report_pdf.py builds reports of: the demo's finished program, and
synthetic programs whose trainees write `lengths` characters in each section of a
reflection. A seeder: long by nature (docs/architecture.md)."""

import io
import random
from datetime import timedelta

# Synthetic text ----------------------------------------------------------------------------

SENTENCES = {
    "did": [
        "午前中は受入企業の朝会に参加し、各チームの進捗と今日の優先順位の決め方を見学した。",
        "クラウドソーシングの発注画面を実際に操作し、仕事の説明文を自分で書いて掲載してみた。",
        "営業担当の方に同行し、地元の商工会議所で中小企業向けの説明会の準備を手伝った。",
        "午後は社内の勉強会で、自治体の業務を外部に切り出すときの注意点について発表を聞いた。",
        "在宅で働くワーカーの方とオンラインで面談し、仕事を始めたきっかけや困りごとを伺った。",
        "記事の執筆に取り組み、研修で学んだことを住民向けに分かりやすく伝える構成を考えた。",
        "データの集計作業を担当し、表計算ソフトの関数を使って応募状況を一覧にまとめた。",
        "メンターと一日の振り返りを行い、明日のセミナーで話す内容と時間配分を確認した。",
        "顧客からの問い合わせ対応に同席し、回答までの手順と社内での情報共有の仕方を学んだ。",
        "プロジェクト管理ツールの使い方を教わり、自分の作業をタスクに分けて登録してみた。",
        "地域の事業者を訪問し、人手不足の現状と外部人材の活用に対する考えを聞き取った。",
        "セミナーの受付と資料配布を担当し、終了後にはアンケートの回収と入力を行った。",
    ],
    "learned": [
        "仕事を細かく切り出して説明すれば、場所を選ばずに多くの人に頼めるということを学んだ。",
        "意思決定の速さは、情報が全員に共有されていることに支えられているのだと分かった。",
        "発注する側が完成のイメージを言葉にできないと、受ける側は動けないことを実感した。",
        "小さく試して結果を見てから広げる進め方は、行政の事業にも応用できると感じた。",
        "住民の声を直接聞くことで、資料だけでは見えない課題が浮かび上がることを学んだ。",
        "ツールを導入するだけでは変わらず、使い方を決めて根付かせる工夫が大切だと知った。",
        "数字で目標を置き、毎週振り返ることで、チームの動きがそろっていく様子を見た。",
        "働き方の選択肢を増やすことが、地域に人が残る理由の一つになり得ると理解した。",
        "相手の立場に立った説明の順番や言葉選びで、伝わり方が大きく変わることを学んだ。",
        "失敗を責めるのではなく、次にどうするかを話し合う文化が挑戦を後押ししていた。",
        "業務の手順を文書にしておくことが、引き継ぎや外部への依頼の土台になると知った。",
        "地域の企業にも外部人材を活用したいという声が多く、支援の余地が大きいと感じた。",
    ],
    "felt": [
        "社員の皆さんが自分の判断で仕事を進めている姿に驚き、役所との違いを強く感じた。",
        "在宅ワーカーの方が子育てと両立しながら誇りを持って働いている話に胸を打たれた。",
        "最初は専門用語が多く戸惑ったが、丁寧に説明していただき少しずつ理解できた。",
        "会議が短く、結論と担当者と期限が必ず決まることに新鮮な驚きがあった。",
        "地元に戻ったら同じような取組ができるだろうかと、期待と不安が入り混じっている。",
        "説明会で参加者から鋭い質問を受け、準備の大切さと自分の知識不足を痛感した。",
        "若い社員が堂々と提案し、上司がそれを受け止める雰囲気がとても印象的だった。",
        "一日がとても早く感じられ、学んだことを整理する時間がもっと欲しいと思った。",
        "地域の事業者の方の熱意に触れ、行政としてできることをもっと考えたいと思った。",
        "自分の仕事の進め方を振り返るきっかけになり、変えられることが多いと気づいた。",
    ],
    "questions": [
        "庁内で業務を外部に切り出す場合、個人情報の扱いをどこまで整理すればよいか。",
        "予算の仕組みが異なる中で、小さく試す進め方をどう説明すれば理解が得られるか。",
        "パソコンに不慣れな住民の方に、在宅の仕事をどのように紹介すればよいか。",
        "セミナーの参加者を増やすために、地域の企業にどのように声をかければよいか。",
        "外部のワーカーに頼んだ仕事の品質を、どのように確認し担保しているのか。",
        "研修で学んだことを、戻ってから課内でどのように共有すれば定着するだろうか。",
        "成果が数字に表れにくい取組を、どのように評価し次年度につなげればよいか。",
        "他の自治体の事例で、うまくいかなかったものにはどんな共通点があるのか。",
    ],
    "tomorrow": [
        "明日は説明会の資料を完成させ、メンターに見ていただいてから印刷まで終える。",
        "午前中に記事の下書きを仕上げ、午後は写真を選んで見出しを整えることを目標にする。",
        "訪問先で聞きたいことを三つに絞り、事前に質問票として準備しておく。",
        "会議では必ず一度は発言し、自治体の立場から見た課題を具体的に伝える。",
        "今日の学びを課内向けの報告メモにまとめ、戻ってから使える形にしておく。",
        "ワーカーの方への聞き取りを二件行い、困りごとを分類して整理する。",
        "時間を区切って作業し、一日の終わりに何が終わったかを記録する習慣をつける。",
        "セミナーの進行を担当するので、時間配分と想定問答を確認して臨む。",
    ],
}


# Characters per reflection section: what trainees typically write on a phone, and a long
# writer's (the model allows 2,000).
TYPICAL = (80, 250)
LONG = (300, 800)


def passage(rng: random.Random, section: str, lengths, opening: str = "") -> str:
    """A section of `lengths` (fewest, most) characters in paragraphs of a few sentences."""
    target = rng.randint(*lengths)
    pool = SENTENCES[section]
    paragraphs, current, length = [], [opening] if opening else [], len(opening)
    while length < target:
        sentence = rng.choice(pool)
        current.append(sentence)
        length += len(sentence)
        if len(current) >= rng.randint(3, 5):
            paragraphs.append("".join(current))
            current = []
    if current:
        paragraphs.append("".join(current))
    return "\n".join(paragraphs)


FAMILY = ["佐々木", "山口", "松本", "井上", "木村", "林", "清水", "山崎", "森", "阿部", "池田"]
FAMILY_KANA = ["ささき", "やまぐち", "まつもと", "いのうえ", "きむら", "はやし", "しみず"]
GIVEN = ["大翔", "陽菜", "蓮", "結衣", "湊", "美咲", "悠真", "葵", "颯太", "紬", "拓海"]
DEPARTMENTS = ["総務部 企画課", "産業振興課", "市民協働課", "商工観光課", "デジタル推進課"]
TITLES = [
    ("オリエンテーション", "orientation"),
    ("業務体験", "hands_on"),
    ("地域企業訪問", "work"),
    ("セミナー準備", "seminar"),
    ("記事の執筆", "writing"),
    ("振り返り", "reflection"),
]


# Seeding -------------------------------------------------------------------------------------


def seed_demo() -> int:
    """The demo's finished program (seed_demo builds its reports on the way)."""
    from django.core.management import call_command
    from django.test import override_settings

    from programs.management.commands.seed_demo import HOST, PAST_TITLE
    from programs.models import Program

    with override_settings(DEBUG=True):  # seed_demo refuses settings that look like production
        call_command("seed_demo", stdout=io.StringIO())
    return Program.objects.get(host__name=HOST, title=PAST_TITLE).pk


def seed_synthetic(
    trainees: int, days: int, trip_reports: bool, tag: str = "", lengths=LONG
) -> int:
    from datetime import time as clock

    from django.utils import timezone

    from programs.models import (
        HostCompany,
        Membership,
        Municipality,
        Program,
        Role,
        Status,
        TraineeProfile,
        User,
    )
    from programs.services.programs import enroll, save_program
    from programs.services.week import Slot, save_activity
    from seminars.models import Seminar, SeminarRole, Trip, TripReport
    from seminars.models.trip_reports import TripReportStatus
    from trainees.models import (
        Answer,
        DailyReflection,
        Phase,
        QuestionKind,
        ReflectionStatus,
        SurveyResponse,
    )
    from trainees.services.surveys import survey_of

    rng = random.Random(20260401)  # the same program on every run
    host = HostCompany.objects.create(name=f"ベンチ研修株式会社{tag}")
    coordinator = User.objects.create(
        email=f"bench{tag}-coordinator@example.org", family_name="小林", given_name="直子"
    )
    staff = User.objects.create(
        email=f"bench{tag}-staff@example.org", family_name="加藤", given_name="亮"
    )
    for user, role in ((coordinator, Role.COORDINATOR), (staff, Role.STAFF)):
        Membership.objects.create(user=user, role=role, host_company=host)
    # The demo's four (the registry holds every municipality of Japan).
    municipalities = list(
        Municipality.objects.filter(code__in=["012084", "202029", "203831", "402061"]).order_by(
            "code"
        )
    )
    today = timezone.localdate()
    start = today - timedelta(days=60)
    start -= timedelta(days=start.weekday())
    program = Program(
        host=host,
        title=f"ITベンチャー研修（{trainees}名・{days}日間・ベンチ{tag}）",
        start_date=start,
        end_date=start + timedelta(days=days - 1),
        status=Status.PUBLISHED,
        municipality_aims=["クラウドソーシングを行政サービスに生かす", "庁内の働き方を見直す"],
        host_aims=["地域で仕事の機会を広げる", "自治体と継続して取り組む関係をつくる"],
    )
    save_program(program, by=coordinator)
    for day in program.days:
        (morning, kind), (afternoon, kind2) = rng.sample(TITLES, 2)
        save_activity(
            program,
            Slot(day, clock(9, 30), clock(12, 0), morning, kind, "本社 会議室A", coordinator),
            by=coordinator,
        )
        save_activity(
            program,
            Slot(day, clock(13, 30), clock(17, 0), afternoon, kind2, "本社 執務室", staff),
            by=coordinator,
        )
    enrollments = []
    for i in range(trainees):
        user = User.objects.create(
            email=f"bench{tag}-trainee{i}@example.org",
            family_name=FAMILY[i % len(FAMILY)],
            given_name=GIVEN[(i * 7) % len(GIVEN)],
            family_name_kana=FAMILY_KANA[i % len(FAMILY_KANA)],
            given_name_kana="たろう",
        )
        TraineeProfile.objects.create(
            user=user,
            municipality=municipalities[i % len(municipalities)],
            department=DEPARTMENTS[i % len(DEPARTMENTS)],
            position="主事" if i % 3 else "主任",
        )
        enrollments.append(enroll(program, user, by=coordinator, mentor=staff).enrollment)
    now = timezone.now()
    titles = {a.date: a.title for a in program.activities.order_by("date", "-start_time")}
    DailyReflection.objects.bulk_create(
        DailyReflection(
            enrollment=e,
            date=day,
            did=passage(rng, "did", lengths, f"{titles[day]}に取り組んだ。"),
            learned=passage(rng, "learned", lengths),
            felt=passage(rng, "felt", lengths),
            questions=passage(rng, "questions", lengths),
            tomorrow=passage(rng, "tomorrow", lengths),
            self_rating=rng.randint(2, 5),
            status=ReflectionStatus.REVIEWED if rng.random() < 0.6 else ReflectionStatus.SUBMITTED,
            submitted_at=now,
            late=rng.random() < 0.05,
            revision=1,
            submitted_revision=1,
        )
        for e in enrollments
        for day in program.days
    )
    survey = survey_of(program)
    questions = list(survey.question_set.questions.order_by("order"))
    for e in enrollments:
        before = {q.pk: rng.randint(1, 4) for q in questions}
        for phase, at in ((Phase.PRE, start - timedelta(days=3)), (Phase.POST, program.end_date)):
            response = SurveyResponse.objects.create(
                enrollment=e,
                phase=phase,
                question_set=survey.question_set,
                submitted_at=timezone.make_aware(timezone.datetime.combine(at, clock(20))),
            )
            Answer.objects.bulk_create(
                Answer(
                    response=response,
                    question=q,
                    value=(
                        None
                        if q.kind != QuestionKind.LIKERT
                        else before[q.pk]
                        if phase == Phase.PRE
                        else min(5, before[q.pk] + rng.randint(0, 2))
                    ),
                    text=passage(rng, "felt", lengths)[:200] if q.kind == QuestionKind.TEXT else "",
                )
                for q in questions
            )
    first = start + timedelta(days=2)
    trip = Trip.objects.create(
        program=program,
        purpose="地域企業向けセミナーの開催と事業者訪問",
        start_date=first,
        end_date=first + timedelta(days=1),
        lodging="松本市内のビジネスホテル",
        created_by=coordinator,
    )
    trip.trainees.set(enrollments)
    trip.staff.set([coordinator, staff])
    seminar = Seminar.objects.create(
        program=program,
        trip=trip,
        kind="business_seminar",
        title="仕事を切り出して地域で頼む",
        venue="松本商工会議所",
        partner="松本商工会議所青年部",
        date=first,
        start_time=clock(13, 30),
        end_time=clock(15, 0),
        expected_attendance=40,
        actual_attendance=34,
        outcomes="参加企業34社。業務の切り出し方と費用についての質問が多かった。",
    )
    SeminarRole.objects.bulk_create(
        SeminarRole(seminar=seminar, enrollment=e, role="presenter") for e in enrollments[:3]
    )
    if not trip_reports:
        return program.pk
    TripReport.objects.bulk_create(
        TripReport(
            trip=trip,
            enrollment=e,
            content=passage(rng, "did", lengths),
            impressions=passage(rng, "felt", lengths),
            application=passage(rng, "tomorrow", lengths),
            status=TripReportStatus.SUBMITTED,
            submitted_at=now,
        )
        for e in enrollments
    )
    return program.pk
