"""Due dates: a date already past is refused with a clear error (every student would be
overdue at once); headers show the year whenever it is not this year."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from learning.models import Assignment
from learning.templatetags.learning_tags import due_date
from tests.learning.factories import assign

pytestmark = pytest.mark.django_db


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_a_due_date_in_the_past_is_refused_with_a_form_error(client, teacher, classroom, course_and_lessons):
    course, _ = course_and_lessons
    client.force_login(teacher)
    url = reverse("learning:assignment_create", args=[classroom.pk])
    yesterday = _local(timezone.now() - timedelta(days=1))
    response = client.post(url, {"item": course.pk, "due_at": yesterday})
    assert response.status_code == 200
    assert "That date has already passed" in response.content.decode()
    assert not Assignment.objects.exists()
    tomorrow = _local(timezone.now() + timedelta(days=1))
    assert client.post(url, {"item": course.pk, "due_at": tomorrow}).status_code == 302


def test_editing_keeps_an_unchanged_past_date_but_refuses_a_new_one(client, teacher, classroom, course_and_lessons):
    course, _ = course_and_lessons
    past = (timezone.now() - timedelta(days=3)).replace(second=0, microsecond=0)
    assignment = assign(classroom, course, teacher=teacher, due_at=past)
    client.force_login(teacher)
    url = reverse("learning:assignment_edit", args=[assignment.pk])
    assert client.post(url, {"due_at": _local(past), "note": "Bring headphones"}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.note == "Bring headphones" and assignment.due_at == past
    response = client.post(url, {"due_at": _local(past - timedelta(days=1)), "note": ""})
    assert response.status_code == 200 and "That date has already passed" in response.content.decode()


@freeze_time("2026-06-15 12:00")
def test_due_date_headers_show_the_year_only_when_it_is_not_this_year():
    tz = timezone.get_current_timezone()
    assert due_date(datetime(2026, 9, 10, 9, 0, tzinfo=tz)) == "10 Sep"
    assert due_date(datetime(2027, 1, 10, 9, 0, tzinfo=tz)) == "10 Jan 2027"
    assert due_date(datetime(2025, 12, 1, 9, 0, tzinfo=tz)) == "1 Dec 2025"
    assert due_date(None) == ""


# The column headers as the class dashboard's template loop wrote them before the one-pass tag.
TEMPLATE_HEADER = (
    '{% load i18n wagtailcore_tags learning_tags %}{% for a in assignments %}<th scope="col">'
    '<a href="{% pageurl a.item %}">{{ a.item.title }}</a><br><span class="muted">'
    '{{ a.get_item_kind_display }}{% if a.due_at %} · {% trans "due" %} '
    "<time datetime=\"{{ a.due_at|date:'c' }}\">{{ a.due_at|due_date }}</time>{% endif %}</span>"
    '{% if can_assign %}<br><a class="no-print" href="{% url \'learning:assignment_edit\' a.pk %}">'
    '{% trans "Edit" %}<span class="visually-hidden"> {{ a.item.title }}</span></a>{% endif %}</th>{% endfor %}'
)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("can_assign", [True, False])
def test_the_one_pass_column_headers_say_what_the_template_loop_said(
    rf, teacher, classroom, course_and_lessons, language, can_assign
):
    from django.template import Context, Template
    from django.utils import translation

    from learning.templatetags.learning_tags import matrix_header

    course, lessons = course_and_lessons
    lessons[0].title = 'Tom & "Jerry" <online>'
    lessons[0].save_revision().publish()
    assign(classroom, course, teacher=teacher, due_at=timezone.now() + timedelta(days=400))
    assign(classroom, lessons[0].specific, teacher=teacher, due_at=None)
    assign(classroom, lessons[1].specific, teacher=teacher, due_at=timezone.now() + timedelta(days=3))
    assignments = list(Assignment.objects.order_by("pk"))
    request = rf.get("/")
    with translation.override(language):
        context = {"assignments": assignments, "can_assign": can_assign, "request": request}
        expected = Template(TEMPLATE_HEADER).render(Context(context))
        got = matrix_header(Context(context), assignments, can_assign)
    assert got == expected
    assert "Tom &amp; &quot;Jerry&quot; &lt;online&gt;" in got and ("/edit/" in got) is can_assign
