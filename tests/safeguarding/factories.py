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
