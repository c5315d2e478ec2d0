"""In-app notices, the sent-log that makes deliveries idempotent, and e-mail preferences."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .text import render


class Notification(models.Model):
    """A notice shown in the person's notification list until they have read it."""

    class Kind(models.TextChoices):
        ASSIGNMENT = "assignment", _("New assignment")
        DUE_SOON = "due_soon", _("Due soon")
        CERTIFICATE = "certificate", _("Certificate ready")
        EXPORT = "export", _("Export ready")
        HELP_REPLY = "help_reply", _("Reply to your message")
        GENERAL = "general", _("Notice")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.GENERAL)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    # What to say, kept so the notice is said in the reader's language when read
    # (notifications/text.py); `title` and `body` keep it as said when it was sent.
    title_text = models.JSONField(_("title (translatable)"), null=True, blank=True)
    body_text = models.JSONField(_("body (translatable)"), null=True, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return self.title

    @property
    def display_title(self) -> str:
        """The title in the active language (the reader's), when it was stored as a message."""
        return render(self.title_text)[:200] if self.title_text else self.title

    @property
    def display_body(self) -> str:
        return render(self.body_text) if self.body_text else self.body

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class DeliveryLog(models.Model):
    """One row per message that went out. The unique key is the idempotency lock: the row is
    inserted in the same transaction as the send, so a second run (or a redelivered task)
    cannot send the same digest or reminder again."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    channel = models.CharField(_("channel"), max_length=20, default="email")
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery log entry")
        verbose_name_plural = _("delivery log")

    def __str__(self):
        return self.key


class EmailPreference(models.Model):
    """What e-mail a person wants from NetWise; missing row means the defaults (all on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="email_preference",
        verbose_name=_("user"),
    )
    weekly_digest = models.BooleanField(_("weekly summary e-mail"), default=True)
    due_reminders = models.BooleanField(_("due-date reminder e-mails"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")

    def __str__(self):
        return str(self.user)
