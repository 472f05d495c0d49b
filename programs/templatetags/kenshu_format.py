"""Dates, times and separators as docs/glossary.md writes them (programs.formats), for the
Django templates: `{{ d|day }}`, `{{ d|day_long }}`, `{{ at|moment }}`, `{% period a b %}`,
`{% time_range a b %}`, `{% sep %}`, `{% colon %}`. A builtin: no `{% load %}` needed."""

from django import template

from .. import formats

register = template.Library()

# filter name -> the named format of programs.formats
FILTERS = {"short_date": "short", "hm": "time"}
for _name in formats.DATE_FORMATS["ja"]:
    _filter = next((f for f, n in FILTERS.items() if n == _name), _name)
    register.filter(_filter, lambda value, name=_name: formats.show(value, name))


@register.simple_tag
def period(start, end, name="day"):
    return formats.period(start, end, name)


@register.simple_tag
def time_range(start, end):
    return formats.time_range(start, end)


@register.simple_tag
def sep():
    return formats.separator("sep")


@register.simple_tag
def colon():
    return formats.separator("colon")


@register.filter
def names(values):
    return formats.join_names(values)


@register.simple_tag
def period_sep():
    return formats.separator("period")
