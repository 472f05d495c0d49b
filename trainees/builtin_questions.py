"""The built-in attitude survey: attitudes to work, to working independent of place and time,
to crowdsourcing and to public-private collaboration; Japanese and English. Migration 0002
creates it, and `signals.ensure_built_ins` puts it back after any migrate or flush; the
admin does not delete it."""

NAME = "研修前後の意識調査"
NAME_EN = "Attitudes before and after the program"
QUESTIONS = [
    (
        "likert",
        "work",
        "仕事の進め方は、自分で工夫して変えていけると思う",
        "I can find better ways of doing my work and change them myself.",
    ),
    (
        "likert",
        "work",
        "前例のないことにも挑戦したいと思う",
        "I want to try things that have no precedent.",
    ),
    (
        "likert",
        "work",
        "意思決定は速いほうが、組織と住民のためになると思う",
        "Faster decisions serve the organisation and residents better.",
    ),
    (
        "likert",
        "place_time",
        "場所や時間にとらわれない働き方は、自治体の仕事でも実現できると思う",
        "Working independent of place and time is possible in municipal work too.",
    ),
    (
        "likert",
        "place_time",
        "自分自身も、テレワークなど柔軟な働き方を選びたいと思う",
        "I would like to choose flexible ways of working, such as remote work, myself.",
    ),
    (
        "likert",
        "crowdsourcing",
        "クラウドソーシングについて、人に説明できる程度に知っている",
        "I know crowdsourcing well enough to explain it to others.",
    ),
    (
        "likert",
        "crowdsourcing",
        "クラウドソーシングは、地域の住民の仕事の機会を増やせると思う",
        "Crowdsourcing can create work opportunities for residents of our area.",
    ),
    (
        "likert",
        "public_private",
        "民間企業と協働することで、行政サービスはもっと良くなると思う",
        "Working with private companies makes public services better.",
    ),
    (
        "likert",
        "public_private",
        "自分の業務で民間企業と連携する具体的なアイデアがある",
        "I have concrete ideas for working with private companies in my own job.",
    ),
    (
        "text",
        "",
        "この研修で学びたいこと（学んだこと）は何ですか",
        "What do you want to learn (or what did you learn) in this program?",
    ),
    (
        "text",
        "",
        "働き方について、いま考えていることを自由に書いてください",
        "Write freely what you think about ways of working now.",
    ),
]


def create_built_in_set(QuestionSet, Question):
    """Create the set with the given model classes (historical ones in a migration)."""
    question_set = QuestionSet.objects.create(host=None, name=NAME, name_en=NAME_EN)
    Question.objects.bulk_create(
        Question(
            question_set=question_set,
            order=order,
            kind=kind,
            theme=theme,
            text=text,
            text_en=text_en,
        )
        for order, (kind, theme, text, text_en) in enumerate(QUESTIONS, start=1)
    )
    return question_set
