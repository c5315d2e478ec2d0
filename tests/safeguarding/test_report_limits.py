"""The humane limit on new "Get help" reports: per student, per rolling hour and day,
counted from the database; the form and the hotlines are never lost; replies are not limited."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from safeguarding import services
from safeguarding.models import Attachment, Report, ReportMessage
from schools.models import AuditEvent
from tests.safeguarding.factories import ReportFactory, image_bytes, upload
from tests.schools.factories import make_student

pytestmark = pytest.mark.django_db

TYPED = "A boy in my class keeps sending me scary messages at night."


@pytest.fixture(autouse=True)
def _limits(settings):
    # The shipped defaults, pinned so a change to base.py does not silently change these tests.
    settings.SAFEGUARDING_REPORTS_PER_HOUR = 5
    settings.SAFEGUARDING_REPORTS_PER_DAY = 20


@pytest.fixture
def contacts(school):
    services.ensure_default_contacts(school)


def _reports(student, school, n, *, age=timedelta(0)):
    made = ReportFactory.create_batch(n, school=school, student=student)
    if age:
        Report.objects.filter(pk__in=[r.pk for r in made]).update(created=timezone.now() - age)
    return made


def _post(client, school, headers=None, **extra):
    data = {"school": school.pk, "kind": "threat", "description": TYPED}
    data.update(extra)
    return client.post(reverse("safeguarding:new_report"), data, headers=headers)


def test_at_the_hourly_limit_the_next_report_is_refused_and_nothing_is_stored(
    client, school, pupil, lead, contacts, tmp_path
):
    _reports(pupil, school, 5)
    client.force_login(pupil)
    response = _post(client, school)
    assert response.status_code == 429
    assert Report.objects.filter(student=pupil).count() == 5
    assert not Attachment.objects.exists()
    assert not Notification.objects.filter(user=lead).exists()
    html = response.content.decode()
    # The kind message, the words the student typed, and every hotline are all on the page.
    assert "You have sent several reports recently" in html
    assert "will see the reports you already sent" in html
    assert "If you are in danger now" in html
    assert TYPED in html
    assert response.context["form"]["description"].value() == TYPED
    assert "urgent reports still go through" in html  # only the hourly limit is reached
    for number in ("110", "12355", "12377", "96110"):
        assert f"tel:{number}" in html
    # The refusal is audited for the school, with no words from the report.
    event = AuditEvent.objects.get(action="safeguarding.report_limited")
    assert event.actor == pupil and event.school == school
    assert event.details["hour"] == 5 and event.details["urgent"] is False
    assert "scary" not in str(event.details) + event.target_label


def test_one_below_the_limit_the_report_is_sent(client, school, pupil, lead):
    _reports(pupil, school, 4)
    client.force_login(pupil)
    response = _post(client, school)
    assert response.status_code == 302
    assert Report.objects.filter(student=pupil).count() == 5
    assert Notification.objects.filter(user=lead).count() == 1


def test_at_the_daily_limit_the_next_report_is_refused(client, school, pupil, lead):
    # Twenty reports spread over the day, none in the last hour.
    _reports(pupil, school, 10, age=timedelta(hours=3))
    _reports(pupil, school, 10, age=timedelta(hours=23))
    client.force_login(pupil)
    response = _post(client, school)
    assert response.status_code == 429
    assert Report.objects.filter(student=pupil).count() == 20
    assert not Notification.objects.filter(user=lead).exists()


def test_reports_older_than_an_hour_do_not_count_towards_the_hourly_limit(client, school, pupil):
    _reports(pupil, school, 5, age=timedelta(minutes=61))
    client.force_login(pupil)
    assert _post(client, school).status_code == 302
    assert Report.objects.filter(student=pupil).count() == 6


def test_reports_older_than_a_day_do_not_count_towards_the_daily_limit(client, school, pupil):
    _reports(pupil, school, 25, age=timedelta(hours=25))
    client.force_login(pupil)
    assert _post(client, school).status_code == 302
    assert Report.objects.filter(student=pupil).count() == 26


def test_the_limit_is_per_student(client, school, pupil, lead):
    _reports(pupil, school, 5)
    classmate = make_student(school=school, username="pupil-b")
    client.force_login(classmate)
    response = _post(client, school)
    assert response.status_code == 302
    assert Report.objects.filter(student=classmate).count() == 1
    assert not AuditEvent.objects.filter(action="safeguarding.report_limited").exists()


def test_limits_follow_the_settings(client, school, pupil, settings):
    settings.SAFEGUARDING_REPORTS_PER_HOUR = 2
    client.force_login(pupil)
    assert _post(client, school).status_code == 302
    assert _post(client, school).status_code == 302
    assert _post(client, school).status_code == 429
    assert Report.objects.filter(student=pupil).count() == 2


def test_a_refused_report_with_screenshots_stores_no_file_and_says_to_add_them_again(client, school, pupil, settings):
    _reports(pupil, school, 5)
    client.force_login(pupil)
    response = _post(client, school, screenshots=[upload(image_bytes("PNG"))])
    assert response.status_code == 429
    assert not Attachment.objects.exists()
    private = settings.SAFEGUARDING_PRIVATE_ROOT
    assert not private.exists() or not any(p.is_file() for p in private.rglob("*"))
    assert "Screenshots cannot be kept" in response.content.decode()


def test_the_page_warns_up_front_at_the_limit_but_keeps_the_form_and_hotlines(client, school, pupil, contacts):
    client.force_login(pupil)
    html = client.get(reverse("safeguarding:new_report")).content.decode()
    assert "several reports recently" not in html
    _reports(pupil, school, 5)
    response = client.get(reverse("safeguarding:new_report"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "you cannot send a new one just now" in html
    assert "If you are in danger now" in html
    assert 'name="description"' in html
    assert "tel:110" in html and "tel:12355" in html


def test_the_message_is_translated_for_a_chinese_speaking_student(client, school, pupil, contacts):
    _reports(pupil, school, 5)
    pupil.language = "zh-hans"
    pupil.save()
    client.force_login(pupil)
    response = _post(client, school, headers={"accept-language": "zh-hans"})
    html = response.content.decode()
    assert response.status_code == 429
    assert "你最近已经发送了好几条求助" in html
    assert "如果你现在有危险" in html
    assert TYPED in html


def test_replies_in_an_existing_case_are_not_limited(client, school, pupil, lead):
    """Staff replies, and the student's own replies, go through whatever the report count."""
    reports = _reports(pupil, school, 20, age=timedelta(minutes=30))
    case = reports[0]
    client.force_login(lead)
    url = reverse("safeguarding:case_reply", args=[case.pk])
    for i in range(3):
        assert client.post(url, {"body": f"Staff reply {i}"}).status_code == 302
    client.force_login(pupil)
    url = reverse("safeguarding:report_detail", args=[case.pk])
    for i in range(40):
        assert client.post(url, {"body": f"Student reply {i}"}).status_code == 302
    assert ReportMessage.objects.filter(report=case, author=lead).count() == 3
    assert ReportMessage.objects.filter(report=case, author=pupil).count() == 40
    assert not AuditEvent.objects.filter(action="safeguarding.report_limited").exists()


def test_the_service_refuses_too_and_counts_in_one_query(school, pupil, django_assert_num_queries):
    _reports(pupil, school, 5)
    with django_assert_num_queries(1):
        assert services.recent_report_counts(pupil) == (5, 5)
    with pytest.raises(services.ReportLimitReached):
        services.file_report(student=pupil, school=school, kind="other", description=TYPED)
    assert Report.objects.filter(student=pupil).count() == 5


def test_an_urgent_report_goes_through_the_hourly_limit(client, school, pupil, lead):
    _reports(pupil, school, 5)
    client.force_login(pupil)
    response = _post(client, school, urgent="on")
    assert response.status_code == 302
    assert Report.objects.filter(student=pupil, urgent=True).count() == 1
    assert Notification.objects.get(user=lead).title.startswith("Urgent")


def test_an_urgent_report_is_held_at_the_daily_limit_and_keeps_its_tick(client, school, pupil, lead):
    _reports(pupil, school, 20, age=timedelta(hours=3))
    client.force_login(pupil)
    response = _post(client, school, urgent="on")
    assert response.status_code == 429
    assert response.context["form"]["urgent"].value()
    assert "urgent reports still go through" not in response.content.decode()
    assert Report.objects.filter(student=pupil).count() == 20
    assert not Notification.objects.filter(user=lead).exists()


def test_the_limit_is_checked_before_any_screenshot_is_opened(client, school, pupil, monkeypatch):
    from safeguarding import uploads

    def forbidden(*args, **kwargs):
        raise AssertionError("a screenshot was processed for a refused report")

    monkeypatch.setattr(uploads, "clean_image", forbidden)
    _reports(pupil, school, 5)
    client.force_login(pupil)
    response = _post(client, school, screenshots=[upload(image_bytes("PNG"))])
    assert response.status_code == 429
    html = response.content.decode()
    assert TYPED in html and "Screenshots cannot be kept" in html
    assert AuditEvent.objects.filter(action="safeguarding.report_limited").count() == 1


def test_a_20000_pixel_screenshot_is_refused_and_the_words_are_kept(client, school, pupil, lead):
    import io as _io

    from PIL import Image

    buf = _io.BytesIO()
    Image.new("1", (20000, 20000)).save(buf, "PNG")
    client.force_login(pupil)
    response = _post(client, school, screenshots=[upload(buf.getvalue(), "huge.png")])
    assert response.status_code == 200
    html = response.content.decode()
    assert "is too big" in html and TYPED in html
    assert not Report.objects.filter(student=pupil).exists()
