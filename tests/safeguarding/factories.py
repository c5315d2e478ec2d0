"""Factories and image makers for safeguarding tests."""

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from safeguarding.models import Report, SafeguardingDesignation
from schools.models import SchoolMembership
from tests.accounts.factories import TeacherFactory
from tests.schools.factories import SchoolFactory, make_student


def make_teacher(school, **kwargs):
    teacher = TeacherFactory(**kwargs)
    SchoolMembership.objects.create(user=teacher, school=school, role=SchoolMembership.Role.TEACHER)
    return teacher


def designate(school, staff):
    return SafeguardingDesignation.objects.create(school=school, staff=staff)


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    school = factory.SubFactory(SchoolFactory)
    student = factory.LazyAttribute(lambda o: make_student(school=o.school))
    kind = Report.Kind.BULLYING
    description = "Someone keeps posting mean comments about me."


def image_bytes(fmt="PNG", size=(40, 30), color=(200, 30, 30), **save_kwargs) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, fmt, **save_kwargs)
    return buf.getvalue()


def upload(data: bytes, name="shot.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg_with_gps() -> bytes:
    """A JPEG whose EXIF carries GPS coordinates (the family home, say) and a camera model."""
    img = Image.new("RGB", (64, 48), (10, 120, 200))
    exif = Image.Exif()
    exif[0x0110] = "Phone X"  # Model
    gps = {1: "N", 2: (31.0, 14.0, 5.0), 3: "E", 4: (121.0, 28.0, 30.0)}
    exif[0x8825] = gps  # GPSInfo IFD
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    return buf.getvalue()


def matrix_case(w, *, attachment=False):
    """For tests/test_access_matrix.py: w.teacher is designated at w.school and w.student
    has filed a report there (w.other_teacher and w.school_admin are not designated)."""
    from django.core.files.base import ContentFile

    from safeguarding.models import Attachment, private_storage

    SafeguardingDesignation.objects.get_or_create(school=w.school, staff=w.teacher)
    report = ReportFactory(school=w.school, student=w.student)
    if not attachment:
        return {"pk": report.pk}
    # One fixed probe file, reused across runs, so the matrix leaves no litter behind.
    name = "safeguarding/matrix-probe.png"
    storage = private_storage()
    if not storage.exists(name):
        storage.save(name, ContentFile(image_bytes("PNG")))
    item = Attachment.objects.create(report=report, image=name, content_type="image/png", width=40, height=30)
    return {"pk": item.pk}
