"""Writes for assignments: a teacher sets a course, lesson or quiz for a class (or some of
its students), edits the due date and note, or withdraws it; the students get a notice. And
"Give one more attempt" at a quiz a student is out of attempts at."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop
from wagtail.models import Page

from accounts.roles import Role
from courses.i18n import source_page, titles_by_language
from notifications.models import Notification
from notifications.services import notify, notify_many
from notifications.text import in_languages, text
from quizzes import services as quiz_services
from schools import audit

from ..models import Assignment
from ..progress.services import kind_of


@transaction.atomic
def create_assignment(
    *, teacher, classroom, item: Page, due_at=None, note="", students=(), age_version=""
) -> Assignment:
    kind = kind_of(item)
    if kind is None:
        raise ValueError("Only courses, lessons and quizzes can be assigned.")
    assignment = Assignment.objects.create(
        classroom=classroom,
        item=item,
        item_kind=kind,
        due_at=due_at,
        note=note,
        age_version=age_version or "",
        assigned_by=teacher,
    )
    if students:
        assignment.students.set(students)
    student_ids = [getattr(s, "pk", s) for s in students]
    transaction.on_commit(lambda: notify_assigned(assignment_id=assignment.pk, student_ids=student_ids))
    return assignment


def notify_assigned(*, assignment_id: int, student_ids=()) -> int:
    """An in-app notice to every student the assignment targets (its students, or the whole
    class): three queries whatever the class size. Runs after the assignment commits."""
    assignment = Assignment.objects.select_related("item").filter(pk=assignment_id).first()
    if assignment is None:
        return 0
    users = get_user_model().objects.filter(is_active=True, role=Role.STUDENT)
    if student_ids:
        users = users.filter(pk__in=student_ids)
    else:
        users = users.filter(enrollments__classroom_id=assignment.classroom_id).distinct()
    users = list(users.only("pk", "language"))
    title = text(gettext_noop("New assignment: %(item)s"), item=in_languages(titles_by_language(assignment.item)))
    notify_many(users=users, kind="assignment", title=title, url=reverse("learning:my_learning"))
    return len(users)


@transaction.atomic
def update_assignment(*, assignment: Assignment, due_at=None, note="", students=(), age_version=None) -> Assignment:
    """`age_version` None leaves the assignment's choice as it is."""
    assignment.due_at = due_at
    assignment.note = note
    if age_version is not None:
        assignment.age_version = age_version
    assignment.save(update_fields=["due_at", "note", "age_version", "updated_at"])
    assignment.students.set(students)
    return assignment


@transaction.atomic
def withdraw_assignment(*, assignment: Assignment) -> Assignment:
    if assignment.withdrawn_at is None:
        assignment.withdrawn_at = timezone.now()
        assignment.save(update_fields=["withdrawn_at", "updated_at"])
    return assignment


@transaction.atomic
def give_another_attempt(*, teacher, classroom, student, quiz, reason: str = "", request=None):
    """One more attempt at `quiz` for `student`, who has used every attempt without passing.
    The caller has loaded the class as one `teacher` teaches and the student as one of its
    (schools.access). Audited (under the student's school) and the student is told, in the
    language they read in. Raises quizzes.services.NothingToGive when there is nothing to give
    (the student can start the quiz, has passed it, or a grant a moment earlier gave it)."""
    quiz = source_page(quiz)
    allowance = quiz_services.grant_attempt(student=student, quiz=quiz, granted_by=teacher, reason=reason)
    audit.record(
        actor=teacher,
        action="quiz.attempt_given",
        target=student,
        request=request,
        quiz_id=quiz.pk,
        quiz=quiz.title,
        classroom_id=classroom.pk,
        extra_attempts=allowance.extra_attempts,
        reason=allowance.reason,
    )
    notify(
        user=student,
        kind=Notification.Kind.GENERAL,
        title=text(gettext_noop("You have one more attempt at %(quiz)s"), quiz=in_languages(titles_by_language(quiz))),
        body=text(gettext_noop("Your teacher gave you another go.")),
        url=quiz.url or "",
    )
    return allowance
