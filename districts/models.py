"""Districts: an education bureau (区/县教育局) over several schools, its officers, and the
pre-aggregated figures its pages read.

The figure tables hold counts per school (and grade and module, week or term), never a
learner: district pages and exports read only these, so their cost does not grow with the
number of learners. They are rebuilt by districts/aggregates.py (beat, hourly, and after
bulk changes such as the demo seed).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from learning.models import BackgroundFile, new_token  # noqa: F401  (migration 0001 names districts.models.new_token)


class District(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self):
        return self.name


class DistrictSchool(models.Model):
    """A school reports to at most one district (the one-to-one on `school`)."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="memberships")
    school = models.OneToOneField("schools.School", on_delete=models.CASCADE, related_name="district_membership")
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("school in a district")
        verbose_name_plural = _("schools in districts")

    def __str__(self):
        return f"{self.school} → {self.district}"


class DistrictOfficer(models.Model):
    """An education-bureau officer holding a district (created by a site administrator)."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="officers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="district_roles")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["district", "user"], name="district_officer_unique")]
        verbose_name = _("district officer")
        verbose_name_plural = _("district officers")

    def __str__(self):
        return f"{self.user} · {self.district}"

    def clean(self):
        if self.user_id and self.user.role != Role.DISTRICT_OFFICER:
            raise ValidationError({"user": _("Only an account of the kind “District officer” can hold a district.")})


class SchoolSummary(models.Model):
    """One row per school: learners and classes, and when its figures were last rebuilt."""

    school = models.OneToOneField("schools.School", on_delete=models.CASCADE, related_name="district_summary")
    learners = models.PositiveIntegerField(default=0)
    classes = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(default=timezone.now)
    # Bumped by every rebuild of the school's figures: the district page's cache key sums it.
    version = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.school}: {self.learners} learners"


class ModuleFigure(models.Model):
    """One school × grade × module (a CoursePage): counts of learners in the classes that
    were assigned the module (or any lesson or quiz of it)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    grade = models.PositiveSmallIntegerField(null=True, blank=True)
    course = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    classes_assigned = models.PositiveIntegerField(default=0)
    learners = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    reached = models.PositiveIntegerField(default=0, help_text=_("Completed and passed every quiz of the module."))
    scored = models.PositiveIntegerField(default=0, help_text=_("Learners with a quiz score in the module."))
    score_sum = models.FloatField(default=0)

    class Meta:
        indexes = [models.Index(fields=["school", "grade"])]

    def __str__(self):
        return f"{self.school_id}/{self.grade}/{self.course_id}"


class WeekFigure(models.Model):
    """One school × week (Monday): learners who completed something, and completions."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    active_learners = models.PositiveIntegerField(default=0)
    completions = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "week"], name="district_week_unique")]

    def __str__(self):
        return f"{self.school_id} {self.week}"


class HelpFigure(models.Model):
    """ "Get help" reports created at one school in one term: a count, never a class."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    term_start = models.DateField()
    reports = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "term_start"], name="district_help_unique")]

    def __str__(self):
        return f"{self.school_id} {self.term_start}: {self.reports}"


def export_path(instance, filename):
    """Named by migration 0002; files are placed by learning.models.private_file_path now."""
    return f"district-exports/{instance.token}/{filename}"


class DistrictExport(BackgroundFile):
    """The bureau's annual-report file, built by a worker; downloadable by its requester only."""

    FILE_FOLDER = "district-exports"

    class Format(models.TextChoices):
        XLSX = "xlsx", "XLSX"
        PDF = "pdf", "PDF"

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="exports")
    format = models.CharField(max_length=5, choices=Format.choices)
    language = models.CharField(max_length=10, default="en")

    def __str__(self):
        return f"{self.district_id} {self.format} ({self.status})"
