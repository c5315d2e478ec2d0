"""`make run` (DEBUG on) answers 404 with NetWise's page, never Django's URL map."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

NETWISE_404 = "We couldn&#x27;t find that page"


def _is_netwise_404(response):
    body = response.content.decode()
    return (
        response.status_code == 404
        and ("We couldn't find that page" in body or NETWISE_404 in body)
        and "URLconf" not in body
        and "Raised by" not in body
    )


def test_unknown_url_in_debug_renders_netwise_404_without_the_url_map(client, settings, student):
    settings.DEBUG = True
    for url in ("/no-such-page/", "/learning/nothing-here/", "/static/missing.css", "/media/certificates/1/x.png"):
        response = client.get(url)
        assert _is_netwise_404(response), url
    client.force_login(student)
    assert _is_netwise_404(client.get("/no-such-page/"))


def test_http404_from_a_view_in_debug_renders_netwise_404(client, settings, student):
    settings.DEBUG = True
    client.force_login(student)
    response = client.get(reverse("learning:certificate_png", args=[999999]))
    assert _is_netwise_404(response)


def test_append_slash_still_redirects_in_debug(client, settings, student):
    settings.DEBUG = True
    client.force_login(student)
    response = client.get("/learning/my")
    assert response.status_code == 301 and response["Location"] == "/learning/my/"


def test_debug_page_would_show_the_url_map_without_the_middleware(client, settings):
    """The test above can fail: without NotFoundPageMiddleware Django lists the routes."""
    settings.DEBUG = True
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "config.errors.NotFoundPageMiddleware"]
    body = client.get("/no-such-page/").content.decode()
    assert "URLconf" in body


def test_make_run_serves_static_through_whitenoise():
    from pathlib import Path

    source = (Path(__file__).resolve().parent.parent / "scripts" / "run_local.py").read_text()
    assert '"--nostatic"' in source
