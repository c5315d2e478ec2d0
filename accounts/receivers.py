"""Tell a student at log-in that school staff reset their password (until they change it)."""

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import formats, timezone
from django.utils.translation import gettext as _


@receiver(user_logged_in, dispatch_uid="accounts.staff_reset_notice")
def tell_about_staff_reset(sender, request, user, **kwargs):
    when = getattr(user, "password_reset_by_staff_at", None)
    if when is None or request is None:
        return
    day = formats.date_format(timezone.localtime(when), "DATE_FORMAT")
    messages.warning(request, _("Your password was reset by school staff on %(date)s.") % {"date": day})
