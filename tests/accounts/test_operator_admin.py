"""The Django admin (/django-admin/) is the operators' (superusers'): its lists name children,
their guardians and Get help activity in full, and its third-party pages (groups, the login
attempt logs, Wagtail's images and documents) name students or hand out permissions. A member
of staff given every permission still reaches none of its pages (accounts/admin_site.py)."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from notifications.models import Notification
from safeguarding.models import SafeguardingDesignation
from schools.models import AuditEvent
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

OURS = {"accounts", "notifications", "jobs", "schools", "safeguarding", "districts", "learning", "quizzes", "courses"}
OUR_MODELS = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry if model._meta.app_label in OURS
)


EVERY_MODEL = sorted((model._meta.app_label, model._meta.model_name) for model in admin.site._registry)


@pytest.fixture
def staff_with_every_permission(db):
    user = UserFactory(username="staff-all-perms", is_staff=True)
    user.user_permissions.set(Permission.objects.all())
    return user


@pytest.fixture
def operator(db):
    return UserFactory(username="operator", is_staff=True, is_superuser=True)


def test_every_netwise_model_is_registered_here():
    assert ("schools", "auditevent") in OUR_MODELS
    assert ("notifications", "notification") in OUR_MODELS
    assert len(OUR_MODELS) >= 15


def test_third_party_models_are_registered_here_too():
    assert {("auth", "group"), ("axes", "accessattempt"), ("wagtailimages", "image")} <= set(EVERY_MODEL)


@pytest.mark.parametrize(("app_label", "model_name"), EVERY_MODEL)
def test_staff_with_every_permission_are_refused(client, staff_with_every_permission, app_label, model_name):
    """Every list, NetWise's and third-party ones alike: to the admin's sign-in page."""
    client.force_login(staff_with_every_permission)
    for url in (reverse(f"admin:{app_label}_{model_name}_changelist"), reverse(f"admin:{app_label}_{model_name}_add")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login")), url


def test_staff_see_no_admin_index(client, staff_with_every_permission):
    client.force_login(staff_with_every_permission)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    page = client.get(response["Location"]).content.decode()
    assert "/django-admin/schools/" not in page and "/django-admin/auth/" not in page


def test_a_staff_member_cannot_give_themselves_a_group(client, staff_with_every_permission):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="Reviewers of tests")
    client.force_login(staff_with_every_permission)
    url = reverse("admin:auth_group_change", args=[group.pk])
    response = client.post(
        url, {"name": "Operators", "permissions": list(Permission.objects.values_list("pk", flat=True))}
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    group.refresh_from_db()
    assert group.name == "Reviewers of tests" and not group.permissions.exists()


@pytest.mark.parametrize(("app_label", "model_name"), EVERY_MODEL)
def test_operators_use_every_list(client, operator, app_label, model_name):
    client.force_login(operator)
    assert client.get(reverse(f"admin:{app_label}_{model_name}_changelist")).status_code == 200


@pytest.mark.parametrize("model", [AuditEvent, Notification, SafeguardingDesignation])
def test_records_with_their_own_audited_path_are_read_only_even_for_operators(rf, operator, model):
    request = rf.get("/")
    request.user = operator
    model_admin = admin.site._registry[model]
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
