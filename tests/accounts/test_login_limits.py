"""Issue 12, route 4: log-in attempts are limited per username across addresses as well as
per address, with a clear message; one client-address function for axes and the rest."""

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.urls import reverse

from accounts.client_ip import client_ip
from schools.audit import client_ip as audit_client_ip
from tests.accounts.factories import StudentFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def attempt(client, username, password="wrong-password", ip="10.0.0.9"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def authenticate_like_the_form(username, password, ip):
    """One log-in attempt without the HTTP round-trip: the authenticate() call the log-in form
    makes, through axes' backend and failure handler, so it counts exactly as a POST does.
    The status is what the page would answer: 429 when axes marks the request locked out (its
    middleware turns exactly that into the lock-out page), 302 on success, else 200."""
    request = RequestFactory().post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)
    user = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        return 429
    return 200 if user is None else 302


def test_a_spray_of_1000_attempts_over_200_usernames_from_one_address_is_locked_by_address(client, settings):
    victims = [StudentFactory(username=f"s.kid.{i}") for i in range(5)]
    limit = settings.NETWISE_LOGIN_FAILURE_LIMITS[2]
    # Real POSTs at the start, around the limit and at the end; the attempts in between go
    # through the same authenticate() call (1,000 round-trips cost most of this file's time).
    over_http = {*range(3), *range(limit - 3, limit + 3), *range(995, 1000)}
    statuses = []
    for round_ in range(5):
        for i in range(200):
            if len(statuses) in over_http:
                statuses.append(attempt(client, f"s.kid.{i}", "winter-2026", ip="203.0.113.7").status_code)
            else:
                statuses.append(authenticate_like_the_form(f"s.kid.{i}", "winter-2026", "203.0.113.7"))
    assert len(statuses) == 1000
    # Each username is tried only 5 times, but the address is stopped at its own limit.
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert set(statuses[limit:]) == {429}
    locked = attempt(client, victims[0].username, "netwise-demo", ip="203.0.113.7")
    assert locked.status_code == 429
    assert "To keep your account safe, please wait 15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # The same children from another address (their school) are not affected.
    assert attempt(client, victims[0].username, "netwise-demo", ip="198.51.100.1").status_code == 302


def test_many_addresses_against_one_username_are_locked_by_username(client, settings):
    kid = StudentFactory(username="s.wang.yu")
    limit = settings.NETWISE_LOGIN_FAILURE_LIMITS[1]
    for i in range(limit - 1):
        # One failure per address: the (username, address) limit never trips.
        assert attempt(client, kid.username, ip=f"192.0.2.{i + 1}").status_code == 200
    assert attempt(client, kid.username, ip="192.0.2.100").status_code == 429  # the limit-th
    locked = attempt(client, kid.username, "netwise-demo", ip="192.0.2.200")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_one_username_from_one_address_is_locked_after_five(client):
    kid = StudentFactory()
    for _ in range(5):
        attempt(client, kid.username)
    assert attempt(client, kid.username, "netwise-demo").status_code == 429


def test_a_successful_log_in_does_not_reset_the_address_count(client, settings):
    """An attacker with one real account must not clear the per-address count by logging in."""
    own = StudentFactory(username="s.attacker")
    limit = settings.NETWISE_LOGIN_FAILURE_LIMITS[2]
    for i in range(limit - 1):
        attempt(client, f"s.target.{i}", ip="203.0.113.9")
    assert attempt(client, own.username, "netwise-demo", ip="203.0.113.9").status_code == 302
    client.post(reverse("accounts:logout"))
    attempt(client, "s.target.x", ip="203.0.113.9")
    assert attempt(client, "s.target.y", ip="203.0.113.9").status_code == 429


def test_client_ip_ignores_forwarded_for_by_default(settings):
    settings.NETWISE_TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.1.1.1"


def test_client_ip_behind_trusted_proxies(settings):
    settings.NETWISE_TRUSTED_PROXY_COUNT = 1
    # The client forged "6.6.6.6"; our one proxy appended the address it really saw.
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4")
    assert client_ip(request) == "198.51.100.4"
    settings.NETWISE_TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4, 10.0.0.3")
    assert client_ip(request) == "198.51.100.4"
    # Fewer hops than trusted proxies, or garbage: REMOTE_ADDR.
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="nonsense")
    assert client_ip(request) == "10.0.0.2"


def test_axes_and_the_audit_log_use_the_same_address(settings):
    from axes.helpers import get_client_ip_address

    settings.NETWISE_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert get_client_ip_address(request) == audit_client_ip(request) == "198.51.100.4"


def test_axes_behind_a_proxy_locks_the_real_client_not_the_proxy(client, settings):
    settings.NETWISE_TRUSTED_PROXY_COUNT = 1
    kid = StudentFactory()
    for _ in range(5):
        client.post(
            LOGIN,
            {"username": kid.username, "password": "x-wrong-x"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="198.51.100.4",
        )
    blocked = client.post(
        LOGIN,
        {"username": kid.username, "password": "netwise-demo"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert blocked.status_code == 429
    other = client.post(
        LOGIN,
        {"username": kid.username, "password": "netwise-demo"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.5",
    )
    assert other.status_code == 302
