"""Stored notices are said in the reader's language when they are read (issue 13): a student
who switches to 简体中文 reads last week's notices in Chinese, dates as Chinese readers write
them, and a course title in its Chinese version."""

from datetime import UTC, datetime

from django.utils import translation

from notifications.text import in_languages, joined, moment, render, text
from safeguarding.models import Report


def test_a_message_is_said_in_the_active_language():
    message = text("Your report is now: %(status)s", status=Report.Status.CLOSED.label)
    with translation.override("en"):
        assert render(message) == "Your report is now: Closed"
    with translation.override("zh-hans"):
        assert render(message) == "你的求助当前状态：已关闭"


def test_values_per_language_fall_back_to_english():
    title = in_languages({"en": "Passwords", "zh-hans": "密码"})
    with translation.override("zh-hans"):
        assert render(title) == "密码"
    with translation.override("en"):
        assert render(title) == "Passwords"
    with translation.override("zh-hans"):
        assert render(in_languages(en="Passwords")) == "Passwords"


def test_a_moment_is_written_as_the_readers_language_writes_dates(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    when = moment(datetime(2026, 11, 26, 8, 30, tzinfo=UTC))
    with translation.override("zh-hans"):
        assert "2026年11月26日" in render(when)
    with translation.override("en"):
        said = render(when)
        assert "2026" in said and "年" not in said


def test_sentences_are_joined_and_empty_ones_left_out():
    body = joined(text("Open the case to read it and reply."), 0, text("%(n)d case(s) are still open.", n=2))
    with translation.override("en"):
        assert render(body) == "Open the case to read it and reply. 2 case(s) are still open."


def test_a_translation_that_lost_its_placeholder_still_says_the_notice(monkeypatch):
    monkeypatch.setattr("notifications.text.gettext", lambda msgid: "坏了的翻译 %(missing)s")
    assert render(text("Hello %(name)s", name="Li")) == "Hello Li"
