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
