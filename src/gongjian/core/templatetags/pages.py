"""``{% page_link "air:rankings" label %}``: a link to a page, written only for someone who may open
it (:func:`gongjian.core.pages.may_open`, the rule the menu asks), so that an area's own links never
lead a person to a refusal."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from gongjian.core.pages import may_open

register = template.Library()


@register.simple_tag(takes_context=True)
def page_link(context, url_name: str, label, *args) -> str:
    request = context.get("request")
    if request is None or not may_open(request.user, url_name, *args):
        return ""
    return format_html('<a href="{}">{}</a>', reverse(url_name, args=args), label)
