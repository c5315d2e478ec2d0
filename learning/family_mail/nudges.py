"""A teacher's one-click nudge about an overdue assignment: "remind students" (an in-app
notice to each student who has not finished it) and "tell families" (an in-app notice and an
e-mail to their linked guardians who chose due-date reminders).

Each delivery has a sent-log key with the assignment, the person and the day, so clicking
twice, or two teachers of the class clicking, tells nobody twice on one day.
"""

from __future__ import annotations

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
from notifications.services import notify_once, unsubscribe_token
from notifications.text import in_languages, text
from schools.models import Enrollment, GuardianLink

from ..models import Assignment, Progress, ProgressStatus

STUDENTS, FAMILIES = "students", "families"


def unfinished_student_ids(assignment: Assignment) -> list[int]:
    """Active students the assignment is aimed at who have not completed it (3 queries)."""
    students = set(
        Enrollment.objects.filter(classroom_id=assignment.classroom_id, student__is_active=True).values_list(
            "student_id", flat=True
        )
    )
    targets = set(assignment.students.values_list("pk", flat=True))
    if targets:
        students &= targets
    done = set(
        Progress.objects.filter(
            student_id__in=students, page_id=assignment.item_id, status=ProgressStatus.COMPLETED
        ).values_list("student_id", flat=True)
    )
    return sorted(students - done)


def _key(audience: str, assignment: Assignment, person, day, channel: str = "notice") -> str:
    return f"nudge:{audience}:{channel}:{assignment.pk}:{person}:{day:%Y%m%d}"


def remind_students(*, assignment: Assignment, now=None) -> int:
    """An in-app notice to each student who has not finished `assignment`, at most once a day.
    Returns how many were told now."""
    day = timezone.localdate(now or timezone.now())
    item = in_languages(titles_by_language(assignment.item))
    title = text(gettext_noop("Please finish: %(item)s"), item=item)
    body = text(gettext_noop("Your teacher reminds you that this was due. You can still finish it."))
    users = get_user_model().objects.filter(pk__in=unfinished_student_ids(assignment)).only("pk", "language")
    told = 0
    for user in users:
        told += (
            notify_once(
                key=_key(STUDENTS, assignment, user.pk, day),
                user=user,
                kind=Notification.Kind.DUE_SOON,
                title=title,
                body=body,
                url=reverse("learning:my_learning"),
            )
            is not None
        )
    return told


def tell_families(*, assignment: Assignment, now=None) -> int:
    """An in-app notice and an e-mail to each linked guardian, who chose due-date reminders,
    of a student who has not finished `assignment`; at most once a day per guardian and child.
    Returns how many guardians were told now."""
    day = timezone.localdate(now or timezone.now())
    student_ids = unfinished_student_ids(assignment)
    opted_in = EmailPreference.objects.filter(due_reminders=True).values("user_id")
    links = list(
        GuardianLink.objects.filter(
            student_id__in=student_ids,
            state=GuardianLink.State.ACTIVE,
            guardian__is_active=True,
            guardian_id__in=opted_in,
        ).select_related("guardian", "student")
    )
    titles = titles_by_language(assignment.item)
    item = in_languages(titles)
    told = set()
    with SendOnceMailer() as mailer:
        for link in links:
            guardian, child = link.guardian, link.student.get_display_name()
            notice = notify_once(
                key=_key(FAMILIES, assignment, f"{guardian.pk}:{link.student_id}", day),
                user=guardian,
                kind=Notification.Kind.DUE_SOON,
                title=text(gettext_noop("%(child)s has overdue work: %(item)s"), child=child, item=item),
                body=text(gettext_noop("Their teacher let you know it is not finished yet.")),
                url=reverse("learning:guardian_child", args=[link.student_id]),
            )
            if notice is not None:
                told.add(guardian.pk)
            if guardian.email:
                sent = mailer.send_once(
                    _key(FAMILIES, assignment, f"{guardian.pk}:{link.student_id}", day, "email"),
                    partial(_email, guardian, child, assignment, titles),
                    recipient=guardian.email,
                )
                if sent:
                    told.add(guardian.pk)
    return len(told)


def _email(guardian, child, assignment, titles) -> EmailMultiAlternatives:
    language = guardian.language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "guardian": guardian,
            "child": child,
            "title": titles.get(language) or titles.get(settings.LANGUAGE_CODE) or assignment.item.title,
            "due_at": assignment.due_at,
            "preferences_url": site_url(reverse("notifications:preferences")),
            "unsubscribe_url": site_url(
                reverse("notifications:unsubscribe", args=[unsubscribe_token(guardian, "due_reminders")])
            ),
        }
        return EmailMultiAlternatives(
            subject=_("%(child)s has overdue work on NetWise") % {"child": child},
            body=render_to_string("learning/email/overdue_nudge.txt", context),
            to=[guardian.email],
            headers={"List-Unsubscribe": f"<{context['unsubscribe_url']}>"},
        )
