"""Certificate downloads: the student, their class teachers, a linked and consented guardian,
the school admin; 404 for everyone else."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from learning.models import Certificate
from tests.learning.factories import make_course
from tests.schools.factories import link_guardian, make_student

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\nfake"
PDF = b"%PDF-1.4 fake"


@pytest.fixture
def cert(pupil):
    course, _ = make_course(title="Privacy basics")
    c = Certificate.objects.create(student=pupil, course=course.page_ptr)
    c.png.save("certificate.png", ContentFile(PNG), save=False)
    c.pdf.save("certificate.pdf", ContentFile(PDF), save=False)
    c.save()
    return c


def _body(response):
    return b"".join(response.streaming_content)


def test_student_downloads_own_png_and_pdf_and_sees_links(client, pupil, cert):
    client.force_login(pupil)
    png = client.get(reverse("learning:certificate_png", args=[cert.pk]))
    assert png.status_code == 200 and _body(png) == PNG and png["Content-Type"] == "image/png"
    assert "attachment" in png["Content-Disposition"]
    pdf = client.get(reverse("learning:certificate_pdf", args=[cert.pk]))
    assert pdf.status_code == 200 and _body(pdf) == PDF and pdf["Content-Type"] == "application/pdf"
    html = client.get(reverse("learning:my_learning")).content.decode()
    assert reverse("learning:certificate_png", args=[cert.pk]) in html
    assert reverse("learning:certificate_pdf", args=[cert.pk]) in html


def test_linked_guardian_downloads_and_sees_links(client, parent, cert):
    client.force_login(parent)
    assert _body(client.get(reverse("learning:certificate_pdf", args=[cert.pk]))) == PDF
    html = client.get(reverse("learning:guardian_home")).content.decode()
    assert reverse("learning:certificate_pdf", args=[cert.pk]) in html
    assert reverse("learning:certificate_png", args=[cert.pk]) in html


def test_class_teacher_and_school_admin_download(client, cert, teacher, head):
    for user in (teacher, head):
        client.force_login(user)
        assert _body(client.get(reverse("learning:certificate_png", args=[cert.pk]))) == PNG, user.role


def test_everyone_else_gets_404(client, cert, pupil, classroom, other_classroom):
    from tests.accounts.factories import EditorFactory

    pending = link_guardian(pupil, active=False)  # consent not given yet
    other_teacher = other_classroom.teachers.get()
    others = [make_student(classroom), link_guardian(make_student()), pending, other_teacher, EditorFactory()]
    for user in others:
        client.force_login(user)
        for name in ("learning:certificate_png", "learning:certificate_pdf"):
            assert client.get(reverse(name, args=[cert.pk])).status_code == 404, (user.role, name)


def test_not_yet_drawn_file_is_404(client, pupil):
    course, _ = make_course()
    blank = Certificate.objects.create(student=pupil, course=course.page_ptr)
    client.force_login(pupil)
    assert client.get(reverse("learning:certificate_png", args=[blank.pk])).status_code == 404
