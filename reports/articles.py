"""The interview article: an introduction, the Q&A as a 対談 with only the answers the trainee
consented to, and a closing; exported as Markdown and as clean HTML. The trainee's name
follows their consent; nobody else is named but the interviewers' company."""

from dataclasses import dataclass, field

from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from trainees.models import Interview
from trainees.names import trainee_name


@dataclass
class Turn:
    speaker: str
    text: str
    interviewer: bool
    highlight: bool = False


@dataclass
class Article:
    title: str
    introduction: str
    turns: list = field(default_factory=list)
    closing: str = ""
    left_out: int = 0  # answers the trainee did not consent to


def build(interview: Interview) -> Article:
    """The article is published in Japanese, whatever the language of who looks at it."""
    with translation.override("ja"):
        return _build(interview)


def _build(interview: Interview) -> Article:
    name = trainee_name(interview)
    program = interview.enrollment.program
    article = Article(
        title=_("After a week at %(host)s: %(name)s on the program")
        % {"host": program.host.name, "name": name},
        introduction=interview.introduction,
        closing=interview.closing,
    )
    interviewer = _("Interviewer")
    for question in interview.questions.order_by("order", "pk"):
        if not question.answer:
            continue
        if question.consent is not True:
            article.left_out += 1
            continue
        article.turns.append(Turn(interviewer, question.text, True))
        article.turns.append(Turn(name, question.answer, False, question.highlight))
    return article


_MARKDOWN_PUNCTUATION = set("\\`*_{}[]()#+-.!|~=:")
_HTML_SPECIAL = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def _markdown_text(text: str) -> str:
    """User text in Markdown stays text: every ASCII punctuation mark that Markdown (with
    GitHub's autolinks) could read as markup is backslash-escaped, < > & become entities
    (blog engines pass HTML through), and leading spaces are dropped (four would start a
    code block). Blank lines stay paragraph breaks."""
    paragraphs = []
    for paragraph in text.replace("\r\n", "\n").split("\n\n"):
        lines = []
        for line in paragraph.split("\n"):
            out = []
            for ch in line.lstrip():
                if ch in _HTML_SPECIAL:
                    out.append(_HTML_SPECIAL[ch])
                elif ch in _MARKDOWN_PUNCTUATION:
                    out.append("\\" + ch)
                else:
                    out.append(ch)
            lines.append("".join(out))
        paragraphs.append("  \n".join(line for line in lines if line))
    return "\n\n".join(p for p in paragraphs if p)


def to_markdown(article: Article) -> str:
    parts = [f"# {_markdown_text(article.title)}", "", _markdown_text(article.introduction), ""]
    for turn in article.turns:
        if turn.interviewer:
            parts += [f"**――{_markdown_text(turn.text)}**", ""]
        else:
            parts += [f"**{_markdown_text(turn.speaker)}**：{_markdown_text(turn.text)}", ""]
    if article.closing:
        parts += ["---", "", _markdown_text(article.closing), ""]
    return "\n".join(parts)


def _html_text(text: str) -> str:
    return "<br>\n".join(escape(line) for line in text.splitlines())


def to_html(article: Article) -> str:
    """Clean HTML to paste into a blog: no classes beyond the turn markers, no styles, no
    scripts; every piece of user text escaped."""
    parts = ["<article>", f"<h1>{escape(article.title)}</h1>"]
    if article.introduction:
        parts.append(f"<p>{_html_text(article.introduction)}</p>")
    for turn in article.turns:
        if turn.interviewer:
            parts.append(f'<p class="interviewer"><strong>――{_html_text(turn.text)}</strong></p>')
        else:
            css = "trainee highlight" if turn.highlight else "trainee"
            parts.append(
                f'<p class="{css}"><strong>{escape(turn.speaker)}</strong>：'
                f"{_html_text(turn.text)}</p>"
            )
    if article.closing:
        parts += ["<hr>", f"<p>{_html_text(article.closing)}</p>"]
    parts.append("</article>")
    return "\n".join(parts) + "\n"
