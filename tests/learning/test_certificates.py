import io
import logging
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from jobs.models import Job
from learning.certificates import drawing
from learning.certificates import services as certificates
from learning.models import Certificate
from notifications.models import Notification
from tests.learning.factories import make_course
from tests.schools.factories import make_student


def test_png_shows_a_chinese_name_with_a_cjk_font():
    assert drawing.has_cjk_font(), "install fonts-noto-cjk (scripts/ensure_chromium.sh)"
    f = drawing.font(40)

    def glyph(ch):
        im = Image.new("L", (60, 60))
        ImageDraw.Draw(im).text((5, 5), ch, font=f, fill=255)
        return im.tobytes()

    # With a font lacking CJK, both would be the same "missing glyph" box.
    assert glyph("张") != glyph("伟")
    assert any(glyph("张"))
    png = drawing.render_png(
        name="张伟", course_title="守护个人信息", school_name="河畔中学", issued_on=date(2026, 11, 25)
    )
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == drawing.SIZE
    assert len(image.getcolors(maxcolors=1_000_000)) > 2  # text was drawn


def test_pdf_wraps_the_png():
    png = drawing.render_png(name="Ann", course_title="Passwords", school_name="", issued_on=date.today())
    pdf = drawing.render_pdf(png)
    assert pdf.startswith(b"%PDF") and len(pdf) > len(png) / 2


def test_missing_cjk_font_falls_back_with_a_warning(monkeypatch, caplog):
    drawing.font.cache_clear()
    monkeypatch.setattr(drawing, "CJK_FONT", Path("/nonexistent/font.ttc"))
    monkeypatch.setattr(drawing, "CJK_BOLD_FONT", Path("/nonexistent/font.ttc"))
    try:
        with caplog.at_level(logging.WARNING, logger="netwise.learning.certificates"):
            png = drawing.render_png(name="Ann", course_title="X", school_name="S", issued_on=date.today())
        assert png.startswith(b"\x89PNG")
        assert "CJK font" in caplog.text
    finally:
        drawing.font.cache_clear()


@pytest.mark.django_db
def test_generated_once_and_regenerated_only_when_asked(classroom):
    student = make_student(classroom, display_name="李明")
    course, _ = make_course(title="Scams")
    cert = certificates.generate(student_id=student.pk, course_id=course.pk)
    assert cert.png.name.endswith(".png") and cert.pdf.name.endswith(".pdf")
    first_png = cert.png.name
    with cert.png.open("rb") as fh:
        assert fh.read(4) == b"\x89PNG"
    again = certificates.generate(student_id=student.pk, course_id=course.pk)
    assert again.png.name == first_png  # not drawn again
    forced = certificates.generate(student_id=student.pk, course_id=course.pk, force=True)
    assert forced.pk == cert.pk and forced.issued_at == cert.issued_at
    assert Certificate.objects.filter(student=student, course=course).count() == 1
    notices = Notification.objects.filter(user=student, kind=Notification.Kind.CERTIFICATE)
    assert notices.count() == 1  # "ready" said once


@pytest.mark.django_db
def test_requested_through_the_outbox_once(classroom, django_capture_on_commit_callbacks):
    student = make_student(classroom)
    course, _ = make_course()
    with django_capture_on_commit_callbacks(execute=True):
        job = certificates.request_certificate(student=student, course=course)
        again = certificates.request_certificate(student=student, course=course)
    assert job.pk == again.pk
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    cert = Certificate.objects.get(student=student, course=course)
    assert cert.png and cert.pdf


@pytest.mark.django_db
def test_course_completion_receiver_queues_the_certificate(classroom, django_capture_on_commit_callbacks):
    student = make_student(classroom)
    course, _ = make_course()
    with django_capture_on_commit_callbacks(execute=True):
        certificates.on_course_completed(sender=None, student=student, course=course)
    assert Certificate.objects.filter(student=student, course=course).exclude(png="").exists()
