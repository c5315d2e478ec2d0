"""`{% help_now %}`: the emergency numbers panel, for pages outside safeguarding (the
forced change-password page) that must not import this app."""

from django import template
from django.contrib.auth.models import AnonymousUser

from ..selectors import help_contacts_for

register = template.Library()


@register.inclusion_tag("safeguarding/_help_now.html", takes_context=True)
def help_now(context):
    request = context.get("request")
    return {"contacts": help_contacts_for(getattr(request, "user", None) or AnonymousUser())}
