"""The access matrix (design.md §5, docs/access.md), walked URL by URL, role by role.

HOW TO ADD YOUR URL — one line in ROWS:

    row("app:url_name", lambda w: {"classroom_id": w.classroom.pk}, ok="teacher school_admin"),

- `w` is the world from tests/schools/factories.py:build_world(): w.student, w.other_student,
  w.teacher (teaches w.classroom, which holds w.student), w.other_teacher (w.other_classroom,
  holds w.other_student), w.guardian (linked to w.student, consent given), w.other_guardian,
  w.school_admin (w.school), w.other_admin (w.other_school), w.far_student/w.far_classroom
  (other school). The lambda may create objects (e.g. an attempt by w.student) and return
  their ids.
- `ok` names the roles that get `ok_status` (200 unless said). Every other signed-in role
  must get 404 (never 403); anonymous must be redirected to log in (302). Roles: student
  other_student teacher other_teacher guardian other_guardian school_admin other_admin anonymous.
- `method="post", data={...}` for actions; they usually answer 302 on success: ok_status=302.
- `status={"role": code}` overrides a single cell.

Every URL of the project's apps that takes a kwarg must have a row, or be listed in
NOT_STUDENT_DATA (with the reason: only URLs that carry no user data and whose object is
public) — test_every_url_with_an_object_id_has_a_row fails otherwise. There is no list of
exemptions awaiting an owner any more.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLResolver, get_resolver, reverse

from tests.safeguarding.factories import matrix_case
from tests.schools.factories import build_world

ROLES = [
    "student",
    "other_student",
    "teacher",
    "other_teacher",
    "guardian",
    "other_guardian",
    "school_admin",
    "other_admin",
    "anonymous",
]
APPS = {
    "accounts",
    "schools",
    "courses",
    "quizzes",
    "learning",
    "safeguarding",
    "notifications",
    "jobs",
    "districts",
}


@dataclass
class Row:
    name: str
    kwargs: object
    ok: set
    method: str = "get"
    data: dict = field(default_factory=dict)
    ok_status: int = 200
    status: dict = field(default_factory=dict)

    def expected(self, role):
        if role in self.status:
            return self.status[role]
        if role in self.ok:
            return self.ok_status
        return 302 if role == "anonymous" else 404


def row(name, kwargs=None, *, ok="", **options):
    return Row(name, kwargs or (lambda w: {}), set(ok.split()), **options)


def _assignment(w):
    """An assignment of w.teacher's class (learning)."""
    from learning.models import Assignment

    return Assignment.objects.create(classroom=w.classroom, item=_page(), item_kind="course", assigned_by=w.teacher)


def _page():
    from wagtail.models import Page

    return Page.objects.filter(depth__gte=2).first() or Page.get_first_root_node()


def _quiz(w):
    """A live quiz (quizzes), for per-class item statistics (learning)."""
    from quizzes.models import QuizPage
    from tests.quizzes.factories import make_question, make_quiz

    return QuizPage.objects.first() or make_quiz(questions=[make_question("single")])


def _export(w):
    """A finished class export requested by w.teacher (learning)."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from learning.models import Export

    export = Export.objects.create(
        requested_by=w.teacher,
        kind="class",
        scope_id=w.classroom.pk,
        format="csv",
        status="done",
        expires_at=timezone.now() + timedelta(minutes=10),
    )
    export.file.save("x.csv", ContentFile(b"class\n"))
    return export


def _certificate(w):
    """w.student's certificate with both files drawn (learning)."""
    from django.core.files.base import ContentFile

    from learning.models import Certificate

    cert = Certificate.objects.create(student=w.student, course=_page())
    cert.png.save("c.png", ContentFile(b"\x89PNG"), save=False)
    cert.pdf.save("c.pdf", ContentFile(b"%PDF-1.4"), save=False)
    cert.save()
    return cert


def _quiz():
    """A live quiz (quizzes); any student may start it."""
    from tests.quizzes.factories import make_question, make_quiz

    return make_quiz(questions=[make_question("single")], slug="matrix-quiz")


def _attempt(w, *, submitted=False):
    """w.student's attempt at a live quiz (quizzes), open or submitted."""
    from quizzes import services

    attempt = services.start_attempt(student=w.student, quiz=_quiz())
    if submitted:
        services.submit_attempt(attempt_id=attempt.pk, student=w.student, answers={})
    return attempt


def _out_of_attempts(w):
    """A live one-attempt quiz w.student has failed (quizzes), for "Give one more attempt"
    (learning): the URL's ids."""
    from quizzes import services
    from tests.quizzes.factories import make_question, make_quiz

    quiz = make_quiz(questions=[make_question("single")], slug="matrix-out-of-attempts", attempts_allowed=1)
    attempt = services.start_attempt(student=w.student, quiz=quiz)
    services.submit_attempt(attempt_id=attempt.pk, student=w.student, answers={})
    return {"classroom_id": w.classroom.pk, "student_id": w.student.pk, "quiz_id": quiz.pk}


def _lesson():
    """A live, public lesson (courses)."""
    from tests.learning.factories import make_course

    return make_course(lessons=1)[1][0]


def _course():
    """A live, public course (courses)."""
    from tests.learning.factories import make_course

    return make_course(lessons=1)[0]


def _notification(w):
    from notifications.models import Notification

    return Notification.objects.create(user=w.student, title="New assignment", url="/learning/my/")


def _unsubscribe_token(w):
    from notifications.services import unsubscribe_token

    return unsubscribe_token(w.guardian)


def _job(w, *, failed=False):
    from jobs.models import Job

    return Job.objects.create(
        task_name="learning.build_export", requested_by=w.teacher, status="failed" if failed else "pending"
    )


def _deletion_request(w):
    """w.guardian's pending request to delete w.student's account (schools)."""
    from datetime import timedelta

    from django.utils import timezone

    from schools.models import DeletionRequest

    deletion = DeletionRequest.objects.create(
        student=w.student, school=w.school, requested_by=w.guardian, due_at=timezone.now() + timedelta(days=7)
    )
    return {"pk": deletion.pk}


def _district(w):
    """A district holding both of the world's schools (its officer is not in the world)."""
    from districts.models import District, DistrictSchool

    district = District.objects.create(name="Matrix District", slug="matrix-district")
    for school in (w.school, w.other_school):
        DistrictSchool.objects.create(district=district, school=school)
    return district


def _district_export(w):
    """A finished district export requested by an officer outside the world."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from accounts.roles import Role
    from districts.models import DistrictExport
    from tests.accounts.factories import UserFactory

    export = DistrictExport.objects.create(
        requested_by=UserFactory(role=Role.DISTRICT_OFFICER),
        district=_district(w),
        format="xlsx",
        status="done",
        expires_at=timezone.now() + timedelta(minutes=10),
    )
    export.file.save("x.xlsx", ContentFile(b"PK"))
    return export


EVERYONE = "student other_student teacher other_teacher guardian other_guardian school_admin other_admin"
STAFF = "teacher school_admin"
# Teachers and school admins of any school (curriculum material that is public to staff).
ANY_STAFF = "teacher other_teacher school_admin other_admin"
ROWS = [
    # schools
    row("schools:class_list", ok="teacher other_teacher school_admin other_admin"),
    row("schools:class_detail", lambda w: {"classroom_id": w.classroom.pk}, ok=STAFF),
    row("schools:class_edit", lambda w: {"classroom_id": w.classroom.pk}, ok=STAFF),
    row(
        "schools:class_archive",
        lambda w: {"classroom_id": w.classroom.pk},
        ok=STAFF,
        method="post",
        ok_status=302,
    ),
    row(
        "schools:class_join_code",
        lambda w: {"classroom_id": w.classroom.pk},
        ok=STAFF,
        method="post",
        data={"action": "disable"},
        ok_status=302,
    ),
    row("schools:roster_import", lambda w: {"classroom_id": w.classroom.pk}, ok=STAFF),
    row("schools:student_detail", lambda w: {"student_id": w.student.pk}, ok=STAFF),
    # Only the school admin and designated safeguarding staff (w.teacher is not designated here).
    row(
        "schools:student_reset_password",
        lambda w: {"student_id": w.student.pk},
        ok="school_admin",
        method="post",
    ),
    row(
        "schools:student_link_code",
        lambda w: {"student_id": w.student.pk},
        ok=STAFF,
        method="post",
    ),
    row(
        "schools:student_export",
        lambda w: {"student_id": w.student.pk},
        ok="guardian school_admin",
    ),
    row(
        "schools:student_delete",
        lambda w: {"student_id": w.student.pk},
        ok="guardian school_admin",
    ),
    row("schools:deletion_request", _deletion_request, ok="guardian school_admin"),
    row(
        "schools:deletion_request_object",
        _deletion_request,
        ok="guardian school_admin",
        method="post",
        data={"reason": "We did not agree to this."},
        ok_status=302,
    ),
    row(
        "schools:deletion_request_carry_out",
        _deletion_request,
        ok="school_admin",
        method="post",
        ok_status=302,
    ),
    row("schools:join_class", ok="student other_student"),
    row("schools:link_child", ok="guardian other_guardian"),
    row("schools:consent", lambda w: {"link_id": w.guardian_link.pk}, ok="guardian"),
    row(
        "schools:link_revoke",
        lambda w: {"link_id": w.guardian_link.pk},
        ok="guardian",
        method="post",
        ok_status=302,
    ),
    row("schools:school_detail", ok="school_admin other_admin"),
    row("schools:teacher_invite", ok="school_admin other_admin"),
    row(
        "schools:teacher_deactivate",
        lambda w: {"teacher_id": w.teacher.pk},
        ok="school_admin",
        method="post",
        ok_status=302,
    ),
    row("schools:audit_log", ok="school_admin other_admin"),
    # safeguarding: the student and the school's designated staff (w.teacher) only
    row("safeguarding:new_report", ok="student other_student"),
    row("safeguarding:my_reports", ok="student other_student"),
    row("safeguarding:report_detail", matrix_case, ok="student"),
    row("safeguarding:case_list", ok="teacher other_teacher school_admin other_admin"),
    row("safeguarding:case_detail", matrix_case, ok="teacher"),
    row(
        "safeguarding:case_reply",
        matrix_case,
        ok="teacher",
        method="post",
        data={"body": "We are here to help."},
        ok_status=302,
    ),
    row(
        "safeguarding:case_note",
        matrix_case,
        ok="teacher",
        method="post",
        data={"body": "Private note."},
        ok_status=302,
    ),
    row(
        "safeguarding:case_status",
        matrix_case,
        ok="teacher",
        method="post",
        data={"status": "closed", "outcome": "Resolved."},
        ok_status=302,
    ),
    row(
        "safeguarding:case_show_again",
        matrix_case,
        ok="teacher",
        method="post",
        ok_status=302,
    ),
    row("safeguarding:attachment", lambda w: matrix_case(w, attachment=True), ok="student teacher"),
    row("safeguarding:designations", ok="school_admin other_admin"),
    row(
        "safeguarding:break",
        ok="student other_student teacher other_teacher guardian other_guardian school_admin other_admin",
    ),
    # learning
    row("learning:class_dashboard", lambda w: {"classroom_id": w.classroom.pk}, ok=STAFF),
    row(
        "learning:student_detail",
        lambda w: {"classroom_id": w.classroom.pk, "student_id": w.student.pk},
        ok=STAFF,
    ),
    # Giving one more attempt at a quiz: the teacher of the student's class only, like assigning
    # work (the school admin sees who is out of attempts, on student_detail).
    row("learning:give_another_attempt", _out_of_attempts, ok="teacher", method="post", ok_status=302),
    row(
        "learning:class_question_statistics",
        lambda w: {"classroom_id": w.classroom.pk, "quiz_id": _quiz().pk},
        ok=STAFF,
    ),
    row("learning:guardian_child", lambda w: {"child_id": w.student.pk}, ok="guardian"),
    row("learning:my_learning", ok="student other_student"),
    row("learning:teacher_home", ok="teacher other_teacher"),
    row("learning:guardian_home", ok="guardian other_guardian"),
    row("learning:school_overview", ok="school_admin other_admin"),
    row("learning:assignment_create", lambda w: {"classroom_id": w.classroom.pk}, ok="teacher"),
    # Sending a family letter: the class's own teacher only (another teacher, the admin: 404)
    row("learning:family_letter_send", lambda w: {"classroom_id": w.classroom.pk}, ok="teacher"),
    row("learning:assignment_edit", lambda w: {"pk": _assignment(w).pk}, ok="teacher"),
    row(
        "learning:assignment_withdraw",
        lambda w: {"pk": _assignment(w).pk},
        ok="teacher",
        method="post",
        ok_status=302,
    ),
    row(
        "learning:assignment_nudge",
        lambda w: {"pk": _assignment(w).pk, "audience": "students"},
        ok="teacher",
        method="post",
        ok_status=302,
    ),
    # A forged scope id: 404 for everyone (tests/learning/test_exports.py covers success).
    row(
        "learning:export_request",
        method="post",
        data={"kind": "class", "scope_id": 0, "format": "csv"},
    ),
    # The student, their class teacher, their linked (consented) guardian, their school's admin.
    row("learning:certificate_png", lambda w: {"pk": _certificate(w).pk}, ok="student teacher guardian school_admin"),
    row("learning:certificate_pdf", lambda w: {"pk": _certificate(w).pk}, ok="student teacher guardian school_admin"),
    row("learning:export_status", lambda w: {"token": _export(w).token}, ok="teacher"),
    row("learning:export_download", lambda w: {"token": _export(w).token}, ok="teacher"),
    # courses: marking a published lesson done writes only the requester's own completion
    row("courses:lesson_done", lambda w: {"lesson_id": _lesson().pk}, ok=EVERYONE, method="post", ok_status=302),
    # courses: teachers' material (guide, lesson print view, family letter) is for staff, never
    # students or guardians; the curriculum is public to staff, so any teacher or admin (editors too)
    row("courses:teacher_guide", lambda w: {"lesson_id": _lesson().pk}, ok=ANY_STAFF),
    row("courses:lesson_print", lambda w: {"lesson_id": _lesson().pk}, ok=ANY_STAFF),
    row("courses:family_letter", lambda w: {"course_id": _course().pk}, ok=ANY_STAFF),
    row("courses:teacher_guide_pdf", lambda w: {"lesson_id": _lesson().pk}, ok=ANY_STAFF),
    row("courses:family_letter_pdf", lambda w: {"course_id": _course().pk}, ok=ANY_STAFF),
    # present mode shows a lesson's scenarios, no learner data: staff of any school, like the guide
    row("courses:lesson_present", lambda w: {"lesson_id": _lesson().pk}, ok=ANY_STAFF),
    # the standards map is curriculum-wide (district officers too: tests/courses/test_present_and_standards.py)
    row("courses:standards_map", ok=ANY_STAFF),
    row("courses:standards_map_pdf", ok=ANY_STAFF),
    # quizzes: any student may start a live quiz; an attempt is its student's alone
    row("quizzes:start", lambda w: {"quiz_id": _quiz().pk}, ok="student other_student", method="post", ok_status=302),
    row("quizzes:take", lambda w: {"attempt_id": _attempt(w).pk}, ok="student"),
    row("quizzes:autosave", lambda w: {"attempt_id": _attempt(w).pk}, ok="student", method="post"),
    row(
        "quizzes:submit",
        lambda w: {"attempt_id": _attempt(w).pk},
        ok="student",
        method="post",
        ok_status=302,
    ),
    row("quizzes:review", lambda w: {"attempt_id": _attempt(w, submitted=True).pk}, ok="student"),
    # notifications: a notice is its recipient's; opening it redirects to its link
    row("notifications:open", lambda w: {"pk": _notification(w).pk}, ok="student", ok_status=302),
    # The signed token is the credential (one-click unsubscribe from a mail client, RFC 8058):
    # anyone holding it may see the "turn this e-mail off?" question; it names nobody.
    row(
        "notifications:unsubscribe",
        lambda w: {"token": _unsubscribe_token(w)},
        ok=EVERYONE,
        status={"anonymous": 200},
    ),
    # jobs: a job's status is its requester's; retrying is for operators (superusers) only
    row("jobs:detail", lambda w: {"pk": _job(w).pk}, ok="teacher"),
    row("jobs:retry", lambda w: {"pk": _job(w, failed=True).pk}, method="post"),
    # districts: officers only (none in the world; tests/districts covers them), aggregates only
    row("districts:overview"),
    row("districts:report", lambda w: {"district_id": _district(w).pk}),
    row(
        "districts:export_request",
        lambda w: {"district_id": _district(w).pk},
        method="post",
        data={"format": "xlsx"},
    ),
    row("districts:export_status", lambda w: {"token": _district_export(w).token}),
    row("districts:export_download", lambda w: {"token": _district_export(w).token}),
]

# URLs with a kwarg that names no student, class or school data and whose object is public,
# and why. Empty: every URL with an object id has a row above.
NOT_STUDENT_DATA = {
    # Django's e-mailed reset link for parents and carers: the token is the access check
    # (tests/accounts/test_password_reset_by_email.py).
    "accounts:password_reset_confirm": "a one-time signed token, not an object id",
}


def app_url_patterns():
    """(url name, kwarg names) for every named pattern of the project's apps."""

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                yield from walk(p.url_patterns, ns)
            elif p.name and namespace in APPS:
                yield f"{namespace}:{p.name}", list(p.pattern.regex.groupindex)

    return list(walk(get_resolver().url_patterns, None))


def test_every_url_with_an_object_id_has_a_row():
    covered = {r.name for r in ROWS} | set(NOT_STUDENT_DATA)
    missing = sorted(name for name, kwargs in app_url_patterns() if kwargs and name not in covered)
    assert not missing, (
        f"These URLs take an object id but have no row in tests/test_access_matrix.py (see the docstring): {missing}"
    )


def test_rows_name_real_urls():
    names = {name for name, _kwargs in app_url_patterns()}
    stale = sorted({r.name for r in ROWS} - names)
    assert not stale, f"Rows for URLs that no longer exist: {stale}"


def _user(w, role):
    return None if role == "anonymous" else getattr(w, role)


@pytest.mark.django_db
@pytest.mark.parametrize("matrix_row", ROWS, ids=lambda r: r.name)
@pytest.mark.parametrize("role", ROLES)
def test_access_matrix_cell(client, matrix_row, role):
    w = build_world()
    from schools.models import GuardianLink

    w.guardian_link = GuardianLink.objects.get(guardian=w.guardian, student=w.student)
    url = reverse(matrix_row.name, kwargs=matrix_row.kwargs(w))
    user = _user(w, role)
    if user is not None:
        client.force_login(user)
    response = getattr(client, matrix_row.method)(url, matrix_row.data)
    expected = matrix_row.expected(role)
    assert response.status_code == expected, f"{role} {matrix_row.method.upper()} {url}"
    if role == "anonymous" and expected == 302:
        assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_another_schools_ids_in_a_post_change_nothing(client):
    """Forged ids: a teacher posting to another school's class gets 404 and no change."""
    w = build_world()
    client.force_login(w.teacher)
    code = w.far_classroom.join_code
    for name in ("schools:class_archive", "schools:class_join_code"):
        url = reverse(name, kwargs={"classroom_id": w.far_classroom.pk})
        assert client.post(url, {"action": "rotate", "archive": "1"}).status_code == 404
    w.far_classroom.refresh_from_db()
    assert w.far_classroom.join_code == code and not w.far_classroom.is_archived
