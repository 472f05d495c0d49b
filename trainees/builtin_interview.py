"""The built-in interview template: the questions of the host's own article about such a
week. Migration 0004 creates it, and `signals.ensure_built_ins` puts it back after any migrate
or flush; the admin does not delete it."""

NAME = "研修後インタビュー（標準）"
QUESTIONS = [
    (
        "研修が始まる前、「クラウドソーシング」はご存じでしたか？",
        "Did you know crowdsourcing before the program started?",
    ),
    (
        "研修の中で実際にユーザーの方に会って、どんなことを感じましたか？",
        "What did you feel when you met its users during the program?",
    ),
    (
        "逆に、課題に感じたことはありますか？",
        "What challenges did you see?",
    ),
    (
        "クラウドソーシングを知って、ご自身や周りの方に何か変化はありましたか？",
        "Did anything change for you or for those around you?",
    ),
    (
        "最後に、1週間の研修を振り返って感じたことを聞かせてください。",
        "Finally, looking back on the week, what do you take away?",
    ),
]


def create_built_in_template(InterviewTemplate, InterviewTemplateQuestion):
    """Create the template with the given model classes (historical ones in a migration)."""
    template = InterviewTemplate.objects.create(host=None, name=NAME)
    InterviewTemplateQuestion.objects.bulk_create(
        InterviewTemplateQuestion(template=template, order=order, text=text, text_en=text_en)
        for order, (text, text_en) in enumerate(QUESTIONS, start=1)
    )
    return template
