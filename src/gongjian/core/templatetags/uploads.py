"""What an upload page says about its files: ``{% upload_hint "table" %}`` (the formats and the size
limit, in the page's language) and ``{% upload_accept "photo" %}`` (the ``accept`` attribute)."""

from django import template

from gongjian.core.uploads import KINDS

register = template.Library()


@register.simple_tag
def upload_hint(kind: str) -> str:
    return KINDS[kind].hint()


@register.simple_tag
def upload_accept(kind: str) -> str:
    return ",".join(KINDS[kind].suffixes)
