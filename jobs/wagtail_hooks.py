from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import selectors


class OperatorMenuItem(MenuItem):
    def is_shown(self, request):
        return selectors.is_operator(request.user)


@hooks.register("register_settings_menu_item")
def register_failed_jobs_menu_item():
    return OperatorMenuItem(_("Failed background jobs"), reverse("jobs:failed"), icon_name="warning", order=900)
