"""Django admin screens (staff only) for every schools model."""

from django.contrib import admin

from accounts.operators import OperatorOnlyAdmin, ReadOnlyOperatorAdmin

from . import models


@admin.register(models.School)
class SchoolAdmin(OperatorOnlyAdmin, admin.ModelAdmin):
    list_display = ("name", "slug", "timezone")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


@admin.register(models.SchoolMembership)
class SchoolMembershipAdmin(OperatorOnlyAdmin, admin.ModelAdmin):
    list_display = ("user", "school", "role", "is_active")
    list_filter = ("role", "is_active", "school")
    raw_id_fields = ("user",)


@admin.register(models.Classroom)
class ClassroomAdmin(OperatorOnlyAdmin, admin.ModelAdmin):
    list_display = ("name", "school", "grade", "join_code", "archived_at")
    list_filter = ("school",)
    filter_horizontal = ("teachers",)
    search_fields = ("name",)


@admin.register(models.Enrollment)
class EnrollmentAdmin(OperatorOnlyAdmin, admin.ModelAdmin):
    list_display = ("student", "classroom", "created_at")
    raw_id_fields = ("student", "classroom")


@admin.register(models.StudentProfile)
class StudentProfileAdmin(OperatorOnlyAdmin, admin.ModelAdmin):
    list_display = ("user", "school", "grade", "under_14", "consent_given_at")
    list_filter = ("school", "under_14")
    raw_id_fields = ("user",)


@admin.register(models.GuardianLink)
class GuardianLinkAdmin(OperatorOnlyAdmin, admin.ModelAdmin):
    list_display = ("guardian", "student", "state", "activated_at")
    list_filter = ("state",)
    raw_id_fields = ("guardian", "student")


@admin.register(models.LinkCode)
class LinkCodeAdmin(OperatorOnlyAdmin, admin.ModelAdmin):
    list_display = ("student", "created_at", "expires_at", "used_at")
    raw_id_fields = ("student", "created_by", "used_by")
    exclude = ("code",)


@admin.register(models.ConsentRecord)
class ConsentRecordAdmin(OperatorOnlyAdmin, admin.ModelAdmin):
    list_display = ("student", "guardian", "scope", "notice_version", "given_at")
    raw_id_fields = ("student", "guardian")


@admin.register(models.AuditEvent)
class AuditEventAdmin(ReadOnlyOperatorAdmin, admin.ModelAdmin):
    """The whole log, Get help events unmasked: operators only (schools read their own log,
    masked for readers who are not designated, in schools.views)."""

    list_display = ("created_at", "actor_label", "action", "school", "target_label")
    list_filter = ("action", "school")
