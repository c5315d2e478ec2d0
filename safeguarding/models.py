"""Confidential "Get help" reports and the healthy-use settings.

Who may read a report is decided in safeguarding/access.py alone: the student who wrote
it and the designated safeguarding staff of its school. Nothing else at school, no
guardian, no other student. `__str__` never carries a name or words from the report, so
the audit log (shown to school admins) reveals no content.
"""

import os
from functools import cached_property

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from schools.audit import pseudonym


class PrivateStorage(FileSystemStorage):
    """Screenshots live outside MEDIA_ROOT: never served as public media, only by a view
    that checks access. The folder is read from settings on every use, so tests can
    point it at a temporary directory."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        configured = getattr(settings, "SAFEGUARDING_PRIVATE_ROOT", None)
        return str(configured or os.path.join(settings.MEDIA_ROOT, "..", "private"))

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def deconstruct(self):
        return ("safeguarding.models.PrivateStorage", (), {})


_private_storage = PrivateStorage()


def private_storage():
    return _private_storage


class SafeguardingDesignation(models.Model):
    """A school admin names a member of staff as one of the school's safeguarding leads.

    PROTECT: a lead's account cannot be deleted while designated; the school admin removes
    the designation first, so the school notices it is losing a reader of its cases."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="safeguarding_designations")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="safeguarding_designations"
    )
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "staff"], name="uniq_safeguarding_designation")]
        verbose_name = _("safeguarding designation")
        verbose_name_plural = _("safeguarding designations")

    def __str__(self):
        return f"{self.staff} · {self.school}"


class Report(models.Model):
    class Kind(models.TextChoices):
        BULLYING = "bullying", _("Bullying or being picked on")
        PERSONAL_INFO = "personal_info", _("Someone asked for photos or personal information")
        SCAM = "scam", _("A scam or someone trying to trick me")
        THREAT = "threat", _("A threatening message")
        UPSETTING = "upsetting", _("Something upsetting I saw")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        CLOSED = "closed", _("Closed")

    # SET_NULL, never CASCADE: a deleted account leaves its reports to the designated staff,
    # under `student_pseudonym`, until the retention period after closing ends (tasks.py).
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="help_reports"
    )
    student_pseudonym = models.CharField(_("student pseudonym"), max_length=24, blank=True, editable=False)
    student_deleted_at = models.DateTimeField(_("student account deleted"), null=True, blank=True)
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="help_reports")
    kind = models.CharField(_("what happened"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("tell us about it"), max_length=4000)
    urgent = models.BooleanField(_("urgent"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    outcome = models.TextField(_("outcome"), max_length=2000, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # When the student last opened the report: their home's "You have a reply" goes once they
    # have read it (not only once they answer). On no staff page; in the privacy export.
    student_seen_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when staff reset the student's password: whoever logs in with it next may not be the
    # student (the person who reset it knows it), so the report leaves the account's pages until
    # designated staff, having checked with the student in person, show it again (services.py).
    hidden_from_student_at = models.DateTimeField(null=True, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["school", "status", "-created"]), models.Index(fields=["student", "-created"])]
        verbose_name = _("help report")
        verbose_name_plural = _("help reports")

    def __str__(self):
        return f"Help report #{self.pk}"

    def save(self, *args, **kwargs):
        if not self.student_pseudonym and self.student_id:
            self.student_pseudonym = pseudonym(self.student_id)
        super().save(*args, **kwargs)

    @property
    def student_gone(self) -> bool:
        """The student's account was deleted: staff still work the case, nobody can reply."""
        return self.student_id is None

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def status_badge(self) -> str:
        return {"new": "new", "in_progress": "progress", "closed": "done"}[self.status]


class ReportMessage(models.Model):
    """One message in the student ↔ staff conversation; the student sees all of these."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # Kept apart from `author`, which becomes NULL when the student's account is deleted.
    from_student = models.BooleanField(default=False)
    body = models.TextField(_("message"), max_length=4000)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("report message")
        verbose_name_plural = _("report messages")

    def __str__(self):
        return f"Message #{self.pk} on report #{self.report_id}"

    def save(self, *args, **kwargs):
        if self._state.adding and self.author_id and self.author_id == self.report.student_id:
            self.from_student = True
        super().save(*args, **kwargs)


class StaffNote(models.Model):
    """Private to the designated staff: never shown to the student."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="staff_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("note"), max_length=4000)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("staff note")
        verbose_name_plural = _("staff notes")

    def __str__(self):
        return f"Note #{self.pk} on report #{self.report_id}"


class Attachment(models.Model):
    """A screenshot, re-encoded without metadata (safeguarding/uploads.py)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    image = models.FileField(upload_to="safeguarding/%Y/%m/", storage=private_storage, max_length=200)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return f"Attachment #{self.pk} on report #{self.report_id}"


class HelpContact(models.Model):
    """Where to get help now: a school's own list of hotlines and contacts."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="help_contacts")
    key = models.SlugField(max_length=40, blank=True, help_text=_("Set for the national channels seeded by NetWise."))
    name = models.CharField(_("name"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    url = models.URLField(_("web address"), blank=True)
    description = models.CharField(_("when to use it"), max_length=300, blank=True)
    description_zh = models.CharField(_("when to use it (Chinese)"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["school", "order", "pk"]
        verbose_name = _("help contact")
        verbose_name_plural = _("help contacts")

    def __str__(self):
        return self.name

    @cached_property
    def _zh(self) -> bool:
        return (get_language() or "").startswith("zh")

    @property
    def local_name(self) -> str:
        return (self._zh and self.name_zh) or self.name

    @property
    def local_description(self) -> str:
        return (self._zh and self.description_zh) or self.description


class SafeguardingPolicy(models.Model):
    """A school's retention rule; without a row, settings.SAFEGUARDING_RETENTION_YEARS."""

    school = models.OneToOneField("schools.School", on_delete=models.CASCADE, related_name="safeguarding_policy")
    retention_years = models.PositiveSmallIntegerField(
        _("keep a deleted student's closed cases for (years)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(25)],
        help_text=_("Counted from the day the case was closed. Then the records and screenshots are deleted."),
    )

    class Meta:
        verbose_name = _("safeguarding policy")
        verbose_name_plural = _("safeguarding policies")

    def __str__(self):
        return f"{self.school}: {self.retention_years} y"


class SchoolBreakSetting(models.Model):
    """A school's own break interval; without a row, settings.HEALTHY_USE_BREAK_MINUTES."""

    school = models.OneToOneField("schools.School", on_delete=models.CASCADE, related_name="break_setting")
    break_after_minutes = models.PositiveSmallIntegerField(
        _("suggest a break after (minutes)"), default=30, help_text=_("0 switches break reminders off.")
    )

    class Meta:
        verbose_name = _("break reminder setting")
        verbose_name_plural = _("break reminder settings")

    def __str__(self):
        return f"{self.school}: {self.break_after_minutes} min"
