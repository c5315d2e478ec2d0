"""Pages that show a secret once (a first-time password, a guardian link code) tell browsers
and proxies to keep no copy: the back button or a shared computer's cache must not show it
again."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


def assert_not_stored(response):
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


def test_the_password_reset_page_is_not_cached(client, world):
    client.force_login(world.school_admin)
    response = client.post(reverse("schools:student_reset_password", args=[world.student.pk]))
    assert response.context["password"]
    assert_not_stored(response)


def test_the_guardian_link_code_letter_is_not_cached(client, world):
    client.force_login(world.teacher)
    response = client.post(reverse("schools:student_link_code", args=[world.student.pk]))
    assert response.context["link_code"].code
    assert_not_stored(response)


def test_the_roster_credentials_sheet_is_not_cached(client, world):
    client.force_login(world.teacher)
    roster = SimpleUploadedFile("roster.csv", b"name,username,grade\nNew Pupil,n.pupil,7\n", content_type="text/csv")
    response = client.post(reverse("schools:roster_import", args=[world.classroom.pk]), {"file": roster})
    assert response.context["credentials"]
    assert_not_stored(response)


def test_the_invited_teachers_first_password_is_not_cached(client, world):
    client.force_login(world.school_admin)
    response = client.post(
        reverse("schools:teacher_invite"), {"display_name": "Ms Qiu", "username": "t.qiu", "email": ""}
    )
    assert response.context["password"]
    assert_not_stored(response)
