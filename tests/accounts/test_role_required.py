"""accounts.decorators.role_required: the one way a view names who may open it."""

import pytest
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from accounts.decorators import role_required
from accounts.roles import Role


@role_required(Role.TEACHER, Role.SCHOOL_ADMIN)
def staff_view(request):
    return HttpResponse("ok")


def _request(user):
    request = RequestFactory().get("/somewhere/")
    request.user = user
    return request


def test_a_listed_role_gets_the_view(teacher, school_admin):
    assert staff_view(_request(teacher)).content == b"ok"
    assert staff_view(_request(school_admin)).status_code == 200


@pytest.mark.parametrize("who", ["student", "guardian", "editor"])
def test_any_other_role_gets_404_never_403(request, who):
    with pytest.raises(Http404):
        staff_view(_request(request.getfixturevalue(who)))


def test_anonymous_visitors_are_sent_to_log_in():
    from django.contrib.auth.models import AnonymousUser

    response = staff_view(_request(AnonymousUser()))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_roles_must_be_role_members():
    with pytest.raises(TypeError):
        role_required("teacher")
