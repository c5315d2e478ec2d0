"""The mail connection for background e-mail (digests, reminders).

Django's EMAIL_BACKEND is used, unless NETWISE_MAIL_URL ("smtp://host:port") names an SMTP
server: the worker tests and bench/digest.py send to a local sink that way.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import get_connection

# Errors worth retrying later: the mail server is busy, away or the network dropped.
try:
    from smtplib import SMTPException
except ImportError:  # pragma: no cover
    SMTPException = OSError
TRANSIENT_MAIL_ERRORS = (SMTPException, OSError)


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
