import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_landing_page_for_visitors_has_lang_skip_link_and_login(client):
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert 'href="#main-content"' in html
    assert reverse("accounts:login") in html


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_sees_its_own_home(client, role):
    user = UserFactory(role=role, display_name=f"Person {role}")
    client.force_login(user)
    html = client.get("/").content.decode()
    assert f"Person {role}" in html
    assert str(Role(role).label) in html


def test_chinese_interface_is_served_when_chosen(client):
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert 'lang="zh-hans"' in html
    assert "登录" in html


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "find that page" in response.content.decode()


def test_pages_send_a_strict_content_security_policy(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
