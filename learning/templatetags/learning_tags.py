from django import template

from learning.charts import heat_level

register = template.Library()


@register.filter
def heat(value):
    return heat_level(value)


@register.filter
def minutes(seconds):
    return round((seconds or 0) / 60)
