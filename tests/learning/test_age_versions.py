"""Teachers choose an age version when assigning (issue 17): the form, and what students then see."""

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.assignments.age_versions import age_version_for, version_for_grade
from learning.models import AgeVersion, Assignment
from tests.learning.factories import assign
from tests.schools.factories import make_student

YOUNGER, OLDER = "Blue Tigers", "ban phones in secondary schools"


@pytest.fixture
def lesson(versioned_lessons):
    return versioned_lessons["disagree-well"]


def _seen(client, student, lesson):
    client.force_login(student)
    return client.get(lesson.url).content.decode()


def test_grade_rule():
    assert [version_for_grade(g) for g in (None, 1, 6, 7, 12)] == [None, "younger", "younger", "older", "older"]


def test_an_older_assignment_of_the_course_makes_a_grade_4_student_see_the_older_version(
    client, classroom, teacher, lesson
):
    pupil = make_student(classroom, grade=4)
    assert YOUNGER in _seen(client, pupil, lesson)
    assignment = assign(classroom, lesson.course, teacher=teacher)
    assert YOUNGER in _seen(client, pupil, lesson)  # "by grade" changes nothing
    assignment.age_version = AgeVersion.OLDER
    assignment.save()
    html = _seen(client, pupil, lesson)
    assert OLDER in html and YOUNGER not in html


def test_the_lessons_own_assignment_wins_over_the_courses_and_withdrawn_or_others_do_not_count(
    classroom, other_classroom, teacher, lesson
):
    pupil = make_student(classroom, grade=8)
    course_wide = assign(classroom, lesson.course, teacher=teacher)
    Assignment.objects.filter(pk=course_wide.pk).update(age_version="older")
    own = assign(classroom, lesson, teacher=teacher)
    Assignment.objects.filter(pk=own.pk).update(age_version="younger")
    assert age_version_for(student=pupil, lesson=lesson, course=lesson.course) == "younger"
    Assignment.objects.filter(pk=own.pk).update(withdrawn_at=timezone.now())
    assert age_version_for(student=pupil, lesson=lesson, course=lesson.course) == "older"
    Assignment.objects.filter(pk=course_wide.pk).update(withdrawn_at=timezone.now())
    elsewhere = assign(other_classroom, lesson)  # another class's choice is not this student's
    Assignment.objects.filter(pk=elsewhere.pk).update(age_version="younger")
    assert age_version_for(student=pupil, lesson=lesson, course=lesson.course) == "older"  # by grade 8
    other_pupil = make_student(classroom, grade=8)
    only_them = assign(classroom, lesson, teacher=teacher, students=[other_pupil])
    Assignment.objects.filter(pk=only_them.pk).update(age_version="younger")
    assert age_version_for(student=pupil, lesson=lesson, course=lesson.course) == "older"
    assert age_version_for(student=other_pupil, lesson=lesson, course=lesson.course) == "younger"


def test_the_assign_form_offers_the_choice_lists_versioned_lessons_and_saves_it(client, teacher, classroom, lesson):
    client.force_login(teacher)
    url = reverse("learning:assignment_create", args=[classroom.pk])
    html = client.get(url).content.decode()
    assert "<legend>Which version of lessons with age versions</legend>" in html
    assert 'name="age_version" value="" ' in html and "checked" in html.split('value="younger"')[0]
    assert "Digital citizenship and civilised conduct: Disagree well" in html
    assert "Group-chat manners" in html and "Same me online" not in html.split("<legend>")[1]
    teacher.language = "zh-hans"
    teacher.save(update_fields=["language"])
    listed = client.get(url).content.decode().split("<legend>")[1].split("</ul>")[0]
    items = [item.split("</li>")[0] for item in listed.split("<li>")[1:]]
    assert items and all("：" in item and ": " not in item for item in items)  # 课程：课时
    teacher.language = "en"
    teacher.save(update_fields=["language"])
    response = client.post(url, {"item": lesson.course.pk, "age_version": "older"})
    assert response.status_code == 302
    assignment = classroom.assignments.get()
    assert assignment.age_version == "older"
    edit = reverse("learning:assignment_edit", args=[assignment.pk])
    assert 'value="older" checked' in client.get(edit).content.decode().replace(' id="id_age_version_2"', "")
    client.post(edit, {"note": "changed", "age_version": ""})
    assignment.refresh_from_db()
    assert assignment.age_version == "" and assignment.note == "changed"


def test_a_forged_version_is_refused(client, teacher, classroom, lesson):
    client.force_login(teacher)
    url = reverse("learning:assignment_create", args=[classroom.pk])
    response = client.post(url, {"item": lesson.pk, "age_version": "adult"})
    assert response.status_code == 200
    assert not classroom.assignments.exists()
    assert "Select a valid choice" in response.content.decode()
