"""Course certificates: one row per student and course, created when the course is first
completed (progress.services.course_completed) and drawn in a worker through the jobs outbox.

Drawn once per student and course; `force=True` draws it again (same issue date).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop
from wagtail.models import Page

from courses.i18n import titles_by_language
from jobs.services import enqueue
from notifications.models import Notification
from notifications.services import notify_once
from notifications.text import in_languages, text
from schools.models import StudentProfile

from ..models import Certificate
from .drawing import render_pdf, render_png


def _school_name(student) -> str:
    profile = StudentProfile.objects.filter(user=student).select_related("school").first()
    return profile.school.name if profile else ""


def _course_title(course, language: str) -> str:
    """The course title in `language`: its live zh-hans translation's title, else the English
    course's `title_zh`, else the English title."""
    specific = course.specific
    if not language.startswith("zh"):
        return specific.title
    translated = (
        type(specific)
        .objects.live()
        .filter(translation_key=specific.translation_key, locale__language_code="zh-hans")
        .values_list("title", flat=True)
        .first()
    )
    return translated or getattr(specific, "title_zh", "") or specific.title


def generate(*, student_id: int, course_id: int, force: bool = False):
    """Create the certificate (if missing) and draw its files (if missing, or `force`)."""
    student = get_user_model().objects.get(pk=student_id)
    course = Page.objects.get(pk=course_id)
    with transaction.atomic():
        Certificate.objects.get_or_create(student=student, course=course)
        cert = Certificate.objects.select_for_update().get(student=student, course=course)
        if cert.png and cert.pdf and not force:
            return cert
        language = student.language or settings.LANGUAGE_CODE
        with translation.override(language):
            title = _course_title(course, language)
            png = render_png(
                name=student.get_display_name(),
                course_title=title,
                school_name=_school_name(student),
                issued_on=timezone.localtime(cert.issued_at).date(),
            )
            pdf = render_pdf(png, title=title)
        for f in (cert.png, cert.pdf):
            if f:
                f.delete(save=False)
        cert.png.save(f"certificate-{course.pk}.png", ContentFile(png), save=False)
        cert.pdf.save(f"certificate-{course.pk}.pdf", ContentFile(pdf), save=False)
        cert.save(update_fields=["png", "pdf"])
        notify_once(
            key=f"certificate:{student.pk}:{course.pk}",
            user=student,
            kind=Notification.Kind.CERTIFICATE,
            title=text(
                gettext_noop("Your certificate for %(course)s is ready"),
                course=in_languages(titles_by_language(course)),
            ),
            url=_my_learning_url(),
        )
    return cert


def _my_learning_url() -> str:
    try:
        return reverse("learning:my_learning")
    except NoReverseMatch:
        return ""


def request_certificate(*, student, course, force: bool = False):
    """Queue the drawing (after commit, through the jobs outbox). Connect it to course
    completion: ``course_completed`` -> ``request_certificate(student=..., course=...)``."""
    key = None if force else f"certificate:{student.pk}:{course.pk}"
    return enqueue("learning.generate_certificate", student.pk, course.pk, bool(force), dedupe_key=key)


def on_course_completed(sender, student, course, **kwargs):
    """Receiver for learning.progress.services.course_completed."""
    request_certificate(student=student, course=course)
