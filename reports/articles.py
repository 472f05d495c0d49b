"""The interview article: an introduction, the Q&A as a 対談 with only the answers the trainee
consented to, and a closing; exported as Markdown and as clean HTML. The trainee's name
follows their consent; nobody else is named but the interviewers' company."""

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.translation import gettext as _

from trainees.models import Interview

# The first letter of each kana in Hepburn romanisation, for initials.
_ROWS = {
    "aiueo": "あいうえおアイウエオ",
    "k": "かきくけこカキクケコ",
    "g": "がぎぐげごガギグゲゴ",
    "s": "さすせそサスセソしシ",
    "z": "ざずぜぞザズゼゾ",
    "j": "じぢジヂ",
    "t": "たてとタテト",
    "c": "ちチ",
    "ts": "つツ",
    "d": "だづでどダヅデド",
    "n": "なにぬねのナニヌネノ",
    "h": "はひへほハヒヘホ",
    "f": "ふフ",
    "b": "ばびぶべぼバビブベボ",
    "p": "ぱぴぷぺぽパピプペポ",
    "m": "まみむめもマミムメモ",
    "y": "やゆよヤユヨ",
    "r": "らりるれろラリルレロ",
    "w": "わをワヲ",
}
_VOWELS = dict(zip("あいうえおアイウエオ", "aiueoaiueo", strict=True))


def _initial(kana: str, fallback: str) -> str:
    """The romanised initial of a name from its reading (kana), else of the name itself
    when it is written in Latin letters; "" when neither tells."""
    first = (kana or "").strip()[:1]
    if first in _VOWELS:
        return _VOWELS[first].upper()
    for letters, chars in _ROWS.items():
        if first and first in chars:
            return letters[0].upper()
    name = (fallback or "").strip()
    return name[:1].upper() if name[:1].isascii() and name[:1].isalpha() else ""


def trainee_name(interview: Interview) -> str:
    """How the trainee appears, as they chose when consenting."""
    user = interview.enrollment.trainee
    form = interview.name_form or "anonymous"
    if form == "full":
        return f"{user.family_name} {user.given_name}".strip() or _("The trainee")
    if form == "family_san":
        return f"{user.family_name}さん" if user.family_name else _("The trainee")
    if form == "initials":
        given = _initial(user.given_name_kana, user.given_name)
        family = _initial(user.family_name_kana, user.family_name)
        if given and family:
            return f"{given}.{family}.さん"
    return _("A trainee from %(municipality)s") % {
        "municipality": interview.enrollment.municipality.name
    }


@dataclass
class Turn:
    speaker: str
    text: str
    interviewer: bool


@dataclass
class Article:
    title: str
    introduction: str
    turns: list = field(default_factory=list)
    closing: str = ""
    name: str = ""
    left_out: int = 0  # answers the trainee did not consent to


def build(interview: Interview) -> Article:
    name = trainee_name(interview)
    program = interview.enrollment.program
    article = Article(
        title=_("After a week at %(host)s: %(name)s on the program")
        % {"host": program.host.name, "name": name},
        introduction=interview.introduction,
        closing=interview.closing,
        name=name,
    )
    interviewer = _("Interviewer")
    for question in interview.questions.order_by("order", "pk"):
        if not question.answer:
            continue
        if question.consent is not True:
            article.left_out += 1
            continue
        article.turns.append(Turn(interviewer, question.text, True))
        article.turns.append(Turn(name, question.answer, False))
    return article


def _markdown_text(text: str) -> str:
    """User text in Markdown stays text: HTML is escaped (blog engines pass HTML through)
    and a line that would start a heading, list or quote is escaped."""
    out = []
    for line in escape(text).splitlines():
        if line[:1] in "#>-+*" or line[:2].rstrip(".").isdigit():
            line = "\\" + line
        out.append(line)
    return "  \n".join(out)


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
            parts.append(
                f'<p class="trainee"><strong>{escape(turn.speaker)}</strong>：'
                f"{_html_text(turn.text)}</p>"
            )
    if article.closing:
        parts += ["<hr>", f"<p>{_html_text(article.closing)}</p>"]
    parts.append("</article>")
    return "\n".join(parts) + "\n"
