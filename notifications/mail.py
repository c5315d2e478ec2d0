"""The mail connection and the send-once loop for background e-mail (digests, reminders, invitations).

Django's EMAIL_BACKEND is used, unless NETWISE_MAIL_URL ("smtp://host:port") names an SMTP
server: the worker tests and bench/digest.py send to a local sink that way.
"""

import logging
from smtplib import SMTPException
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import get_connection

from .services import deliver_once


class TransientMailError(Exception):
    """Some mails of a run were not sent; raised by tasks so Celery retries the rest."""


# Errors worth retrying later: the mail server is busy, away or the network dropped.
TRANSIENT_MAIL_ERRORS = (SMTPException, OSError, TransientMailError)

logger = logging.getLogger(__name__)


def site_url(path: str) -> str:
    """`path` (from reverse()) as an absolute address for an e-mail: there is no request to
    build it from in a worker, so the site's address comes from settings."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def mail_connection(**kwargs):
    url = getattr(settings, "NETWISE_MAIL_URL", "")
    if url:
        parts = urlsplit(url)
        return get_connection(
            "django.core.mail.backends.smtp.EmailBackend",
            host=parts.hostname,
            port=parts.port or 25,
            use_tls=False,
            use_ssl=False,
            username="",
            password="",
            timeout=10,
            **kwargs,
        )
    return get_connection(**kwargs)


class SendOnceMailer:
    """One mail session for a run of mails, each sent at most once.

    Every mail has a key in the sent-log (`deliver_once`): a mail already sent is skipped, a
    mail whose send fails is counted and its log row rolled back (a retry sends it), and the
    session is reopened, so one bad address or a dropped connection never stops the run.
    The session opens at the first send and closes when the `with` block ends.
    """

    def __init__(self):
        self.connection = None
        self.sent = self.skipped = self.failed = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.connection is not None:
            self.connection.close()
        return False

    def send_once(self, key: str, build_message, *, recipient: str) -> bool:
        """Send the message `build_message()` makes, unless `key` was sent before; True if sent."""
        if self.connection is None:
            self.connection = mail_connection()
            self._open()
        try:
            with deliver_once(key, channel="email", recipient=recipient) as fresh:
                if not fresh:
                    self.skipped += 1
                    return False
                self.connection.send_messages([build_message()])
        except TRANSIENT_MAIL_ERRORS as exc:
            self.failed += 1
            logger.warning("mail %s not sent: %r", key, exc)
            self.connection.close()
            self._open()
            return False
        self.sent += 1
        return True

    def _open(self) -> None:
        """Open the session now; if the server is away, the next send opens it again."""
        try:
            self.connection.open()
        except TRANSIENT_MAIL_ERRORS as exc:
            logger.warning("mail server not reachable yet: %r", exc)
