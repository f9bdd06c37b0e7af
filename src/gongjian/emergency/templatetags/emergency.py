"""Template helpers of the emergency pages."""

from django import template

from gongjian.emergency.models import Level

register = template.Library()


@register.filter
def level_label(level: str) -> str:
    """The translated name of a warning level code (``orange`` -> 橙色)."""
    return Level(level).label if level in Level.values else level or ""
