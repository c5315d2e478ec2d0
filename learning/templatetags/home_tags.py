"""Words for dates on the home pages: "today", "tomorrow", "Friday", else "26 Nov"."""

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def day_word(value, today=None):
    """A day said as a person would: today, yesterday, tomorrow, a weekday within a week
    either side, else the day and month (with the year when it is not this year)."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    today = today if isinstance(today, date) else timezone.localdate()
    delta = (value - today).days
    if delta == 0:
        return _("today")
    if delta == 1:
        return _("tomorrow")
    if delta == -1:
        return _("yesterday")
    if -7 < delta < 7:
        return date_format(value, "l")
    return date_format(value, "MONTH_DAY_FORMAT" if value.year == today.year else "DATE_FORMAT")
