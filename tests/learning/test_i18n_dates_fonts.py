"""Dates, chart labels, digest subjects and PDF exports in Simplified Chinese."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from learning.certificates import drawing
from learning.family_mail import digests
from learning.models import Export
from tests.learning.factories import assign, make_course, progress

pytestmark = pytest.mark.django_db

ENGLISH_MONTHS = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\b")


def test_a_zh_page_shows_chinese_dates_and_no_english_month_names(client, classroom, pupil, teacher):
    course, _lessons = make_course()
    due = datetime(2026, 11, 26, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assign(classroom, course, teacher=teacher, due_at=due)
    pupil.language = "zh-hans"
    pupil.save()
    client.force_login(pupil)
    html = client.get(reverse("learning:my_learning")).content.decode()
    assert "2026年11月26日" in html
    assert not ENGLISH_MONTHS.search(re.sub(r"<[^>]+>", " ", html)), ENGLISH_MONTHS.search(html)

    pupil.language = "en"
    pupil.save()
    html = client.get(reverse("learning:my_learning")).content.decode()
    assert "26 Nov 2026" in html  # English keeps its format


def test_chart_labels_and_the_digest_week_read_naturally_in_chinese():
    from learning.dashboards.charts import week_point

    day = datetime(2026, 11, 26).date()
    with translation.override("zh-hans"):
        assert week_point(day, 0)["label"] == "11月26日"  # the data table; the axis: tests/learning/test_charts.py
        assert digests.week_display("2026-W48") == "2026年第48周"
    with translation.override("en"):
        assert week_point(day, 0)["label"] == "26 Nov"
        assert digests.week_display("2026-W48") == "2026-W48"


def test_noto_cjk_is_found_for_certificates_and_exports():
    assert drawing.CJK_FONT.exists(), "install fonts-noto-cjk (scripts/ensure_fonts.sh)"
    assert drawing.CJK_FONT.name == "NotoSansCJK-Regular.ttc"


def test_pdf_export_prints_a_chinese_name(client, parent, pupil, django_capture_on_commit_callbacks):
    pupil.display_name = "小林"
    pupil.save()
    course, lessons = make_course()
    progress(pupil, lessons[0])
    client.force_login(parent)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("learning:export_request"), {"kind": "guardian", "scope_id": pupil.pk, "format": "pdf"})
    export = Export.objects.get()
    data = export.file.read()
    assert data[:4] == b"%PDF"
    assert b"NotoSansCJK" in data  # the CJK font is embedded (subset), not Helvetica's '?'
