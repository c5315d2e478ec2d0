"""Get help notices are said in the reader's language when read, not when sent (issue 13)."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify
from safeguarding import services as safeguarding_services

pytestmark = pytest.mark.django_db


def test_a_students_notice_follows_them_into_chinese(client, school, pupil, lead):
    report = safeguarding_services.file_report(student=pupil, school=school, kind="other", description="Help me")
    safeguarding_services.add_message(report=report, author=lead, body="We are here for you.")
    notice = Notification.objects.get(user=pupil)
    assert notice.title == "Someone at school replied to your report"  # as said when sent (English)

    pupil.language = "zh-hans"
    pupil.save(update_fields=["language"])
    client.force_login(pupil)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "学校老师回复了你的求助" in page
    assert "Someone at school replied" not in page


def test_a_plain_text_notice_is_shown_as_it_was_written(client, pupil):
    notify(user=pupil, kind="general", title="Welcome back, Li")
    pupil.language = "zh-hans"
    pupil.save(update_fields=["language"])
    client.force_login(pupil)
    assert "Welcome back, Li" in client.get(reverse("notifications:list")).content.decode()
