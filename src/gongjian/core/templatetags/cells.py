"""How a registry page writes a cell: a code (:class:`gongjian.core.registry.Code`) as ``<code>``,
so that it reads as the identifier it is, anything else as text."""

from django import template
from django.utils.html import format_html

from gongjian.core.registry import Code

register = template.Library()


@register.filter
def cell(value):
    return format_html("<code>{}</code>", value) if isinstance(value, Code) else value
