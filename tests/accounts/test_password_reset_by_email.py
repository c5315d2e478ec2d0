"""Parents and carers choose a new password through an e-mailed link; students and staff are
reset by their school, so the form sends them nothing (and never says whether an address exists)."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.forms import RESETS_PER_HOUR
from tests.accounts.factories import GuardianFactory, StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db

NEW = "otter-quilt-maple-41"


@pytest.fixture(autouse=True)
def _fresh_limit():
    cache.clear()


def _ask(client, email):
    return client.post(reverse("accounts:password_reset"), {"email": email})


def test_the_login_page_leads_parents_to_the_reset(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:password_reset") in page


def test_a_parent_gets_a_link_chooses_a_password_and_logs_in(client):
    parent = GuardianFactory(email="mum@example.org")
    response = _ask(client, "MUM@example.org")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_sent")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["mum@example.org"]
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == reverse("accounts:password_reset_complete")
    parent.refresh_from_db()
    assert parent.check_password(NEW)
    # The link works once.
    again = client.get(link, follow=True).content.decode()
    assert "This link no longer works" in again
    assert Client().post(reverse("accounts:login"), {"username": parent.username, "password": NEW}).status_code == 302


@pytest.mark.parametrize("factory", [StudentFactory, TeacherFactory])
def test_students_and_staff_are_sent_nothing_and_the_page_is_the_same(client, factory):
    factory(email="someone@example.org")
    response = _ask(client, "someone@example.org")
    assert response["Location"] == reverse("accounts:password_reset_sent")
    assert mail.outbox == []


def test_an_unknown_address_reads_the_same_page(client):
    response = _ask(client, "nobody@example.org")
    assert response["Location"] == reverse("accounts:password_reset_sent")
    page = client.get(response["Location"]).content.decode()
    assert "If that address belongs to a parent" in page and mail.outbox == []


def test_one_address_is_sent_a_few_links_an_hour_at_most(client):
    GuardianFactory(email="dad@example.org")
    for _ in range(RESETS_PER_HOUR + 2):
        assert _ask(client, "dad@example.org").status_code == 302
    assert len(mail.outbox) == RESETS_PER_HOUR
