"""`{% jinja "partials/site_header.html" %}`: a Jinja2 partial (templates/jinja2/partials/)
drawn inside a Django template, so both layouts — templates/base.html and
templates/jinja2/layout.html — share one header, one list of messages, one footer and one list
of what is due."""

from django import template
from django.template import engines
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def jinja(context, name: str, **values):
    partial = engines["jinja2"].get_template(name)
    return mark_safe(partial.render(values, context.get("request")))  # noqa: S308 -- autoescaped
