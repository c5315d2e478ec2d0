"""Due-date reminders: the day before an assignment is due, once per student and due date.

Students get an in-app notice; guardians who chose "due-date reminder e-mails" get a short
e-mail. Each delivery is guarded by a sent-log key that includes the due time, so running
the hourly task again sends nothing twice, and moving the due date earns a fresh reminder.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from courses.i18n import titles_by_language
from notifications.mail import SendOnceMailer, site_url
from notifications.models import EmailPreference, Notification
from notifications.services import deliver_once, notify, unsubscribe_token
from notifications.text import in_languages, moment, text
from schools.models import Enrollment, GuardianLink

from ..models import Assignment, Progress, ProgressStatus

logger = logging.getLogger("netwise.learning.reminders")

WINDOW = timedelta(hours=24)


@dataclass
class ReminderRun:
    notices: int = 0
    emails: int = 0
    failed: int = 0


def _my_learning_url() -> str:
    return reverse("learning:my_learning")


def due_pairs(now):
    """(assignment, student ids) for assignments due within the next 24 hours."""
    assignments = list(
        Assignment.objects.active()
        .filter(due_at__gt=now, due_at__lte=now + WINDOW)
        .select_related("item")
        .order_by("due_at", "pk")
    )
    if not assignments:
        return []
    classroom_ids = {a.classroom_id for a in assignments}
    enrolled = defaultdict(set)
    for classroom_id, student_id in Enrollment.objects.filter(
        classroom_id__in=classroom_ids, student__is_active=True
    ).values_list("classroom_id", "student_id"):
        enrolled[classroom_id].add(student_id)
    targets = defaultdict(set)
    for a_id, user_id in Assignment.students.through.objects.filter(
        assignment_id__in=[a.pk for a in assignments]
    ).values_list("assignment_id", "user_id"):
        targets[a_id].add(user_id)
    all_students = set().union(*enrolled.values()) if enrolled else set()
    done = set(
        Progress.objects.filter(
            student_id__in=all_students,
            page_id__in={a.item_id for a in assignments},
            status=ProgressStatus.COMPLETED,
        ).values_list("student_id", "page_id")
    )
    pairs = []
    for a in assignments:
        students = enrolled[a.classroom_id]
        if targets[a.pk]:
            students = students & targets[a.pk]
        students = {s for s in students if (s, a.item_id) not in done}
        if students:
            pairs.append((a, sorted(students)))
    return pairs


def reminder_key(assignment, student_id, channel="notice", guardian_id=None) -> str:
    stamp = assignment.due_at.strftime("%Y%m%d%H%M")
    extra = f":{guardian_id}" if guardian_id else ""
    return f"reminder:{channel}:{assignment.pk}:{student_id}{extra}:{stamp}"


def send_due_reminders(*, now=None) -> ReminderRun:
    now = now or timezone.now()
    run = ReminderRun()
    pairs = due_pairs(now)
    if not pairs:
        return run

    User = get_user_model()
    student_ids = {s for _, students in pairs for s in students}
    users = User.objects.in_bulk(student_ids)
    guardians = defaultdict(list)
    links = GuardianLink.objects.filter(
        student_id__in=student_ids, state=GuardianLink.State.ACTIVE, guardian__is_active=True
    ).exclude(guardian__email="")
    opted_in = set(EmailPreference.objects.filter(due_reminders=True).values_list("user_id", flat=True))
    for link in links.select_related("guardian"):
        if link.guardian_id in opted_in:
            guardians[link.student_id].append(link.guardian)
    url = _my_learning_url()
    titles = {}

    def item_titles(item):
        if item.pk not in titles:
            titles[item.pk] = in_languages(titles_by_language(item))
        return titles[item.pk]

    with SendOnceMailer() as mailer:
        for assignment, students in pairs:
            for student_id in students:
                student = users[student_id]
                with deliver_once(reminder_key(assignment, student_id), channel="in_app") as fresh:
                    if fresh:
                        notify(
                            user=student,
                            kind=Notification.Kind.DUE_SOON,
                            title=text(gettext_noop("Due tomorrow: %(title)s"), title=item_titles(assignment.item)),
                            body=text(gettext_noop("Due %(when)s."), when=moment(assignment.due_at)),
                            url=url,
                        )
                        run.notices += 1
                for guardian in guardians.get(student_id, []):
                    mailer.send_once(
                        reminder_key(assignment, student.pk, "email", guardian.pk),
                        partial(_reminder_email, guardian, student, assignment),
                        recipient=guardian.email,
                    )
    run.emails, run.failed = mailer.sent, mailer.failed
    return run


def _reminder_email(guardian, student, assignment) -> EmailMultiAlternatives:
    with translation.override(guardian.language or settings.LANGUAGE_CODE):
        context = {
            "guardian": guardian,
            "child": student.get_display_name(),
            "title": assignment.item.title,
            "due_at": assignment.due_at,
            "preferences_url": site_url(reverse("notifications:preferences")),
            "unsubscribe_url": site_url(
                reverse("notifications:unsubscribe", args=[unsubscribe_token(guardian, "due_reminders")])
            ),
        }
        return EmailMultiAlternatives(
            subject=_("%(child)s has something due tomorrow") % {"child": context["child"]},
            body=render_to_string("learning/email/due_reminder.txt", context),
            to=[guardian.email],
            headers={"List-Unsubscribe": f"<{context['unsubscribe_url']}>"},
        )
