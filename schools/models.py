"""Schools, classes, memberships, guardian links, consent and the audit log.

Minors' data is kept to the minimum: a grade and an under-14 flag, never a birth date,
photo or free-text bio. Who may see what is decided in schools/access.py, nowhere else.
"""

import secrets
import zoneinfo
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import SCHOOL_ROLES, Role

# Join and link codes: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, so a code read aloud or copied
# from a board cannot be mistaken.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def make_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(raw: str) -> str:
    """Upper-case and drop spaces/dashes, so 'abc-def' and 'ABC DEF' both match."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


@lru_cache(maxsize=1)
def known_timezones() -> frozenset[str]:
    """Every IANA zone name this machine's time zone database knows (read once)."""
    return frozenset(zoneinfo.available_timezones())


def is_known_timezone(name: str) -> bool:
    return name in known_timezones()


def validate_timezone(value: str) -> None:
    """A validator, not `choices`: the zone list follows the installed tzdata, and choices
    would put ~600 names in a migration that changes with every tzdata release."""
    if not is_known_timezone(value):
        raise ValidationError(
            _("“%(value)s” is not a time zone name we know. Use a name such as Asia/Shanghai or Europe/London."),
            code="invalid_timezone",
            params={"value": value},
        )


class School(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Shanghai",
        validators=[validate_timezone],
        help_text=_(
            "An IANA time zone name such as Asia/Shanghai or Europe/London. "
            "Weekly family digests go out on Sunday evening in this time zone."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Forms report a bad zone through the field validator; this also stops code paths
        # that skip full_clean (shell, importers): with an unknown zone the school's families
        # would quietly get their digest on the site's Sunday evening instead of their own.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "timezone" in update_fields:
            validate_timezone(self.timezone)
        super().save(*args, **kwargs)


class SchoolMembership(models.Model):
    """A staff member's role in one school (teacher or school admin). A student's school is
    their StudentProfile, never a membership: the check constraint refuses a student row.
    Deactivated staff keep the row for the audit trail."""

    Role = Role  # the one Role enum; a membership holds one of SCHOOL_ROLES

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="school_memberships",
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=[(r.value, r.label) for r in SCHOOL_ROLES])
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "school", "role"], name="uniq_membership_role"),
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in SCHOOL_ROLES]), name="membership_staff_roles_only"
            ),
        ]
        indexes = [models.Index(fields=["school", "role", "is_active"])]
        verbose_name = _("school membership")
        verbose_name_plural = _("school memberships")

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.school}"


class ClassroomQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)


class Classroom(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="classrooms")
    name = models.CharField(_("name"), max_length=120)
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    teachers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="taught_classrooms", blank=True)
    join_code = models.CharField(_("join code"), max_length=12, unique=True, null=True, blank=True)
    join_code_enabled = models.BooleanField(_("join code switched on"), default=True)
    join_code_expires_at = models.DateTimeField(_("join code expires"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClassroomQuerySet.as_manager()

    class Meta:
        ordering = ["school", "grade", "name"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self._state.adding and not self.join_code:
            self.join_code = make_code(6)
            while Classroom.objects.filter(join_code=self.join_code).exists():
                self.join_code = make_code(6)
        super().save(*args, **kwargs)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def join_code_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return bool(
            self.join_code
            and self.join_code_enabled
            and not self.is_archived
            and (self.join_code_expires_at is None or self.join_code_expires_at > now)
        )


class Enrollment(models.Model):
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="enrollments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "classroom"], name="uniq_enrollment")]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self):
        return f"{self.student} in {self.classroom}"


class StudentProfile(models.Model):
    """What the school knows about a student: the grade and whether they are under 14."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="student_profile",
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="student_profiles")
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    under_14 = models.BooleanField(_("under 14"), default=False)
    # Denormalised from ConsentRecord so the access filter stays one join.
    consent_given_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("student profile")
        verbose_name_plural = _("student profiles")

    def __str__(self):
        return f"{self.user} ({self.school})"

    @property
    def needs_consent(self) -> bool:
        return self.under_14 and self.consent_given_at is None


class GuardianLink(models.Model):
    """Guardian ↔ child. Pending until consent is recorded for an under-14 child."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for consent")
        ACTIVE = "active", _("Active")
        REVOKED = "revoked", _("Revoked")

    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="children_links",
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="guardian_links",
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["guardian", "student"], name="uniq_guardian_student")]
        indexes = [models.Index(fields=["guardian", "state"])]
        verbose_name = _("guardian link")
        verbose_name_plural = _("guardian links")

    def __str__(self):
        return f"{self.guardian} → {self.student} ({self.state})"


class LinkCode(models.Model):
    """A one-time code a teacher or the school gives a family to link to one child."""

    LIFETIME_DAYS = 7

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="link_codes")
    code = models.CharField(max_length=16, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # From a roster's guardian email column: the code is e-mailed there (schools/tasks.py).
    invited_email = models.EmailField(blank=True)

    class Meta:
        verbose_name = _("link code")
        verbose_name_plural = _("link codes")

    def __str__(self):
        return f"{self.code} for {self.student}"

    def is_usable(self, now=None) -> bool:
        return self.used_at is None and self.expires_at > (now or timezone.now())


class ConsentRecord(models.Model):
    """Who consented, for which child, to what, when, from where, under which notice."""

    class Scope(models.TextChoices):
        LEARNING_DATA = "learning_data", _("Processing of learning data")

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consent_records",
    )
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="given_consents",
    )
    scope = models.CharField(max_length=30, choices=Scope.choices, default=Scope.LEARNING_DATA)
    notice_version = models.CharField(max_length=20)
    given_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self):
        return f"{self.guardian} for {self.student}: {self.scope} v{self.notice_version}"


class AuditEvent(models.Model):
    """Append-only log of sensitive actions, shown to the school's admins."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=60, db_index=True)
    school = models.ForeignKey(
        School,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "-created_at"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class DeletionRequest(models.Model):
    """A guardian's request to delete a child's account: carried out after a grace period
    (settings.SCHOOLS_DELETION_GRACE_DAYS) unless the school admin or another linked guardian
    objects; the school admin may carry it out at once. The row outlives the account."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        CANCELLED = "cancelled", _("Cancelled after an objection")
        CARRIED_OUT = "carried_out", _("Carried out")

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deletion_requests",
    )
    student_ref = models.CharField(max_length=24, blank=True)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="deletion_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField(_("carried out on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    objection = models.TextField(_("reason for the objection"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_at"])]
        verbose_name = _("deletion request")
        verbose_name_plural = _("deletion requests")

    def __str__(self):
        return f"Deletion request #{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
