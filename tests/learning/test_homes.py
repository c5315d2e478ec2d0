"""Issue 14: each role's home says what to do today; the parent's PDF reads as a report."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from learning.dashboards.selectors import FAILS_BEFORE_HELP
from learning.exports import family_report
from learning.family_mail import nudges
from learning.models import Assignment, Export, StudyTime
from notifications.models import DeliveryLog, EmailPreference, Notification
from safeguarding import services as safeguarding_services
from safeguarding.models import HelpContact, Report, ReportMessage
from tests.learning.factories import add_quiz, answer_quiz, assign, make_course, read
from tests.safeguarding.factories import ReportFactory, designate, make_teacher
from tests.schools.factories import ClassroomFactory, link_guardian, make_student

pytestmark = pytest.mark.django_db

PAST = timedelta(days=2)


def _class_of(classroom, n):
    return [make_student(classroom, display_name=f"Student {i:02d}") for i in range(n)]


# --- teacher ------------------------------------------------------------------------


@pytest.mark.parametrize("size", [10, 40])
def test_teacher_home_queries_do_not_grow(client, teacher, classroom, size, django_assert_max_num_queries):
    students = _class_of(classroom, size)
    other = ClassroomFactory(teachers=[teacher], school=classroom.school)
    _class_of(other, size)
    for c in (classroom, other):
        course, lessons = make_course()
        assign(c, course, teacher=teacher, due_at=timezone.now() - PAST)
        assign(c, lessons[0], teacher=teacher, due_at=timezone.now() + timedelta(days=3))
    read(students[0], lessons[0])
    client.force_login(teacher)
    with django_assert_max_num_queries(16):
        html = client.get(reverse("home")).content.decode()
    assert "Who is behind" in html and "Due this week" in html


def test_teacher_home_lists_who_is_behind_and_needs_help(client, teacher, classroom):
    late, stuck, fine = (make_student(classroom, display_name=n) for n in ("Late Lu", "Stuck Su", "Fine Fu"))
    course, lessons = make_course()
    quiz = add_quiz(course)
    assign(classroom, lessons[0], teacher=teacher, due_at=timezone.now() - PAST)
    assign(classroom, quiz, teacher=teacher)
    read(stuck, lessons[0])
    read(fine, lessons[0])
    answer_quiz(stuck, quiz, right=False, times=FAILS_BEFORE_HELP)
    client.force_login(teacher)
    html = client.get(reverse("learning:teacher_home")).content.decode()
    section = html.split('data-testid="behind-list"')[1].split("</ul>")[0]
    assert "Late Lu" in section and "Stuck Su" in section and "needs help" in section
    assert "Fine Fu" not in section
    assert reverse("learning:assignment_nudge", args=[_overdue_pk(classroom), "students"]) in html


def test_who_is_behind_lists_the_first_ten_and_everyone_who_needs_help_then_the_rest_one_tap_away(
    client, teacher, classroom
):
    course, lessons = make_course()
    quiz = add_quiz(course)
    assign(classroom, lessons[0], teacher=teacher, due_at=timezone.now() - PAST)
    assign(classroom, quiz, teacher=teacher)
    late = [make_student(classroom, display_name=f"Late {i:02d}") for i in range(14)]
    stuck = make_student(classroom, display_name="Zara Stuck")  # sorts last by name, first by need
    read(stuck, lessons[0])
    answer_quiz(stuck, quiz, right=False, times=FAILS_BEFORE_HELP)
    client.force_login(teacher)
    html = client.get(reverse("learning:teacher_home")).content.decode()
    shown = html.split('data-testid="behind-list"')[1].split("</ul>")[0]
    more = html.split('data-testid="behind-more"')[1].split("</details>")[0]
    assert shown.count("<li>") == 10 and more.count("<li>") == 5
    assert "Zara Stuck" in shown and "Show 5 more students" in more
    assert all((s.get_display_name() in shown) != (s.get_display_name() in more) for s in late)  # once each
    # Everyone who needs help is listed in full, however many.
    for s in late[:11]:
        answer_quiz(s, quiz, right=False, times=FAILS_BEFORE_HELP)
    html = client.get(reverse("learning:teacher_home")).content.decode()
    shown = html.split('data-testid="behind-list"')[1].split("</ul>")[0]
    assert shown.count("needs help") == 12 and "Show 3 more students" in html
    # In Chinese, each row reads with Chinese punctuation (the name's colon, the separators).
    client.cookies["django_language"] = "zh-hans"
    html = client.get(reverse("learning:teacher_home")).content.decode()
    row = html.split('data-testid="behind-list"')[1].split("</li>")[0]
    assert "：1项已逾期" in row and "；" in row and "再显示 3 名学生" in html


def _overdue_pk(classroom):
    return Assignment.objects.filter(classroom=classroom, due_at__lt=timezone.now()).get().pk


def test_urgent_help_report_is_a_banner_for_designated_staff_only(client, teacher, classroom):
    pupil = make_student(classroom)
    report = ReportFactory(school=classroom.school, student=pupil, urgent=True)
    client.force_login(teacher)
    assert 'data-testid="urgent-help"' not in client.get(reverse("home")).content.decode()
    designate(classroom.school, teacher)
    html = client.get(reverse("home")).content.decode()
    banner = html.split('data-testid="urgent-help"')[1].split("</section>")[0]
    assert reverse("safeguarding:case_detail", args=[report.pk]) in banner
    assert "Came in" in banner
    assert report.description not in html and pupil.get_display_name() not in banner


def test_remind_students_tells_unfinished_students_once_a_day(client, teacher, classroom):
    done, late = make_student(classroom), make_student(classroom)
    course, lessons = make_course()
    a = assign(classroom, lessons[0], teacher=teacher, due_at=timezone.now() - PAST)
    read(done, lessons[0])
    client.force_login(teacher)
    url = reverse("learning:assignment_nudge", args=[a.pk, "students"])
    r = client.post(url, follow=True)
    assert "Reminded 1 student." in r.content.decode()
    assert Notification.objects.filter(user=late, kind="due_soon").count() == 1
    assert not Notification.objects.filter(user=done, kind="due_soon").exists()
    r = client.post(url, follow=True)
    assert "Nobody new to remind" in r.content.decode()
    assert Notification.objects.filter(user=late, kind="due_soon").count() == 1


def test_remind_students_notice_is_in_the_students_language(teacher, classroom):
    late = make_student(classroom, language="zh-hans")
    course, lessons = make_course()
    a = assign(classroom, lessons[0], teacher=teacher, due_at=timezone.now() - PAST)
    assert nudges.remind_students(assignment=a) == 1
    notice = Notification.objects.get(user=late)
    with translation.override("zh-hans"):
        assert "请完成" in notice.display_title
    with translation.override("en"):
        assert notice.display_title.startswith("Please finish")


def test_tell_families_only_opted_in_guardians_once_a_day(client, teacher, classroom, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    late, late2 = make_student(classroom, display_name="Li Na"), make_student(classroom)
    keen = link_guardian(late)
    keen.email = "keen@example.org"
    keen.save()
    EmailPreference.objects.create(user=keen, due_reminders=True)
    quiet = link_guardian(late2)  # did not choose due-date reminders
    course, lessons = make_course()
    a = assign(classroom, lessons[0], teacher=teacher, due_at=timezone.now() - PAST)
    client.force_login(teacher)
    url = reverse("learning:assignment_nudge", args=[a.pk, "families"])
    assert "Told 1 family." in client.post(url, follow=True).content.decode()
    assert Notification.objects.filter(user=keen).count() == 1
    assert not Notification.objects.filter(user=quiet).exists()
    assert len(mail.outbox) == 1 and "Li Na" in mail.outbox[0].subject
    client.post(url)
    assert len(mail.outbox) == 1 and Notification.objects.filter(user=keen).count() == 1
    assert DeliveryLog.objects.filter(key__startswith=f"nudge:families:email:{a.pk}:").count() == 1


def test_nudge_refuses_another_teachers_assignment_and_not_overdue_work(client, teacher, classroom, other_classroom):
    make_student(other_classroom)
    course, lessons = make_course()
    theirs = assign(other_classroom, lessons[0], due_at=timezone.now() - PAST)
    client.force_login(teacher)
    assert client.post(reverse("learning:assignment_nudge", args=[theirs.pk, "students"])).status_code == 404
    mine = assign(classroom, lessons[0], teacher=teacher, due_at=timezone.now() + PAST)
    make_student(classroom)
    assert client.post(reverse("learning:assignment_nudge", args=[mine.pk, "bogus"])).status_code == 404
    assert client.get(reverse("learning:assignment_nudge", args=[mine.pk, "students"])).status_code == 405
    client.post(reverse("learning:assignment_nudge", args=[mine.pk, "students"]))
    assert not Notification.objects.filter(kind="due_soon").exists()


# --- student ------------------------------------------------------------------------


@pytest.mark.parametrize("size", [10, 40])
def test_student_home_fixed_queries_progress_and_reply(client, teacher, classroom, size, django_assert_max_num_queries):
    students = _class_of(classroom, size)
    me = students[0]
    courses = [make_course() for _ in range(2)]
    for course, _lessons in courses:
        assign(classroom, course, teacher=teacher, due_at=timezone.now() + timedelta(days=2))
    for lesson in courses[0][1]:
        read(me, lesson)
    report = ReportFactory(school=classroom.school, student=me)
    ReportMessage.objects.create(report=report, author=teacher, body="We are here: secret words")
    client.force_login(me)
    with django_assert_max_num_queries(17):
        html = client.get(reverse("home")).content.decode()
    assert "You have finished 1 of the 2 courses" in html
    reply = html.split('data-testid="help-reply"')[1].split("</p>")[0]
    assert reverse("safeguarding:report_detail", args=[report.pk]) in reply
    assert "secret words" not in html


def test_next_assignment_goes_to_the_first_unfinished_step(client, teacher, classroom, django_assert_max_num_queries):
    """The "My next assignment" link (where a quiz result sends the student on): the most urgent
    unfinished assignment, for a course its first lesson not yet read; else My learning."""
    student = make_student(classroom)
    client.force_login(student)
    url = reverse("learning:next_step")
    assert client.get(url)["Location"] == reverse("learning:my_learning")  # nothing assigned
    course, lessons = make_course(lessons=3)
    other, other_lessons = make_course(lessons=1)
    assign(classroom, other_lessons[0], teacher=teacher)  # no due date: after the dated course
    assign(classroom, course, teacher=teacher, due_at=timezone.now() + timedelta(days=3))
    read(student, lessons[0])
    # 7: nothing for My learning's other parts (certificates, open courses): 10 while it built
    # the whole page to read this one link.
    with django_assert_max_num_queries(7):
        response = client.get(url)
    assert response["Location"] == lessons[1].url
    for lesson in lessons[1:]:
        read(student, lesson)
    assert client.get(url)["Location"] == other_lessons[0].url
    read(student, other_lessons[0])
    assert client.get(url)["Location"] == reverse("learning:my_learning")  # all done


def test_student_reply_notice_goes_once_they_answer(client, teacher, classroom):
    me = make_student(classroom)
    report = ReportFactory(school=classroom.school, student=me)
    ReportMessage.objects.create(report=report, author=teacher, body="Reply")
    client.force_login(me)
    assert 'data-testid="help-reply"' in client.get(reverse("home")).content.decode()
    ReportMessage.objects.create(report=report, author=me, body="Thanks")
    assert 'data-testid="help-reply"' not in client.get(reverse("home")).content.decode()


def test_student_reply_notice_goes_once_they_have_read_it(client, teacher, classroom):
    # A child who read "We can talk at break" need not write back for the home page to stop
    # saying they have a reply, nor for the reply's notice to stay unread; a later reply brings
    # the home's notice back; staff opening the case is not the child reading it.
    me = make_student(classroom)
    designate(classroom.school, teacher)
    report = ReportFactory(school=classroom.school, student=me)
    safeguarding_services.add_message(report=report, author=teacher, body="We can talk at break.")
    notice = Notification.objects.get(user=me, kind=Notification.Kind.HELP_REPLY)
    client.force_login(teacher)
    assert client.get(reverse("safeguarding:case_detail", args=[report.pk])).status_code == 200
    client.force_login(me)
    assert 'data-testid="help-reply"' in client.get(reverse("home")).content.decode()
    assert client.get(reverse("safeguarding:report_detail", args=[report.pk])).status_code == 200
    assert 'data-testid="help-reply"' not in client.get(reverse("home")).content.decode()
    notice.refresh_from_db()
    assert notice.read_at is not None  # the menu's unread count goes down with it
    seen = Report.objects.get(pk=report.pk).student_seen_at
    later = safeguarding_services.add_message(report=report, author=teacher, body="And one more thing.")
    ReportMessage.objects.filter(pk=later.pk).update(created=seen + timedelta(minutes=5))
    assert 'data-testid="help-reply"' in client.get(reverse("home")).content.decode()


# --- guardian -----------------------------------------------------------------------


@pytest.mark.parametrize("size", [10, 40])
def test_guardian_home_line_per_child(client, teacher, classroom, size, django_assert_max_num_queries):
    students = _class_of(classroom, size)
    li_na, brother = students[0], students[1]
    li_na.display_name = "Li Na"
    li_na.save()
    parent = link_guardian(li_na)
    link_guardian(brother, parent)
    course, lessons = make_course()
    quiz = add_quiz(course)
    assign(classroom, lessons[0], teacher=teacher, due_at=timezone.now() - PAST)
    assign(classroom, quiz, teacher=teacher, due_at=timezone.now() + timedelta(days=2))
    read(brother, lessons[0])
    for extra in range(4):  # many finished courses: still three prompts
        c, ls = make_course()
        for lesson in ls:
            read(li_na, lesson)
    HelpContact.objects.create(school=classroom.school, name="School office", phone="021-5555")
    client.force_login(parent)
    # 17 (19 before the guardian page stopped reading what only the student's own page shows:
    # the open courses, the next lesson and every progress row's page).
    with django_assert_max_num_queries(17):
        html = client.get(reverse("home")).content.decode()
    glance = html.split('data-testid="children-glance"')[1].split("</section>")[0]
    assert "Li Na</a>: 1 assignment overdue, next due" in glance and "1 assignment overdue" in glance
    day = (timezone.localdate() + timedelta(days=2)).strftime("%A")
    assert f"next due {day}" in glance and "last active today" in glance
    assert "nothing overdue" in glance  # the brother finished the lesson
    assert classroom.school.name in glance and "School office" in glance and "021-5555" in glance
    assert html.count("Try together:") == 3


def test_guardian_home_without_school_contact_says_ask_the_teacher(client, parent, pupil):
    client.force_login(parent)
    assert "ask your child's teacher" in client.get(reverse("home")).content.decode()


# --- school admin -------------------------------------------------------------------


@pytest.mark.parametrize("size", [10, 40])
def test_school_home_glance(client, teacher, classroom, head, size, django_assert_max_num_queries):
    students = _class_of(classroom, size)
    ahead = ClassroomFactory(teachers=[teacher], school=classroom.school, name="Ahead 8A", grade=8)
    keen = _class_of(ahead, 2)
    course, lessons = make_course()
    assign(classroom, lessons[0], teacher=teacher)
    assign(ahead, lessons[0], teacher=teacher)
    read(students[0], lessons[0])
    for s in keen:
        read(s, lessons[0])
    ReportFactory(school=classroom.school, student=students[1], urgent=True, description="Private words")
    ReportFactory(school=classroom.school, student=students[2])
    ReportFactory(school=classroom.school, student=students[3], status=Report.Status.CLOSED, closed_at=timezone.now())
    designate(classroom.school, head)  # the live counts are for designated staff (next test: the others)
    client.force_login(head)
    with django_assert_max_num_queries(16):
        html = client.get(reverse("home")).content.decode()
    counts = html.split('data-testid="case-counts"')[1].split("</section>")[0]
    assert "2 open cases" in counts and "1 urgent and open" in counts and "1 closed this term" in counts
    assert "Private words" not in html and students[1].get_display_name() not in html
    behind = html.split('data-testid="behind-classes"')[1].split("</ul>")[0]
    assert classroom.name in behind and "Ahead 8A" not in behind
    assert "Grade 8" in html and reverse("learning:school_overview") in html


def test_a_school_admin_not_designated_sees_who_reads_reports_and_late_ones_never_live_counts(
    client, teacher, classroom, head
):
    """Live counts ("1 urgent and open") could be matched to a child seen upset that morning."""
    pupils = _class_of(classroom, 3)
    lead = make_teacher(classroom.school, display_name="Ms Lead")
    designate(classroom.school, lead)
    ReportFactory(school=classroom.school, student=pupils[0], urgent=True)
    old = ReportFactory(school=classroom.school, student=pupils[1])
    Report.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=3))
    client.force_login(head)
    html = client.get(reverse("home")).content.decode()
    part = html.split('data-testid="case-counts"')[1].split("</section>")[0]
    assert "open case" not in part and "urgent" not in part and "closed this term" not in part
    assert "Ms Lead" in part
    assert "1 report has waited more than 2 days for a first answer." in part
    Report.objects.filter(pk=old.pk).update(status=Report.Status.IN_PROGRESS)
    part = client.get(reverse("home")).content.decode().split('data-testid="case-counts"')[1].split("</section>")[0]
    assert "waited more than" not in part


def test_a_school_admin_is_warned_when_nobody_reads_reports(client, classroom, head):
    client.force_login(head)
    part = client.get(reverse("home")).content.decode().split('data-testid="case-counts"')[1].split("</section>")[0]
    assert "Nobody is designated to read students" in part
    assert reverse("safeguarding:designations") in part


# --- the parent PDF -----------------------------------------------------------------


def _pdf_texts(monkeypatch):
    """Every string the PDF writer lays out (fpdf's input, before it is encoded)."""
    from fpdf import FPDF

    seen = []
    real_cell, real_multi = FPDF.cell, FPDF.multi_cell

    def cell(self, w=None, h=None, text="", *args, **kwargs):
        seen.append(str(text))
        return real_cell(self, w, h, text, *args, **kwargs)

    def multi_cell(self, w, h=None, text="", *args, **kwargs):
        seen.append(str(text))
        return real_multi(self, w, h, text, *args, **kwargs)

    monkeypatch.setattr(FPDF, "cell", cell)
    monkeypatch.setattr(FPDF, "multi_cell", multi_cell)
    return seen


def _child_with_history(classroom, teacher):
    child = make_student(classroom, display_name="Li Na")
    course, lessons = make_course(title="Passwords")
    quiz = add_quiz(course)
    read(child, lessons[0])
    answer_quiz(child, quiz, right=True)
    StudyTime.objects.create(student=child, day=timezone.localdate(), seconds=25 * 60)
    return child


def test_parent_pdf_reads_as_a_report(client, teacher, classroom, monkeypatch, django_capture_on_commit_callbacks):
    child = _child_with_history(classroom, teacher)
    parent = link_guardian(child)
    texts = _pdf_texts(monkeypatch)
    client.force_login(parent)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("learning:export_request"), {"kind": "guardian", "scope_id": child.pk, "format": "pdf"})
    export = Export.objects.get()
    assert export.status == Export.Status.DONE and export.file.read(4) == b"%PDF"
    joined = "\n".join(texts)
    assert "Learning report for Li Na" in joined
    assert classroom.school.name in joined and classroom.name in joined
    assert "Passwords" in joined and "25 minutes" in joined
    assert "of the answers right, passed" in joined
    assert "Which apps know where you are?" in joined
    for header in ("score_percent", "completed_at", "minutes\n", "item", "kind"):
        assert header not in texts


@pytest.mark.parametrize("language,header,kind", [("en", "Score (%)", "Quiz"), ("zh-hans", "得分（%）", "测验")])
def test_parent_csv_has_headings_in_words_in_the_parents_language(
    client, teacher, classroom, django_capture_on_commit_callbacks, language, header, kind
):
    import csv
    import io

    child = _child_with_history(classroom, teacher)
    parent = link_guardian(child)
    parent.language = language
    parent.save(update_fields=["language"])
    client.force_login(parent)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("learning:export_request"), {"kind": "guardian", "scope_id": child.pk, "format": "csv"})
    export = Export.objects.get()
    rows = list(csv.reader(io.StringIO(export.file.read().decode("utf-8-sig"))))
    assert header in rows[0] and "score_percent" not in rows[0] and "completed_at" not in rows[0]
    assert any(kind in row for row in rows[1:])


def test_parent_pdf_in_chinese_for_a_chinese_reading_parent(
    client, teacher, classroom, monkeypatch, django_capture_on_commit_callbacks
):
    child = _child_with_history(classroom, teacher)
    parent = link_guardian(child)
    parent.language = "zh-hans"
    parent.save()
    texts = _pdf_texts(monkeypatch)
    client.force_login(parent)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("learning:export_request"), {"kind": "guardian", "scope_id": child.pk, "format": "pdf"})
    assert Export.objects.get().status == Export.Status.DONE
    joined = "\n".join(texts)
    assert "Li Na" in joined
    assert "学习报告" in joined and "课程" in joined
    assert not any("_" in t and t.islower() and " " not in t for t in texts)


@translation.override("en")
def test_minutes_in_words():
    assert family_report.minutes_in_words(0) == "no time recorded"
    assert family_report.minutes_in_words(30) == "less than a minute"
    assert family_report.minutes_in_words(25 * 60) == "25 minutes"
    assert family_report.minutes_in_words(150 * 60) == "2 h 30 min"


def test_homes_speak_chinese(client, teacher, classroom, head):
    """Every home renders in 简体中文 with its new headings translated (no template error)."""
    li_na = make_student(classroom, display_name="Li Na", language="zh-hans")
    parent = link_guardian(li_na)
    course, lessons = make_course()
    assign(classroom, lessons[0], teacher=teacher, due_at=timezone.now() - PAST)
    designate(classroom.school, teacher)
    designate(classroom.school, head)
    ReportFactory(school=classroom.school, student=li_na, urgent=True)
    for user, words in (
        (teacher, ("谁落后了", "提醒学生", "有1条紧急求助等待处理")),
        (li_na, ("目前进度",)),
        (parent, ("本周一览", "Li Na</a>：1项学习任务已逾期，")),
        (head, ("今日学校概况", "1个紧急个案未处理完")),
    ):
        user.language = "zh-hans"
        user.save()
        client.force_login(user)
        html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        for word in words:
            assert word in html, (user.role, word)
