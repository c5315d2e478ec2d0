"""Break reminders: a gentle nudge after a stretch of continuous use, once per stretch."""

import pytest
from django.urls import reverse

from safeguarding import healthy_use
from safeguarding.models import SchoolBreakSetting

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self, monkeypatch, start=1_700_000_000):
        self.now = start
        monkeypatch.setattr(healthy_use.time, "time", lambda: self.now)

    def advance(self, minutes):
        self.now += int(minutes * 60)


def _banner(response):
    return [m for m in response.context["messages"] if "break-banner" in m.tags] if response.context else []


def test_tips_come_from_the_screen_time_module():
    tips = healthy_use.break_tips()
    assert "Drink a glass of water before you carry on." in tips
    assert len(tips) >= 5


def test_a_chinese_reader_gets_the_tips_in_chinese(client, pupil):
    tips = healthy_use.break_tips("zh-hans")
    assert "喝一杯水再接着用。" in tips and len(tips) == len(healthy_use.break_tips())
    assert healthy_use.break_tips("fr") == healthy_use.break_tips()  # no translation: English
    pupil.language = "zh-hans"
    pupil.save(update_fields=["language"])
    client.force_login(pupil)
    response = client.get(reverse("safeguarding:break"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.context["tip"] in tips


def test_banner_appears_after_the_stretch_and_only_once(client, pupil, monkeypatch):
    clock = Clock(monkeypatch)
    client.force_login(pupil)
    home = reverse("safeguarding:my_reports")
    for _ in range(5):  # continuous use: a page every 6 minutes
        response = client.get(home)
        assert not _banner(response)
        clock.advance(6)
    response = client.get(home)  # 30 minutes in
    banner = _banner(response)
    assert len(banner) == 1
    html = response.content.decode()
    assert reverse("safeguarding:break") in html and "Take a break" in html
    clock.advance(2)
    assert not _banner(client.get(home))


def test_an_idle_gap_starts_a_new_stretch(client, pupil, monkeypatch):
    clock = Clock(monkeypatch)
    client.force_login(pupil)
    url = reverse("safeguarding:my_reports")
    client.get(url)
    clock.advance(25)
    client.get(url)
    clock.advance(15)  # away longer than the idle limit: that was a break
    assert not _banner(client.get(url))
    clock.advance(9)
    assert not _banner(client.get(url))


def test_school_can_change_the_interval(client, school, pupil, monkeypatch):
    SchoolBreakSetting.objects.create(school=school, break_after_minutes=10)
    clock = Clock(monkeypatch)
    client.force_login(pupil)
    url = reverse("safeguarding:my_reports")
    client.get(url)
    clock.advance(5)
    client.get(url)
    clock.advance(5)
    assert _banner(client.get(url))


def test_school_can_switch_reminders_off(client, school, pupil, monkeypatch):
    SchoolBreakSetting.objects.create(school=school, break_after_minutes=0)
    clock = Clock(monkeypatch)
    client.force_login(pupil)
    url = reverse("safeguarding:my_reports")
    for _ in range(10):
        assert not _banner(client.get(url))
        clock.advance(9)
    assert client.get(reverse("safeguarding:break_status")).json() == {"enabled": False}


def test_break_page_works_without_js_and_coming_back_restarts(client, pupil, monkeypatch):
    clock = Clock(monkeypatch)
    client.force_login(pupil)
    url = reverse("safeguarding:my_reports")
    client.get(url)
    clock.advance(9)
    client.get(url)
    response = client.get(reverse("safeguarding:break"))
    assert response.status_code == 200
    assert response.context["tip"] in healthy_use.break_tips()
    response = client.post(reverse("safeguarding:break"), {"next": url})
    assert response["Location"] == url
    clock.advance(9)
    status = client.get(reverse("safeguarding:break_status")).json()
    assert status["enabled"] and status["seconds_left"] == 21 * 60


def test_break_page_refuses_to_redirect_offsite(client, pupil):
    client.force_login(pupil)
    response = client.post(reverse("safeguarding:break"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_status_counts_down_for_break_js(client, pupil, monkeypatch):
    clock = Clock(monkeypatch)
    client.force_login(pupil)
    client.get(reverse("safeguarding:my_reports"))
    clock.advance(12)
    data = client.get(reverse("safeguarding:break_status")).json()
    assert data["enabled"] and data["seconds_left"] == 18 * 60
    assert data["tip"] in healthy_use.break_tips()
    assert data["break_url"] == reverse("safeguarding:break")


def test_reminders_are_for_students_only(client, lead, monkeypatch):
    clock = Clock(monkeypatch)
    client.force_login(lead)
    for _ in range(8):
        assert not _banner(client.get(reverse("safeguarding:case_list")))
        clock.advance(5)
    assert client.get(reverse("safeguarding:break_status")).json() == {"enabled": False}
