import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_login_with_right_password_goes_home(client, student):
    response = client.post(
        reverse("accounts:login"),
        {"username": student.username, "password": "netwise-demo"},
    )
    assert response.status_code == 302
    assert response.url == reverse("home")
    home = client.get(reverse("home"))
    assert student.get_display_name() in home.content.decode()


def test_wrong_password_and_unknown_user_get_the_same_message(client, student):
    """The form never tells whether a username exists."""
    wrong = client.post(
        reverse("accounts:login"),
        {"username": student.username, "password": "nope-nope-nope"},
    )
    unknown = client.post(
        reverse("accounts:login"),
        {"username": "no-such-person", "password": "nope-nope-nope"},
    )
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()


def test_repeated_failures_lock_the_login_with_a_clear_message(client, student):
    url = reverse("accounts:login")
    for _ in range(5):
        client.post(
            url,
            {"username": student.username, "password": "wrong-password"},
            REMOTE_ADDR="10.0.0.9",
        )
    locked = client.post(
        url,
        {"username": student.username, "password": "netwise-demo"},
        REMOTE_ADDR="10.0.0.9",
    )
    assert locked.status_code == 429
    assert "Too many log-in attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_post_and_ends_the_session(client, student):
    client.force_login(student)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_keeps_this_session_and_hashes_with_argon2(client, student, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    client.force_login(student)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "netwise-demo",
            "new_password1": "kettle-moon-river-paper",
            "new_password2": "kettle-moon-river-paper",
        },
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.password.startswith("argon2")
    assert client.get(reverse("home")).context["user"] == student


def test_password_change_rejects_short_passwords(client, student):
    client.force_login(student)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "netwise-demo",
            "new_password1": "abc12",
            "new_password2": "abc12",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors


def test_first_hasher_in_settings_is_argon2():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_users_can_exist_without_email():
    user = User.objects.create_user(username="no-email-kid", password="long-enough-pass")
    assert user.email == ""
