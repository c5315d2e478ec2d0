"""Certificates and exports never sit in the public MEDIA_ROOT: no /media/ URL reaches them,
even with `make run`'s DEBUG media route; only the access-checked views serve them."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils import timezone

from learning.files import move_public_files_to_private
from learning.models import Certificate, Export
from tests.accounts.factories import TeacherFactory
from tests.learning.factories import make_course
from tests.schools.factories import ClassroomFactory, make_student

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\nprivate"


@pytest.fixture
def cert(pupil):
    course, _ = make_course()
    c = Certificate.objects.create(student=pupil, course=course.page_ptr)
    c.png.save("certificate.png", ContentFile(PNG), save=False)
    c.pdf.save("certificate.pdf", ContentFile(b"%PDF-1.4 private"), save=False)
    c.save()
    return c


def _inside(path, root):
    return Path(path).resolve().is_relative_to(Path(root).resolve())


def test_certificate_and_export_files_are_stored_outside_media_root(settings, cert, teacher, classroom):
    export = Export.objects.create(requested_by=teacher, kind="class", scope_id=classroom.pk, format="csv")
    export.file.save("x.csv", ContentFile(b"class\n"))
    for f in (cert.png, cert.pdf, export.file):
        assert _inside(f.path, settings.PRIVATE_MEDIA_ROOT)
        assert not _inside(f.path, settings.MEDIA_ROOT)
    assert not _inside(settings.PRIVATE_MEDIA_ROOT, settings.MEDIA_ROOT)
    with pytest.raises(ValueError):
        cert.png.url  # noqa: B018  (no public address exists)


@pytest.mark.urls("tests.learning.debug_media_urls")
def test_media_paths_never_reach_a_certificate_even_with_the_debug_media_route(
    client, settings, cert, pupil, classroom
):
    # The route really serves MEDIA_ROOT (a public cover image), so the 404s below mean something.
    FileSystemStorage(location=settings.MEDIA_ROOT).save("original_images/cover.png", ContentFile(b"cover"))
    assert client.get("/media/original_images/cover.png").status_code == 200
    guesses = [f"/media/{cert.png.name}", f"/media/{cert.pdf.name}", f"/media/certificates/{pupil.pk}/"]
    another = make_student(classroom)
    for user in (None, another, pupil):
        client.logout()
        if user:
            client.force_login(user)
        for url in guesses:
            assert client.get(url).status_code == 404, (user, url)


def test_certificate_url_logged_out_and_guessed_by_another_student(client, cert, pupil, classroom):
    url = reverse("learning:certificate_png", args=[cert.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(make_student(classroom))
    assert client.get(url).status_code == 404
    client.force_login(pupil)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG


def test_export_token_used_by_another_teacher_or_after_losing_the_class_is_404(client, teacher, classroom):
    export = Export.objects.create(
        requested_by=teacher,
        kind="class",
        scope_id=classroom.pk,
        format="csv",
        status="done",
        expires_at=timezone.now() + timedelta(minutes=10),
    )
    export.file.save("x.csv", ContentFile(b"class\n"))
    url = reverse("learning:export_download", args=[export.token])
    # A teacher of the same school with a class of their own: the token is not theirs.
    stranger = ClassroomFactory(school=classroom.school, teachers=[TeacherFactory()]).teachers.get()
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert client.get(reverse("learning:export_status", args=[export.token])).status_code == 404
    client.force_login(teacher)
    assert client.get(url).status_code == 200
    classroom.teachers.remove(teacher)
    assert client.get(url).status_code == 404


def test_existing_public_files_are_moved_into_private_storage(settings, pupil, teacher, classroom):
    public = FileSystemStorage(location=settings.MEDIA_ROOT)
    course, _ = make_course()
    name = f"certificates/{pupil.pk}/certificate-{course.pk}.png"
    public.save(name, ContentFile(PNG))
    cert = Certificate.objects.create(student=pupil, course=course.page_ptr, png=name)
    export = Export.objects.create(requested_by=teacher, kind="class", scope_id=classroom.pk, format="csv")
    Export.objects.filter(pk=export.pk).update(file=public.save(f"exports/{export.token}/x.csv", ContentFile(b"a\n")))

    assert move_public_files_to_private(Certificate, Export, public=public) == 2
    assert move_public_files_to_private(Certificate, Export, public=public) == 0  # idempotent
    cert.refresh_from_db()
    export.refresh_from_db()
    assert not public.exists(name) and not public.exists(export.file.name)
    assert cert.png.read() == PNG and export.file.read() == b"a\n"
    assert not (Path(settings.MEDIA_ROOT) / "certificates").exists()
