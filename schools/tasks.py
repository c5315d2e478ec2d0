"""Background work for schools: e-mailing link codes from a roster's guardian column."""

from functools import partial

from celery import shared_task
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.mail import TRANSIENT_MAIL_ERRORS, SendOnceMailer, TransientMailError, site_url

from .models import LinkCode
from .services import deletion_requests


@shared_task(
    name="schools.send_link_code_invitations",
    autoretry_for=TRANSIENT_MAIL_ERRORS,
    retry_backoff=True,
    max_retries=5,
    ignore_result=True,
)
def send_link_code_invitations(link_code_ids):
    """E-mail each family its child's link code, once per code however often this runs."""
    codes = LinkCode.objects.filter(
        pk__in=link_code_ids, used_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("student__student_profile__school")
    with SendOnceMailer() as mailer:
        for link_code in codes:
            if link_code.invited_email:
                mailer.send_once(
                    f"schools:link-invite:{link_code.pk}",
                    partial(_invitation, link_code),
                    recipient=link_code.invited_email,
                )
    if mailer.failed:  # the sent ones are in the sent-log: a retry sends only the rest
        raise TransientMailError(f"{mailer.failed} link-code invitation(s) not sent")


def _invitation(link_code) -> EmailMessage:
    """Plain text only: the sign-up address is written out in full, which mail programs link."""
    profile = getattr(link_code.student, "student_profile", None)
    school = profile.school.name if profile else "NetWise"
    body = _(
        "Hello,\n\n%(school)s uses NetWise to teach internet safety. To follow "
        "%(child)s's learning, sign up as a parent or guardian at\n\n    %(url)s\n\n"
        "and enter this code under 'Link a child':\n\n    %(code)s\n\nThe code works "
        "once and expires on %(date)s.\n"
    ) % {
        "school": school,
        "child": link_code.student.get_display_name(),
        "url": site_url(reverse("schools:guardian_signup")),
        "code": link_code.code,
        "date": link_code.expires_at.date().isoformat(),
    }
    return EmailMessage(subject=_("Your link code for NetWise"), body=body, to=[link_code.invited_email])


@shared_task(name="schools.carry_out_due_deletions", ignore_result=True)
def carry_out_due_deletions():
    """Hourly (CELERY_BEAT_SCHEDULE): guardians' deletion requests whose grace period is over.
    Idempotent: a request is carried out once, then is no longer pending."""
    return deletion_requests.carry_out_due_deletions()
