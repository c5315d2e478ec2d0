"""The one send-once mail loop every background mailer uses (digests, reminders, invitations)."""

import smtplib

import pytest
from django.core.mail import EmailMessage

from notifications import mail
from notifications.models import DeliveryLog


class FlakyConnection:
    """Refuses mail to addresses in `refuse`; records what it sent."""

    def __init__(self, refuse=()):
        self.refuse, self.sent, self.opened = set(refuse), [], 0

    def open(self):
        self.opened += 1

    def close(self):
        pass

    def send_messages(self, messages):
        for m in messages:
            if m.to[0] in self.refuse:
                raise smtplib.SMTPRecipientsRefused({m.to[0]: (550, b"no")})
            self.sent.append(m.to[0])
        return len(messages)


def _message(address):
    return lambda: EmailMessage(subject="Hi", body="Hello", to=[address])


@pytest.mark.django_db
def test_one_bad_address_never_stops_the_run_and_a_retry_sends_only_the_rest(monkeypatch):
    first = FlakyConnection(refuse={"b@example.org"})
    monkeypatch.setattr(mail, "mail_connection", lambda: first)
    with mail.SendOnceMailer() as mailer:
        for address in ("a@example.org", "b@example.org", "c@example.org"):
            mailer.send_once(f"test:{address}", _message(address), recipient=address)
    assert (mailer.sent, mailer.skipped, mailer.failed) == (2, 0, 1)
    assert first.sent == ["a@example.org", "c@example.org"]
    assert first.opened == 2  # reopened after the refusal
    assert set(DeliveryLog.objects.values_list("key", flat=True)) == {"test:a@example.org", "test:c@example.org"}

    second = FlakyConnection()
    monkeypatch.setattr(mail, "mail_connection", lambda: second)
    with mail.SendOnceMailer() as mailer:
        for address in ("a@example.org", "b@example.org", "c@example.org"):
            mailer.send_once(f"test:{address}", _message(address), recipient=address)
    assert (mailer.sent, mailer.skipped, mailer.failed) == (1, 2, 0)
    assert second.sent == ["b@example.org"]


@pytest.mark.django_db
def test_no_session_is_opened_when_nothing_is_sent(monkeypatch):
    monkeypatch.setattr(mail, "mail_connection", lambda: pytest.fail("opened a mail session for nothing"))
    with mail.SendOnceMailer() as mailer:
        pass
    assert mailer.sent == 0
