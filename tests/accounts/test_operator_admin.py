"""The Django admin (/django-admin/) is the operators' (superusers'): its lists name children,
their guardians and Get help activity in full. A member of staff given every model permission
by a group still reaches none of NetWise's pages there."""

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


@pytest.fixture
def staff_with_every_permission(db):
    user = UserFactory(username="staff-all-perms", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=OURS))
    return user


@pytest.fixture
def operator(db):
    return UserFactory(username="operator", is_staff=True, is_superuser=True)


def test_every_netwise_model_is_registered_here():
    assert ("schools", "auditevent") in OUR_MODELS
    assert ("notifications", "notification") in OUR_MODELS
    assert len(OUR_MODELS) >= 15


@pytest.mark.parametrize(("app_label", "model_name"), OUR_MODELS)
def test_staff_with_model_permissions_are_refused(client, staff_with_every_permission, app_label, model_name):
    client.force_login(staff_with_every_permission)
    assert client.get(reverse(f"admin:{app_label}_{model_name}_changelist")).status_code == 403


def test_staff_see_no_netwise_section_on_the_admin_index(client, staff_with_every_permission):
    client.force_login(staff_with_every_permission)
    page = client.get(reverse("admin:index")).content.decode()
    assert "/django-admin/schools/" not in page
    assert "/django-admin/notifications/" not in page


@pytest.mark.parametrize(("app_label", "model_name"), OUR_MODELS)
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
