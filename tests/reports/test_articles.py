"""The interview article and its exports: exactly the consented answers, under the chosen
name form, user text as text; exports only once approved, and only to those in scope."""

import pytest
from django.urls import reverse

from reports import articles
from trainees.models import InterviewState
from trainees.services import interviews as svc

from ..factories import schedule_interview

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def approved(enrollment, coordinator, trainee, supervisor, running):
    trainee.family_name, trainee.given_name = "田中", "翔"
    trainee.family_name_kana, trainee.given_name_kana = "たなか", "しょう"
    trainee.save()
    interview = schedule_interview(enrollment, coordinator, running.end_date)
    questions = list(interview.questions.order_by("order"))
    answers = {
        questions[0]: "知りませんでした",
        questions[1]: f"場所を選ばず働ける {SCRIPT}",
        questions[2]: "友人の話（非公開）",
    }
    svc.save_answers(interview, {q.pk: text for q, text in answers.items()}, by=coordinator)
    svc.finish(interview, by=coordinator)
    consents = {questions[0].pk: True, questions[1].pk: True, questions[2].pk: False}
    svc.review(interview, "family_san", consents, by=trainee)
    svc.approve(interview, by=supervisor)
    interview.refresh_from_db()
    return interview


def test_only_consented_answers_under_the_chosen_name(approved):
    article = articles.build(approved)
    text = articles.to_markdown(article)
    assert "知りませんでした" in text and "場所を選ばず働ける" in text
    assert "友人の話" not in text
    assert "**田中さん**" in text and "田中 翔" not in text and "翔" not in text
    assert article.left_out == 1
    html = articles.to_html(article)
    assert "<strong>田中さん</strong>" in html and "友人の話" not in html


@pytest.mark.parametrize(
    ("form", "shown", "hidden"),
    [
        ("full", "田中 翔", "田中さん"),
        ("family_san", "田中さん", "翔"),
        ("initials", "S.T.さん", "田中"),
        ("anonymous", "田川市", "田中"),
    ],
)
def test_name_forms(approved, form, shown, hidden):
    approved.name_form = form
    article = articles.build(approved)
    turns = [t.speaker for t in article.turns if not t.interviewer]
    assert all(shown in speaker for speaker in turns)
    assert hidden not in articles.to_markdown(article)


def test_user_text_stays_text_in_both_exports(approved):
    approved.introduction = f"導入 {SCRIPT}\n# 見出しではない"
    article = articles.build(approved)
    html = articles.to_html(article)
    markdown = articles.to_markdown(article)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in markdown and "&lt;script&gt;alert\\(1\\)" in markdown
    assert "\\# 見出しではない" in markdown  # not a heading


@pytest.mark.parametrize(
    ("typed", "markdown"),
    [
        ("[x](javascript:alert(1))", "\\[x\\]\\(javascript\\:alert\\(1\\)\\)"),
        ("![](http://evil/x.png)", "\\!\\[\\]\\(http\\://evil/x\\.png\\)"),
        ("www.example.com", "www\\.example\\.com"),  # no autolink
        ("*強調* と `code`", "\\*強調\\* と \\`code\\`"),
        ("2024年に入庁", "2024年に入庁"),  # digits need no escape
        ("10. 番号", "10\\. 番号"),  # not an ordered list
        ("   # 字下げ", "\\# 字下げ"),
        ("一行目\n===", "一行目  \n\\=\\=\\="),  # not a heading underline
        ("段落1\n\n段落2", "段落1\n\n段落2"),  # a blank line stays a paragraph break
        ('"引用"', '"引用"'),
    ],
)
def test_markdown_escaping(typed, markdown):
    assert articles._markdown_text(typed) == markdown


def test_every_piece_of_user_text_is_escaped_in_html(approved, host):
    host.name = "<b>社</b>"
    host.save()
    question = approved.questions.filter(consent=True).first()
    question.text = "<i>質問</i>"
    question.save()
    html = articles.to_html(articles.build(approved))
    assert "<b>" not in html and "<i>" not in html
    assert "&lt;b&gt;社&lt;/b&gt;" in html and "&lt;i&gt;質問&lt;/i&gt;" in html


def test_the_article_is_in_japanese_whoever_downloads_it(approved):
    from django.utils import translation

    with translation.override("en"):
        article = articles.build(approved)
    assert "に聞きました" in article.title


def test_exports_once_approved_and_in_scope_only(
    client, approved, coordinator, trainee, supervisor, outsider, other_supervisor
):
    md = reverse("reports:article_markdown", args=[approved.pk])
    html = reverse("reports:article_html", args=[approved.pk])
    for user in (coordinator, trainee, supervisor):
        client.force_login(user)
        response = client.get(md)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/markdown")
        assert "attachment" in response["Content-Disposition"]
        body = response.content.decode()
        assert "知りませんでした" in body and "友人の話" not in body
        assert client.get(html).status_code == 200
    for user in (outsider, other_supervisor):
        client.force_login(user)
        assert client.get(md).status_code == 404
        assert client.get(html).status_code == 404
        assert client.get(reverse("reports:article_preview", args=[approved.pk])).status_code == 404
    client.logout()
    assert client.get(md).status_code == 302


def test_no_export_before_approval(client, approved, coordinator):
    approved.state = InterviewState.REVIEWED
    approved.save()
    client.force_login(coordinator)
    response = client.get(reverse("reports:article_markdown", args=[approved.pk]))
    assert response.status_code == 409
    assert "承認" in response.content.decode()


def test_the_preview_shows_the_supervisor_the_approval_form(client, approved, supervisor):
    approved.state = InterviewState.REVIEWED
    approved.save()
    client.force_login(supervisor)
    html = client.get(reverse("reports:article_preview", args=[approved.pk])).content.decode()
    assert 'value="approve"' in html and "友人の話" not in html
    assert "&lt;script&gt;" in html and SCRIPT not in html
