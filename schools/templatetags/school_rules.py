"""The school rules a page states, read from settings where they are set."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def deletion_wait_days() -> int:
    """Days a guardian's link must have before they may ask for their child's deletion
    (schools.services.deletion_requests.deletion_refusal)."""
    return settings.SCHOOLS_DELETION_GRACE_DAYS
