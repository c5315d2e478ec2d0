"""The privacy export holds everything NetWise holds about a student (issue 12): every model
keyed to the user is exported by a registered part or excluded with a reason, and the ZIP
carries the real content. Get help reports reach only the designated staff's export."""

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse

from schools import privacy
from schools.models import AuditEvent
from schools.services import passwords

pytestmark = pytest.mark.django_db

SECRET = "The man from the game chat asked for my address."
REPLY = "Thank you for telling us. We will talk today."
NOTE = "Staff only: called the family liaison."


def _user_keyed_models():
    User = get_user_model()
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if (
                f.concrete
                and getattr(f, "related_model", None) is User
                and (f.many_to_one or f.one_to_one or f.many_to_many)
            ):
                yield model._meta.label
                break


def test_every_model_keyed_to_the_user_is_exported_or_excluded_with_a_reason():
    covered = privacy.covered_models()
    excluded = privacy.excluded_models()
    missing = sorted(label for label in _user_keyed_models() if label not in covered and label not in excluded)
    assert not missing, (
        "These models hold a user key but are neither in a registered privacy export part "
        f"(an AppConfig's privacy_export) nor in privacy_export_excluded with a reason: {missing}"
    )
    assert not covered & set(excluded), "a model cannot be both exported and excluded"
    assert all(reason.strip() for reason in excluded.values())
    real = {m._meta.label for m in apps.get_models()}
    assert not (set(excluded) | covered) - real, "stale model names in the export registry"


def test_the_walk_sees_the_models_it_must_cover():
    keyed = set(_user_keyed_models())
    assert {"quizzes.Attempt", "learning.Progress", "safeguarding.Report", "notifications.Notification"} <= keyed


def _export(client, viewer, student):
    client.force_login(viewer)
    response = client.get(reverse("schools:student_export", args=[student.pk]))
    assert response.status_code == 200
    zf = zipfile.ZipFile(io.BytesIO(response.content))
    return zf, json.loads(zf.read("data.json")), b"".join(zf.read(n) for n in zf.namelist()).decode()


@pytest.fixture
def learning_history(world):
    """Progress, a quiz attempt with an answer, a certificate, a notification, an audit entry."""
    from learning.models import Certificate, ItemKind
    from notifications.models import Notification
    from quizzes import services as quiz_services
    from quizzes.models import Response
    from tests.learning.factories import make_course, progress
    from tests.quizzes.factories import make_question, make_quiz

    course, lessons = make_course(title="Strong passwords")
    progress(world.student, lessons[0], kind=ItemKind.LESSON)
    question = make_question("single", title="Password sharing")
    quiz = make_quiz(questions=[question], slug="pw-quiz")
    attempt = quiz_services.start_attempt(student=world.student, quiz=quiz)
    choice = question.choices.get(text="Right")
    quiz_services.save_answers(attempt_id=attempt.pk, student=world.student, answers={question.pk: choice.pk})
    assert Response.objects.get(attempt=attempt).answer == choice.pk
    Certificate.objects.create(student=world.student, course=course.page_ptr)
    Notification.objects.create(user=world.student, title="New assignment: Strong passwords")
    passwords.reset_student_password(actor=world.school_admin, student=world.student)
    return {"course": course, "question": question, "choice": choice, "attempt": attempt}


def test_the_export_carries_real_content_from_every_app(client, world, learning_history):
    zf, data, everything = _export(client, world.guardian, world.student)
    assert data["account"]["username"] == "s.one"
    answers = data["quiz_answers"]
    assert answers and answers[0]["question__title"] == "Password sharing"
    assert answers[0]["answer"] == learning_history["choice"].pk
    assert data["quiz_attempts"][0]["pk"] == learning_history["attempt"].pk
    assert {"progress.csv", "quiz_answers.csv", "certificates.csv", "notifications.csv", "audit_log.csv"} <= set(
        zf.namelist()
    )
    assert data["certificates"][0]["course__title"] == "Strong passwords"
    assert any(p["status"] == "completed" for p in data["progress"])
    assert data["notifications"][0]["title"] == "New assignment: Strong passwords"
    assert [e["action"] for e in data["audit_log"]] == ["student.password_reset"]
    assert data["guardian_links"][0]["guardian__username"] == "g.one"
    assert data["consents"][0]["notice_version"] == "test"
    assert "Password sharing" in everything


@pytest.fixture
def help_case(world):
    """w.student asked for help; a designated school admin replied and kept a note."""
    from notifications.models import Notification
    from safeguarding import services as sg
    from tests.safeguarding.factories import designate
    from tests.schools.factories import make_school_admin

    designated = make_school_admin(world.school, username="a.lead")
    designate(world.school, designated)
    report = sg.file_report(student=world.student, school=world.school, kind="threat", description=SECRET)
    sg.add_message(report=report, author=designated, body=REPLY)
    sg.add_note(report=report, author=designated, body=NOTE)
    assert Notification.objects.filter(user=world.student, kind="help_reply").exists()
    return {"report": report, "designated": designated}


def test_get_help_reports_never_reach_a_guardian_or_a_non_designated_admin(client, world, help_case):
    for viewer in (world.guardian, world.school_admin):
        _zf, data, everything = _export(client, viewer, world.student)
        assert SECRET not in everything and REPLY not in everything and NOTE not in everything, viewer
        assert not [k for k in data if k.startswith("help_")], viewer
        assert "safeguarding." not in json.dumps(data)  # not even the audit action names
        assert not [n for n in data["notifications"] if n["kind"] == "help_reply"]
    assert AuditEvent.objects.filter(action__startswith="safeguarding.", actor=world.student).exists()


def test_designated_staff_export_holds_the_report_and_replies_but_not_staff_notes(client, world, help_case):
    _zf, data, everything = _export(client, help_case["designated"], world.student)
    assert data["help_reports"][0]["description"] == SECRET
    assert [m["body"] for m in data["help_report_messages"]] == [REPLY]
    assert data["help_notifications"]
    assert any(e["action"] == "safeguarding.report_filed" for e in data["help_audit_log"])
    assert NOTE not in everything


def test_sign_ins_are_in_the_export_and_go_with_the_account(client, world):
    """The login limits' records (django-axes: by username, with the address and browser) are
    part of "everything NetWise holds" and are removed with the student."""
    from axes.models import AccessAttempt, AccessLog

    from schools.services import student_data

    student = world.student
    student.set_password("kettle-moon-river-paper")
    student.save()

    def sign_in(password):  # each from a browser of its own
        client.__class__().post(reverse("accounts:login"), {"username": student.username, "password": password})

    sign_in("kettle-moon-river-paper")
    sign_in("not-the-password")
    assert (
        AccessLog.objects.filter(username="s.one").exists() and AccessAttempt.objects.filter(username="s.one").exists()
    )
    _zf, data, _everything = _export(client, world.guardian, student)
    assert len(data["sign_ins"]) == 1 and data["sign_ins"][0]["ip_address"] == "127.0.0.1"
    assert data["recent_failed_sign_ins"][0]["failures_since_start"] == 1

    student_data.delete_student(actor=world.school_admin, student=student)
    assert not AccessLog.objects.filter(username="s.one").exists()
    assert not AccessAttempt.objects.filter(username="s.one").exists()
