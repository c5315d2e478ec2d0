"""Writes for notifications: in-app notices, once-only deliveries, e-mail preferences."""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import override

from .models import DeliveryLog, EmailPreference, Notification
from .text import is_text, render

logger = logging.getLogger("netwise.notifications")

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
PREFERENCE_FIELDS = ("weekly_digest", "due_reminders", "family_letters")


def _said(value, user) -> tuple[str, dict | None]:
    """(the text as said now in `user`'s language, the message to keep) for a title or body
    given as a plain string or as a notifications.text message."""
    if is_text(value):
        with override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
            return render(value), value
    return str(value or ""), None


def _notification(user, kind, title, body, url) -> Notification:
    title_said, title_text = _said(title, user)
    body_said, body_text = _said(body, user)
    return Notification(
        user=user,
        kind=kind,
        title=title_said[:200],
        body=body_said,
        title_text=title_text,
        body_text=body_text,
        url=url[:500],
    )


def notify(*, user, kind, title, body="", url="") -> Notification:
    """Show `user` an in-app notice. Call it inside the transaction that caused it.

    `title` and `body` are best given as notifications.text messages, so the reader sees them
    in the language they read in; a plain string is shown as it is."""
    notification = _notification(user, kind, title, body, url)
    notification.save()
    return notification


def notify_many(*, users, kind, title, body="", url="") -> list[Notification]:
    """The same notice for many people in one INSERT (e.g. a whole class)."""
    rows = [_notification(user, kind, title, body, url) for user in users]
    return Notification.objects.bulk_create(rows, batch_size=500)


def notify_once(*, key, user, kind, title, body="", url="") -> Notification | None:
    """Like notify(), but at most once per `key`, however often it is called."""
    with deliver_once(key, channel="in_app", recipient=str(user.pk)) as fresh:
        if fresh:
            return notify(user=user, kind=kind, title=title, body=body, url=url)
    return None


@contextmanager
def deliver_once(key: str, *, channel: str = "email", recipient: str = ""):
    """Yield True if this delivery is new, False if it already happened.

    The DeliveryLog row is inserted in a transaction that stays open while the caller sends;
    if the send raises, the row is rolled back and a retry may send again. A concurrent run
    with the same key waits on the unique index and then sees the row: never two sends.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                DeliveryLog.objects.create(key=key, channel=channel, recipient=recipient)
        except IntegrityError:
            yield False
            return
        yield True


def already_delivered(key: str) -> bool:
    return DeliveryLog.objects.filter(key=key).exists()


def mark_read(*, user, notification_ids=None, url=None) -> int:
    """Mark the user's unread notifications read: these ids, or those leading to `url` (the
    page they announce has been opened), or all."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    if url is not None:
        qs = qs.filter(url=url)
    return qs.update(read_at=timezone.now())


def preference_for(user) -> EmailPreference:
    """The saved preference, or an unsaved one with the defaults."""
    try:
        return user.email_preference
    except EmailPreference.DoesNotExist:
        return EmailPreference(user=user)


def wants_email(user, field: str) -> bool:
    return bool(getattr(preference_for(user), field))


def set_preferences(*, user, **values) -> EmailPreference:
    unknown = set(values) - set(PREFERENCE_FIELDS)
    if unknown:
        raise ValueError(f"unknown preference: {', '.join(sorted(unknown))}")
    pref, _ = EmailPreference.objects.update_or_create(user=user, defaults=values)
    return pref


def unsubscribe_token(user, field: str = "weekly_digest") -> str:
    """A signed token that turns one kind of e-mail off for `user`, no log-in needed."""
    return signing.dumps({"u": user.pk, "f": field}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, preference field); raises signing.BadSignature if forged or malformed."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or data.get("f") not in PREFERENCE_FIELDS:
        raise signing.BadSignature("unknown preference")
    return int(data["u"]), data["f"]
