from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Staff see every background job; failed ones keep their error here, never swallowed."""

    list_display = [
        "pk",
        "task_name",
        "status",
        "attempts",
        "dispatches",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "task_name"]
    search_fields = ["task_name", "dedupe_key", "last_error"]
    readonly_fields = [f.name for f in Job._meta.fields]
    actions = ["retry_jobs"]

    @admin.action(description=_("Try the selected jobs again"))
    def retry_jobs(self, request, queryset):
        for job in queryset:
            services.retry(job)
        messages.success(request, _("Queued again."))

    def has_add_permission(self, request):
        return False
