"""config.jinja2: a dict's key is found before its attributes; a missing name still fails."""

import pytest
from django.template import engines
from jinja2 import UndefinedError


def render(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


def test_a_dicts_key_comes_first_and_attributes_still_work():
    assert render("{{ row.title }}|{{ row.items }}", row={"title": "研修", "items": "3"}) == (
        "研修|3"
    )
    assert render("{{ row.keys() | list | length }}", row={"a": 1, "b": 2}) == "2"
    assert render("{{ row.title }}", row={"title": "<b>"}) == "&lt;b&gt;"


def test_a_missing_key_is_an_error_not_an_empty_cell():
    with pytest.raises(UndefinedError):
        render("{{ row.titel }}", row={"title": "研修"})


def test_rows_filled_from_one_drawn_row_escape_every_value():
    from markupsafe import Markup

    source = (
        '{% set row %}<tr><td data-label="{{ label }}"><a href="{url}">{title}</a></td>'
        "<td>{n}</td><td>{safe}</td></tr>{% endset %}{{ fill_rows(row, rows) }}"
    )
    rows = [
        {"url": "/p/1/?a=1&b=2", "title": '<script>"x"</script>', "n": 3, "safe": Markup("<b>")},
        {"url": "/p/2/", "title": "研修 {title}", "n": None, "safe": "<i>"},
    ]
    assert render(source, label="日<程>", rows=rows) == (
        '<tr><td data-label="日&lt;程&gt;"><a href="/p/1/?a=1&amp;b=2">'
        "&lt;script&gt;&quot;x&quot;&lt;/script&gt;</a></td><td>3</td><td><b></td></tr>"
        '<tr><td data-label="日&lt;程&gt;"><a href="/p/2/">研修 {title}</a></td>'
        "<td>None</td><td>&lt;i&gt;</td></tr>"
    )
    assert render(source, label="", rows=[]) == ""
    with pytest.raises(KeyError):
        render(source, label="", rows=[{"url": "/", "title": "t", "n": 1}])


def test_translations_are_markup_with_their_variables_escaped_in_either_language():
    from django.utils import translation

    with translation.override("ja"):
        ja = render('{{ _("Programs") }}')
        assert ja == "研修プログラム"
    with translation.override("en"):
        assert render('{{ _("Programs") }}') == "Programs"
        # the memo is per language: English after Japanese, and Japanese again after
        assert render('{{ _("A %(x)s b", x="<i>") }}') == "A &lt;i&gt; b"
        assert render('{{ _("100%% done") }}') == "100% done"  # newstyle: % applied always
        assert render('{{ ngettext("%(num)s day", "%(num)s days", 2) }}') == "2 days"
    with translation.override("ja"):
        assert render('{{ _("Programs") }}') == ja


def test_url_with_ids_is_what_reverse_gives_and_anything_else_goes_to_reverse():
    from datetime import date

    from django.urls import NoReverseMatch, reverse

    from config.jinja2 import url, url_by_pk

    for name, args in (
        ("programs:program_detail", (7,)),
        ("seminars:trip_edit", (12, 345)),
        ("seminars:leg_edit", (1, 2, 2_147_483_647)),
        ("programs:program_detail", (0,)),
    ):
        assert url(name, *args) == reverse(name, args=args)
        assert render(f"{{{{ url({name!r}, {', '.join(map(str, args))}) }}}}") == reverse(
            name, args=args
        )
    assert url_by_pk("seminars:trip_edit", 12)(345) == reverse("seminars:trip_edit", args=(12, 345))
    # a negative id or a string is not filled into a pattern: reverse() decides, as before
    with pytest.raises(NoReverseMatch):
        url("programs:program_detail", -1)
    assert url("programs:program_detail", "8") == reverse("programs:program_detail", args=["8"])
    day = date(2026, 12, 7)
    assert url("trainees:reflection_write", 3, day) == reverse(
        "trainees:reflection_write", args=[3, day]
    )
    with pytest.raises(NoReverseMatch):  # an id where the day goes: the marker is refused
        url("trainees:reflection_write", 3, 4)
    with pytest.raises(NoReverseMatch):
        url_by_pk("programs:program_list")


def test_the_globals_called_directly_are_still_the_loop_variables_where_a_loop_names_them():
    source = (
        '{{ url("programs:program_detail", 4) }}|{% for url in urls %}{{ url }};{% endfor %}|'
        "{% macro link(url) %}{{ url(5) }}{% endmacro %}{{ link(double) }}|{{ _('Programs') }}"
        "{% for _ in [1] %}|{{ _ }}{% endfor %}"
    )
    assert render(source, urls=["/a/", "/b/"], double=lambda n: n * 2) == (
        "/programs/4/|/a/;/b/;|10|研修プログラム|1"
    )


def test_choice_labels_are_read_in_the_active_language_and_cannot_be_changed():
    from django.utils import translation

    from config.translated import choice_labels
    from programs.models import Status

    with translation.override("en"):
        assert choice_labels(Status)["draft"] == "Draft"
    with translation.override("ja"):
        assert choice_labels(Status)["draft"] == "下書き"
        assert list(choice_labels(Status)) == [value for value, _label in Status.choices]
        with pytest.raises(TypeError):
            choice_labels(Status)["draft"] = "x"
