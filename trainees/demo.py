"""The trainees' part of the demo: five days of reflections for trainee1 in the finished
program (some reviewed, one late, with comments), two days in the running week and a draft
for today for trainee2, and survey answers before and after that show a change."""

from datetime import time, timedelta

from django.utils import timezone

from .models import (
    Answer,
    DailyReflection,
    Phase,
    QuestionKind,
    ReflectionComment,
    ReflectionStatus,
    SurveyResponse,
)
from .services.reflections import local_moment, reflection_days
from .services.surveys import survey_of

PAST_DAYS = [
    {
        "did": (
            "オリエンテーション。サービスの仕組みと、仕事"
            "を依頼する側・受ける側の両方の画面を体験した。"
        ),
        "learned": "仕事を細かく切り出して募集すると、場所に関係なく人が集まること。",
        "felt": "社内のチャットの速さに驚いた。決裁を待たずに、その場で決まっていく。",
        "questions": "役所の業務で切り出せる仕事はどれくらいあるのだろうか。",
        "tomorrow": "箕輪町の説明会で、参加者の表情と質問をよく見る。",
        "self_rating": 3,
        "reviewed": True,
        "comments": [
            (
                "coordinator",
                "初日おつかれさまでした。疑問はとても大事な視点です。明日の説明会でも聞いてみましょう。",
            ),
            ("trainee", "ありがとうございます。明日、質問してみます。"),
        ],
    },
    {
        "did": (
            "箕輪町で、初心者ワーカー向けの説明会の準備と受付を手伝い、利用者アンケートを行った。"
        ),
        "learned": "子育て中の方が「家で少しずつ働ける」ことを一番の魅力に挙げていた。",
        "felt": "住民の声を直接聞くと、制度の説明だけでは伝わらないことが分かった。",
        "questions": "",
        "tomorrow": "松本市のセミナーで、企業側の本音を聞く。",
        "self_rating": 4,
        "reviewed": True,
        "comments": [
            ("staff", "アンケートの集計、丁寧でした。気づきを記事にも生かしてください。"),
        ],
    },
    {
        "did": (
            "松本市の商工会議所青年部でセミナーとワークショップ。企業の方と業務の切り出しを考えた。"
        ),
        "learned": "企業も「頼み方」が分からず困っている。行政がつなぐ役割を担える。",
        "felt": "ワークショップで自分の意見が採用され、うれしかった。",
        "questions": "出張の復命書はどこまで詳しく書けばよいか。",
        "tomorrow": "出張の振り返りを整理する。",
        "self_rating": 5,
        "reviewed": True,
        "comments": [],
    },
    {
        "did": "通常業務に参加。出張の振り返りを社内で共有した。",
        "learned": "振り返りを短く共有するだけで、チームの次の動きが早くなる。",
        "felt": "疲れが出て、提出が遅くなってしまった。",
        "questions": "",
        "tomorrow": "記事の下書きを書く。",
        "self_rating": 3,
        "late": True,
        "comments": [
            ("coordinator", "遅れても大丈夫です。共有の仕方、とても良かったです。"),
        ],
    },
    {
        "did": "記事の執筆と、研修後のインタビュー。",
        "learned": "一週間で自分の仕事の見方が変わった。",
        "felt": "「働き方を選べる」ことを、役所の中でも広げたいと思った。",
        "questions": "戻ってから、どの業務から始めればよいか相談したい。",
        "tomorrow": "課内で報告会を開く。",
        "self_rating": 5,
        "comments": [],
    },
]

CURRENT_DAYS = [
    {
        "did": "オリエンテーションとサービスの体験。",
        "learned": "ベンチャーでは、やってみて直すのが当たり前だということ。",
        "felt": "会議が短い。",
        "questions": "",
        "tomorrow": "箕輪町の説明会でアンケートを担当する。",
        "self_rating": 4,
        "reviewed": True,
        "comments": [("coordinator", "よいスタートです。明日はアンケートをよろしくお願いします。")],
    },
    {
        "did": "箕輪町で初心者ワーカー向け説明会の受付と、利用者アンケート。",
        "learned": "説明会に来た方の半分が、自宅でできる仕事を探していた。",
        "felt": "",
        "questions": "",
        "tomorrow": "松本市のセミナーで記録係をする。",
        "self_rating": 4,
        "comments": [],
    },
]

# Answers to the nine agreement questions: before, after.
PRE = {
    "trainee1@example.com": [3, 2, 3, 2, 3, 1, 2, 3, 1],
    "trainee2@example.com": [3, 3, 2, 2, 2, 2, 3, 3, 2],
}
POST = {
    "trainee1@example.com": [4, 4, 4, 4, 4, 4, 4, 5, 3],
    "trainee2@example.com": [4, 3, 4, 3, 4, 4, 4, 4, 3],
}
TEXTS = {
    Phase.PRE: ["ベンチャーの仕事の進め方", "今の働き方を変えるのは難しいと感じている。"],
    Phase.POST: [
        "業務を切り出して外に頼む方法",
        "場所や時間にとらわれない働き方は役所でもできる。",
    ],
}


def _at(day, hour, minute=0):
    return local_moment(day, time(hour, minute))


def _write(enrollment, day, item, people, *, submitted=True) -> DailyReflection:
    late = item.get("late", False)
    reviewed = item.get("reviewed", False)
    submitted_at = _at(day + timedelta(days=1), 9, 40) if late else _at(day, 18, 30)
    reflection = DailyReflection.objects.create(
        enrollment=enrollment,
        date=day,
        did=item["did"],
        learned=item["learned"],
        felt=item["felt"],
        questions=item["questions"],
        tomorrow=item["tomorrow"],
        self_rating=item["self_rating"],
        status=ReflectionStatus.REVIEWED
        if reviewed
        else (ReflectionStatus.SUBMITTED if submitted else ReflectionStatus.DRAFT),
        submitted_at=submitted_at if submitted else None,
        late=late,
        reviewed_at=submitted_at + timedelta(hours=14) if reviewed else None,
        reviewed_by=people["coordinator@example.com"] if reviewed else None,
        revision=1,
        submitted_revision=1 if submitted else 0,
    )
    authors = {
        "coordinator": people["coordinator@example.com"],
        "staff": people["staff@example.com"],
        "trainee": enrollment.trainee,
    }
    for index, (who, body) in enumerate(item.get("comments", [])):
        comment = ReflectionComment.objects.create(
            reflection=reflection, author=authors[who], body=body
        )
        when = submitted_at + timedelta(hours=13, minutes=10 * index)
        read = (
            when if who == "trainee" or enrollment.program.end_date < timezone.localdate() else None
        )
        ReflectionComment.objects.filter(pk=comment.pk).update(
            created_at=when, read_by_trainee_at=read
        )
    return reflection


def _answer(enrollment, phase, values, texts, when) -> None:
    survey = survey_of(enrollment.program)
    response = SurveyResponse.objects.create(
        enrollment=enrollment, phase=phase, question_set=survey.question_set, submitted_at=when
    )
    likert = iter(values)
    free = iter(texts)
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=question,
            value=next(likert) if question.kind == QuestionKind.LIKERT else None,
            text=next(free, "") if question.kind == QuestionKind.TEXT else "",
        )
        for question in survey.question_set.questions.order_by("order")
    )


def seed(context: dict) -> int:
    today = context["today"]
    people = context["people"]
    created = 0
    trainee1 = people["trainee1@example.com"]
    trainee2 = people["trainee2@example.com"]
    past = context["past"]
    current = context["current"]
    # The finished program: five days for trainee1, surveys before and after for both.
    past_enrollment = past.enrollments.get(trainee=trainee1)
    if not past_enrollment.reflections.exists():
        for day, item in zip(reflection_days(past), PAST_DAYS, strict=False):
            _write(past_enrollment, day, item, people)
            created += 1
    for trainee in (trainee1, trainee2):
        enrollment = past.enrollments.get(trainee=trainee)
        if not enrollment.survey_responses.exists():
            _answer(
                enrollment,
                Phase.PRE,
                PRE[trainee.email],
                TEXTS[Phase.PRE],
                _at(past.start_date - timedelta(days=3), 20),
            )
            _answer(
                enrollment,
                Phase.POST,
                POST[trainee.email],
                TEXTS[Phase.POST],
                _at(past.end_date, 17),
            )
            created += 2
    # The running week: trainee1 wrote day 1 and 2, trainee2 day 1 and a draft for today.
    days = [d for d in reflection_days(current) if d <= today]
    enrollment1 = current.enrollments.get(trainee=trainee1)
    enrollment2 = current.enrollments.get(trainee=trainee2)
    written = DailyReflection.objects.filter(enrollment__in=[enrollment1, enrollment2])
    if written.exclude(date__in=reflection_days(current)).exists():
        # The running program was moved to run again (a later `seed_demo`): start afresh.
        written.delete()
        SurveyResponse.objects.filter(enrollment__in=[enrollment1, enrollment2]).delete()
    if not enrollment1.reflections.exists() and not enrollment2.reflections.exists():
        for day, item in zip(days[:-1], CURRENT_DAYS, strict=False):
            _write(enrollment1, day, item, people)
            created += 1
        if len(days) > 1:
            _write(
                enrollment2, days[0], CURRENT_DAYS[0] | {"comments": [], "reviewed": False}, people
            )
            created += 1
        _write(
            enrollment2,
            days[-1],
            {
                "did": "松本市へ移動中。セミナーの資料を読み直した。",
                "learned": "",
                "felt": "",
                "questions": "",
                "tomorrow": "",
                "self_rating": None,
            },
            people,
            submitted=False,
        )
        created += 1
        for trainee in (trainee1, trainee2):
            _answer(
                current.enrollments.get(trainee=trainee),
                Phase.PRE,
                PRE[trainee.email],
                TEXTS[Phase.PRE],
                _at(current.start_date - timedelta(days=2), 21),
            )
            created += 1
    return created


# The interview of the seed story (answers retold for the demo trainee) ----------------------

INTERVIEW_ANSWERS = [
    (
        "いえ、実はあまり知りませんでした。家族が自営業で、ロゴの制作を頼んだという話を"
        "聞いたことがあって、そういう仕組みがあるんだな、という程度でした。",
        True,
    ),
    (
        "場所を選ばずに働けるのは素晴らしいと思いました。在宅ワークは一人で自宅で、という"
        "印象でしたが、箕輪町ではチームで取り組んでいて、パソコンに不慣れな方も始めやすく"
        "続けやすいのだと感じました。",
        True,
    ),
    (
        "なんとなくの不安や操作への疑問、自分に合う仕事の探し方が分からないことで離れて"
        "しまう方が多いのかな、と。発注する側も業務の切り出し方に悩んでいて、受ける側・"
        "頼む側の両方のハードルを下げる活動が必要だと思います。",
        True,
    ),
    (
        "出張中に会った友人が、仕事のために地元を離れていて、いつかは戻りたいと話して"
        "いました。クラウドソーシングの話をしたら、選択肢の一つになると喜んでいました。",
        False,
    ),
    (
        "働く＝朝から夕方まで出勤すること、だと思っていましたが、それだけではないと気づけた"
        "のが一番の収穫です。田川市に戻ったら、周りの人から少しずつ伝えていきます。",
        True,
    ),
]
FOLLOW_UP = (
    "チームで取り組むことの良さは、どんなところに感じましたか？",
    "教え合える仲間がいると、最初の一歩が踏み出しやすいところです。",
)


def seed_interviews(context: dict) -> int:
    from programs.models import ActivityKind

    from .models import Interview, InterviewEvent, InterviewQuestion, InterviewState, NameForm
    from .services.interviews import built_in_template, default_introduction

    people = context["people"]
    trainee1 = people["trainee1@example.com"]
    coordinator = people["coordinator@example.com"]
    staff = people["staff@example.com"]
    created = 0
    for program, state in ((context["past"], InterviewState.APPROVED), (context["current"], None)):
        enrollment = program.enrollments.get(trainee=trainee1)
        if enrollment.interviews.exists():
            continue
        slot = program.activities.live().filter(kind=ActivityKind.INTERVIEW).first()
        if slot is None:
            continue
        interview = Interview.objects.create(
            enrollment=enrollment,
            activity=slot,
            owns_activity=False,
            created_by=coordinator,
            introduction=default_introduction(enrollment),
            closing="1週間、ありがとうございました。田川市でのご活躍を楽しみにしています。",
        )
        interview.interviewers.set([coordinator, staff])
        questions = list(built_in_template().questions.order_by("order"))
        rows = []
        for order, question in enumerate(questions, start=1):
            rows.append(InterviewQuestion(interview=interview, order=order, text=question.text))
        if state:
            for row, (answer, consent) in zip(rows, INTERVIEW_ANSWERS, strict=False):
                row.answer, row.consent = answer, consent
            rows[1].highlight = True
            rows.insert(
                2,
                InterviewQuestion(
                    interview=interview,
                    text=FOLLOW_UP[0],
                    answer=FOLLOW_UP[1],
                    follow_up=True,
                    consent=True,
                ),
            )
            for order, row in enumerate(rows, start=1):
                row.order = order
        InterviewQuestion.objects.bulk_create(rows)
        InterviewEvent.objects.create(
            interview=interview, state=InterviewState.DRAFT, actor=coordinator
        )
        if state:
            for step, actor in (
                (InterviewState.INTERVIEWED, coordinator),
                (InterviewState.REVIEWED, trainee1),
                (InterviewState.APPROVED, people["supervisor@example.com"]),
            ):
                InterviewEvent.objects.create(interview=interview, state=step, actor=actor)
            interview.state = state
            interview.name_form = NameForm.FAMILY_SAN
            interview.save(update_fields=["state", "name_form"])
        created += 1
    return created


# The 研修報告書 of the finished program: trainee1's submitted and confirmed by the
# municipality's contact, trainee2's submitted and waiting. The running program's are not
# open yet (its last day has not passed).

TRAINING_REPORTS = {
    "trainee1@example.com": {
        "impressions": (
            "5日間の研修で、仕事を細かく切り出して募集すると、場所に関係なく人が集まることを"
            "実際の画面と現場で確かめました。箕輪町の説明会では、在宅ワークを始めたばかりの方が"
            "チームで教え合いながら続けている姿に触れ、一人で始める不安を仲間が支えていることを"
            "知りました。\n\n社内の意思決定の速さにも驚きました。決裁を待たずに、その場で"
            "決めて試し、結果を見て直す。役所の仕事でも、小さく試せる場面はあると感じています。"
        ),
        "application": (
            "企画課の業務のうち、外部に切り出せる作業（資料の入力、簡単なデザイン）を洗い出し、"
            "来年度に一件、クラウドソーシングで試します。\n\n市内で在宅ワークを始めたい方向けの"
            "説明会を、商工会議所と一緒に企画します。"
        ),
        "confirmed": True,
    },
    "trainee2@example.com": {
        "impressions": (
            "松本市のセミナーで、地域の企業が業務の切り出し方に悩んでいることを聞きました。"
            "受ける側だけでなく、頼む側のハードルを下げる支援が必要だと感じました。"
        ),
        "application": (
            "産業振興課として、市内の事業者向けに、外部の人材に仕事を頼む方法を紹介する"
            "相談会を開きます。"
        ),
        "confirmed": False,
    },
}


def seed_training_reports(context: dict) -> int:
    from .models import TrainingReport, TrainingReportStatus

    people = context["people"]
    past = context["past"]
    contact = people["supervisor@example.com"]
    created = 0
    for email, text in TRAINING_REPORTS.items():
        enrollment = past.enrollments.filter(trainee=people[email]).first()
        if enrollment is None or TrainingReport.objects.filter(enrollment=enrollment).exists():
            continue
        confirmed = text["confirmed"]
        TrainingReport.objects.create(
            enrollment=enrollment,
            impressions=text["impressions"],
            application=text["application"],
            status=TrainingReportStatus.SUBMITTED,
            submitted_at=_at(past.end_date + timedelta(days=2), 18),
            municipality_confirmed_at=_at(past.end_date + timedelta(days=4), 10)
            if confirmed
            else None,
            municipality_confirmed_by=contact if confirmed else None,
            revision=1,
        )
        created += 1
    return created
