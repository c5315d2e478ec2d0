"""Learning records: what was assigned, how far each student got, certificates and exports.

Progress is the one read model the dashboards use; it is written only by learning/progress/services.py,
which absorbs lesson completions (courses) and submitted attempts (quizzes).
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .storage import private_media


class ItemKind(models.TextChoices):
    COURSE = "course", _("Course")
    LESSON = "lesson", _("Lesson")
    QUIZ = "quiz", _("Quiz")


class AgeVersion(models.TextChoices):
    """Which age version of a lesson an assignment shows (courses: LessonPage.age_versions)."""

    BY_GRADE = "", _("By each student's grade")
    YOUNGER = "younger", _("Younger version (ages 9–12)")
    OLDER = "older", _("Older version (ages 13–18)")


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)

    def for_student(self, student):
        """Assignments of the student's classes aimed at the whole class or at them."""
        return (
            self.active()
            .filter(classroom__enrollments__student=student)
            .filter(models.Q(students__isnull=True) | models.Q(students=student))
            .distinct()
        )


class Assignment(models.Model):
    """A course, lesson or quiz set for a class, a group in it, or one student."""

    classroom = models.ForeignKey("schools.Classroom", on_delete=models.CASCADE, related_name="assignments")
    students = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="targeted_assignments",
        help_text=_("Leave empty to assign to the whole class."),
    )
    item = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    item_kind = models.CharField(max_length=10, choices=ItemKind.choices)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    age_version = models.CharField(
        _("age version"),
        max_length=8,
        choices=AgeVersion.choices,
        default=AgeVersion.BY_GRADE,
        blank=True,
        help_text=_("For lessons with age versions: which one students see (by default, by their grade)."),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="assignments_given",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["classroom", "withdrawn_at"])]

    def __str__(self):
        return f"{self.item} → {self.classroom}"

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_at and self.due_at < timezone.now())


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class Progress(models.Model):
    """One student on one page (course, lesson or quiz). Course rows are derived."""

    Status = ProgressStatus

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The course this lesson or quiz belongs to (itself for a course)."),
    )
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    status = models.CharField(max_length=12, choices=ProgressStatus.choices, default=ProgressStatus.NOT_STARTED)
    percent = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    seconds_spent = models.PositiveIntegerField(default=0)
    # Quizzes only: percentages 0-100 and how many submitted attempts.
    attempts = models.PositiveSmallIntegerField(default=0)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    best_score = models.FloatField(null=True, blank=True)
    last_score = models.FloatField(null=True, blank=True)
    grade_score = models.FloatField(null=True, blank=True, help_text=_("The score by the quiz's grading rule."))
    passed = models.BooleanField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = _("progress records")
        constraints = [models.UniqueConstraint(fields=["student", "page"], name="progress_unique_student_page")]
        indexes = [
            models.Index(fields=["page", "status"]),
            models.Index(fields=["student", "last_seen_at"]),
            models.Index(fields=["course", "student"]),
        ]

    def __str__(self):
        return f"{self.student} · {self.page_id} · {self.status}"


class StudyTime(models.Model):
    """Seconds a student spent on learning pages per day, for weekly time charts."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_times")
    day = models.DateField()
    seconds = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "day"], name="studytime_unique_day")]

    def __str__(self):
        return f"{self.student} {self.day}: {self.seconds}s"


def certificate_path(instance, filename):
    return f"certificates/{instance.student_id}/{filename}"


class Certificate(models.Model):
    """Proof a student completed a course; the files are drawn by learning/certificates/."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates")
    course = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    # Private: served only by views.certificate_download, never from /media/.
    png = models.FileField(upload_to=certificate_path, storage=private_media, blank=True)
    pdf = models.FileField(upload_to=certificate_path, storage=private_media, blank=True)
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "course"], name="certificate_unique_student_course")]
        ordering = ["-issued_at"]

    def __str__(self):
        return f"{self.student} · {self.course}"


def export_path(instance, filename):
    """Named by migrations 0001-0002; files are placed by private_file_path now."""
    return f"exports/{instance.token}/{filename}"


def new_token():
    return secrets.token_urlsafe(24)


def private_file_path(instance, filename):
    return f"{instance.FILE_FOLDER}/{instance.token}/{filename}"


class BackgroundFile(models.Model):
    """A file a worker builds for one person: its status and progress while it is made, then
    a private file (served only to the requester by the owning app's view, never from
    /media/) until it expires. learning's exports and the districts' reports are two kinds."""

    FILE_FOLDER = "files"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=private_file_path, storage=private_media, blank=True)
    error = models.CharField(max_length=300, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def is_expired(self) -> bool:
        return bool(self.expires_at and self.expires_at <= timezone.now())

    @property
    def is_downloadable(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file) and not self.is_expired


class Export(BackgroundFile):
    """A dashboard export built in the background and downloadable only by its requester."""

    FILE_FOLDER = "exports"

    class Kind(models.TextChoices):
        CLASS = "class", _("Class dashboard")
        SCHOOL = "school", _("School overview")
        GUARDIAN = "guardian", _("Child summary")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        PDF = "pdf", "PDF"

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    scope_id = models.PositiveBigIntegerField(
        help_text=_("Classroom, school or student id, checked against access on request.")
    )
    format = models.CharField(max_length=5, choices=Format.choices)

    def __str__(self):
        return f"{self.kind} {self.format} #{self.pk} ({self.status})"


class ClassItemStatistic(models.Model):
    """Item statistics of one quiz's questions among one class's students (the quiz engine
    keeps the overall ones). Rebuilt by learning.dashboards.class_statistics whenever the engine has
    rebuilt the quiz's own (quizzes.signals.item_statistics_updated)."""

    classroom = models.ForeignKey("schools.Classroom", on_delete=models.CASCADE, related_name="item_statistics")
    quiz = models.ForeignKey("quizzes.QuizPage", on_delete=models.CASCADE, related_name="class_item_statistics")
    question = models.ForeignKey("quizzes.Question", on_delete=models.CASCADE, related_name="class_statistics")
    responses = models.PositiveIntegerField(default=0)
    facility = models.FloatField(default=0)
    discrimination = models.FloatField(null=True, blank=True)
    option_counts = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["classroom", "quiz", "question"], name="class_item_statistic_once")
        ]

    def __str__(self):
        return f"{self.question_id} in quiz {self.quiz_id}, class {self.classroom_id}"


class ClassItemFigures(models.Model):
    """One class's progress on one page, pre-aggregated for the school overview: how many of
    the class's enrolled students completed it, and the sum and count of their quiz grades
    (Progress.grade_score of rows with attempts). A read model of Progress × Enrollment, kept
    exact by learning.progress.figures inside the transaction of every write to either (and
    rebuilt by `manage.py rebuild_class_item_figures`), so the overview reads classes × items
    rows instead of students × items."""

    classroom = models.ForeignKey("schools.Classroom", on_delete=models.CASCADE, related_name="+")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    completed = models.PositiveIntegerField(default=0)
    scored = models.PositiveIntegerField(default=0)
    score_sum = models.FloatField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["classroom", "page"], name="class_item_figures_once")]

    def __str__(self):
        return f"class {self.classroom_id} · page {self.page_id}: {self.completed} completed"

    @property
    def counts(self) -> bool:
        return bool(self.completed or self.scored)
