"""`{{ value|visible }}`: text as it really is, each invisible or control character written as
<U+202E> (programs.validators.visible_characters), for pages that show what someone else's
file or form held: a bidi override would otherwise turn the rest of the line around."""

from django import template

from ..validators import visible_characters

register = template.Library()


@register.filter
def visible(value) -> str:
    return visible_characters(str(value or ""))
