from django.urls import NoReverseMatch, reverse

from .navigation import entries_for
from .roles import Role


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "help_url": None}
    help_url = None
    if user.role == Role.STUDENT:
        try:
            help_url = reverse("safeguarding:new_report")
        except NoReverseMatch:
            help_url = None
    return {"nav_items": entries_for(user), "help_url": help_url}
