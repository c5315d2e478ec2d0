"""Failed jobs, retries and other people's jobs are for operators (superusers) only. Editors
are `is_staff` (the Wagtail admin needs it), so `is_staff` alone opens none of it."""

import pytest
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse

from jobs.models import Job
from jobs.wagtail_hooks import register_failed_jobs_menu_item
from tests.accounts.factories import TeacherFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed_job(teacher):
    return Job.objects.create(
        task_name="tests.jobs.record",
        args=[1],
        status="failed",
        requested_by=teacher,
        last_error="SMTPRecipientsRefused: parent@example.com",
    )


@pytest.fixture
def operator(db):
    return UserFactory(username="operator", is_staff=True, is_superuser=True)


def test_an_editor_gets_404_on_the_failed_jobs_page_and_retry(client, editor, failed_job):
    client.force_login(editor)
    response = client.get(reverse("jobs:failed"))
    assert response.status_code == 404
    assert "parent@example.com" not in response.content.decode()
    assert client.post(reverse("jobs:retry", args=[failed_job.pk])).status_code == 404
    failed_job.refresh_from_db()
    assert failed_job.status == Job.Status.FAILED and failed_job.dispatches == 0


def test_an_editor_gets_404_on_someone_elses_job(client, editor, failed_job):
    client.force_login(editor)
    assert client.get(reverse("jobs:detail", args=[failed_job.pk])).status_code == 404


def test_a_staff_member_who_is_not_a_superuser_gets_404_everywhere(client, failed_job):
    client.force_login(TeacherFactory(is_staff=True))
    assert client.get(reverse("jobs:failed")).status_code == 404
    assert client.get(reverse("jobs:detail", args=[failed_job.pk])).status_code == 404
    assert client.post(reverse("jobs:retry", args=[failed_job.pk])).status_code == 404


def test_an_operator_sees_failed_jobs_and_any_job(client, operator, failed_job):
    client.force_login(operator)
    html = client.get(reverse("jobs:failed")).content.decode()
    assert "parent@example.com" in html
    assert client.get(reverse("jobs:detail", args=[failed_job.pk])).status_code == 200


def test_the_requester_still_sees_their_own_job(client, teacher, failed_job):
    client.force_login(teacher)
    assert client.get(reverse("jobs:detail", args=[failed_job.pk])).status_code == 200


def test_the_failed_jobs_menu_item_is_shown_to_operators_only(editor, operator):
    item = register_failed_jobs_menu_item()
    request = RequestFactory().get("/admin/")
    request.user = editor
    assert not item.is_shown(request)
    request.user = operator
    assert item.is_shown(request)


def test_the_job_admin_is_closed_to_staff_even_with_a_job_permission(client, failed_job):
    """The admin's "try again" action needs no more than the view permission, so a group
    given jobs.view_job would reach every error and retry: the admin is operators' only."""
    staff = TeacherFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(content_type__app_label="jobs", codename="view_job"))
    client.force_login(staff)
    changelist = reverse("admin:jobs_job_changelist")
    login = reverse("admin:login")
    # Every page of the Django admin sends anyone but an operator to its sign-in (accounts/admin_site.py).
    assert client.get(changelist)["Location"].startswith(login)
    assert client.get(reverse("admin:jobs_job_change", args=[failed_job.pk]))["Location"].startswith(login)
    response = client.post(changelist, {"action": "retry_jobs", "_selected_action": [failed_job.pk]})
    assert response.status_code == 302 and response["Location"].startswith(login)
    failed_job.refresh_from_db()
    assert failed_job.status == Job.Status.FAILED


def test_an_operator_uses_the_job_admin(client, operator, failed_job):
    client.force_login(operator)
    response = client.get(reverse("admin:jobs_job_changelist") + "?status=failed")
    assert response.status_code == 200
    assert "tests.jobs.record" in response.content.decode()
