"""Sending a module's family letter to the guardians of a class (issue 17).

A teacher picks a module for one of their classes. Every guardian with an ACTIVE link to a
student enrolled in that class gets the letter once per class × module: an in-app notice
now, and an e-mail from a background job (jobs outbox) unless they turned family letters off.
Both are in the guardian's language. A PENDING link (an under-14 child whose consent is not
recorded yet) gets nothing: until consent, the school shares nothing about the child with
that adult, and a letter saying the child's class studied a module would.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.roles import Role
from courses.models import CoursePage
from jobs.services import enqueue
from notifications.mail import SendOnceMailer, TransientMailError
from notifications.models import Notification
from notifications.services import already_delivered, notify_once, unsubscribe_token, wants_email
from schools.models import Classroom, GuardianLink

# The task's name from before the letters moved here (queued jobs keep working).
MAIL_TASK = "learning.family_letters.send_mail"


def letter_key(classroom_id: int, course_id: int, guardian_id: int, channel: str = "in_app") -> str:
    prefix = "family-letter-mail" if channel == "email" else "family-letter"
    return f"{prefix}:{classroom_id}:{course_id}:{guardian_id}"


def guardians_of(classroom):
    """Active guardians with an ACTIVE (consented) link to a student enrolled in `classroom`."""
    linked = GuardianLink.objects.filter(
        state=GuardianLink.State.ACTIVE, student__enrollments__classroom=classroom, student__is_active=True
    ).values("guardian_id")
    return get_user_model().objects.filter(pk__in=linked, is_active=True, role=Role.GUARDIAN).order_by("pk")


def modules():
    """The English module pages (a letter is sent in each guardian's language)."""
    return CoursePage.objects.live().public().filter(locale__language_code=settings.LANGUAGE_CODE).order_by("path")


def course_in(course, language: str):
    """The live translation of `course` in `language`, else the English page."""
    if course.locale.language_code == language:
        return course
    found = CoursePage.objects.live().filter(translation_key=course.translation_key, locale__language_code=language)
    return found.select_related("locale").first() or course


def letter_text(course) -> str:
    """The letter as plain text (greeting, what was learned, prompts, help), in the active language."""
    return render_to_string("learning/email/family_letter.txt", {"course": course, "letter": course.letter})


@dataclass
class SendResult:
    guardians: int
    notified: int

    @property
    def already_sent(self) -> bool:
        return self.guardians > 0 and self.notified == 0


def send_family_letter(*, teacher, classroom, course) -> SendResult:
    """Notify each guardian of `classroom` once about `course`'s letter and queue the e-mails.
    `classroom` must come from access.classrooms_taught_by(teacher)."""
    guardians = list(guardians_of(classroom))
    notified = 0
    with transaction.atomic():
        for guardian in guardians:
            language = guardian.language or settings.LANGUAGE_CODE
            with translation.override(language):
                local = course_in(course, language)
                notice = notify_once(
                    key=letter_key(classroom.pk, course.pk, guardian.pk),
                    user=guardian,
                    kind=Notification.Kind.GENERAL,
                    title=_("A letter from your child's teacher: %(module)s") % {"module": local.title},
                    body=letter_text(local),
                )
            notified += notice is not None
        if notified:
            # No dedupe key: a later click for guardians linked since must mail them too; the
            # sent-log makes every run mail each guardian at most once.
            enqueue(MAIL_TASK, classroom.pk, course.pk, requested_by=teacher)
    return SendResult(guardians=len(guardians), notified=notified)


def _message(guardian, course, classroom) -> EmailMultiAlternatives:
    language = guardian.language or settings.LANGUAGE_CODE
    with translation.override(language):
        local = course_in(course, language)
        token = unsubscribe_token(guardian, "family_letters")
        context = {
            "course": local,
            "letter": local.letter,
            "name": guardian.get_display_name(),
            "unsubscribe": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            + reverse("notifications:unsubscribe", args=[token]),
        }
        subject = _("A letter from your child's teacher: %(module)s") % {"module": local.title}
        body = render_to_string("learning/email/family_letter_mail.txt", context)
    return EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [guardian.email])


def send_mail(classroom_id: int, course_id: int) -> int:
    """E-mail the letter to each guardian of the class who wants family letters, once each."""
    classroom = Classroom.objects.filter(pk=classroom_id).first()
    course = CoursePage.objects.filter(pk=course_id).select_related("locale").first()
    if classroom is None or course is None:
        return 0
    with SendOnceMailer() as mailer:
        for guardian in guardians_of(classroom).exclude(email="").select_related("email_preference"):
            if not already_delivered(letter_key(classroom_id, course_id, guardian.pk)):
                continue  # the letter was never sent to this guardian (linked after the click)
            if not wants_email(guardian, "family_letters"):
                continue
            mailer.send_once(
                letter_key(classroom_id, course_id, guardian.pk, channel="email"),
                lambda g=guardian: _message(g, course, classroom),
                recipient=guardian.email,
            )
    if mailer.failed:
        raise TransientMailError(f"{mailer.failed} family letters not sent")
    return mailer.sent
