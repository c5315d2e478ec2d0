from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_staff


@hooks.register("register_settings_menu_item")
def register_failed_jobs_menu_item():
    return StaffMenuItem(_("Failed background jobs"), reverse("jobs:failed"), icon_name="warning", order=900)
