"""NetWise accounts. Minors' data is minimal: a display name, no birth date, no photo."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import Role


class UserQuerySet(models.QuerySet):
    def students(self):
        return self.filter(role=Role.STUDENT)

    def teachers(self):
        return self.filter(role=Role.TEACHER)

    def guardians(self):
        return self.filter(role=Role.GUARDIAN)


class NetWiseUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """One account per person. `role` is the kind of account; school ties live in schools."""

    role = models.CharField(_("account type"), max_length=20, choices=Role.choices, default=Role.STUDENT)
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_("How NetWise greets this person."),
    )
    language = models.CharField(
        _("preferred language"),
        max_length=10,
        default="en",
        choices=[("en", "English"), ("zh-hans", "简体中文")],
    )
    must_change_password = models.BooleanField(_("must change password at next log-in"), default=False)
    # Set when school staff reset this (student's) password; the student is told at log-in
    # until they set their own password (accounts/receivers.py, accounts/views.py).
    password_reset_by_staff_at = models.DateTimeField(_("password reset by staff at"), null=True, blank=True)

    objects = NetWiseUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [models.Index(fields=["role"])]

    def __str__(self):
        return self.get_display_name()

    def get_display_name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_student(self) -> bool:
        return self.role == Role.STUDENT

    @property
    def is_teacher(self) -> bool:
        return self.role == Role.TEACHER

    @property
    def is_guardian(self) -> bool:
        return self.role == Role.GUARDIAN

    @property
    def is_school_admin(self) -> bool:
        return self.role == Role.SCHOOL_ADMIN

    @property
    def is_editor(self) -> bool:
        return self.role == Role.EDITOR
